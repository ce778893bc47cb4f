"""Sentence boundaries with character offsets, from spaCy's rule-based sentencizer.

The full statistical parse comes later (nlp stage); here a cheap, deterministic split is enough, and the
later stages parse each stored sentence so both agree on the boundaries.
"""

from __future__ import annotations

import re
from functools import cache

import spacy

from rashomon.models import Sentence

MAX_SENTENCE_CHARS = 2000  # longer 'sentences' are lists or tables; cut so the parser stays fast


@cache
def _splitter():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of every paragraph (paragraphs never share a sentence), offsets into `text`."""
    sentences: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        doc = _splitter()(para.group())
        for sent in doc.sents:
            start = para.start() + sent.start_char
            end = para.start() + sent.end_char
            while end - start > MAX_SENTENCE_CHARS:
                cut = text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
                cut = cut if cut > start else start + MAX_SENTENCE_CHARS
                sentences.append(Sentence(len(sentences), start, cut, text[start:cut]))
                start = cut + 1
            if text[start:end].strip():
                sentences.append(Sentence(len(sentences), start, end, text[start:end]))
    return sentences
