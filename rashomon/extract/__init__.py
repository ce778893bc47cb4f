"""Extract: from each document's sentences, the event mentions they hold (see extract/mentions.py)."""

from __future__ import annotations

from collections.abc import Sequence

from rashomon.extract.lexicon import lexicon
from rashomon.extract.mentions import Reading, sentence_mentions
from rashomon.models import Document, Mention
from rashomon.nlp import is_title_case, parse, proper_names, sentence_case

__all__ = ["extract_mentions"]


def _parse_text(text: str, names: set[str]) -> str:
    """Headlines in title case read as strings of names to the tagger: lower-case all but the body's names."""
    return sentence_case(text, names) if is_title_case(text) else text


def extract_mentions(docs: Sequence[Document], *, n_process: int = 1) -> list[list[Mention]]:
    """The event mentions of each document, in document order. Only sentences holding a trigger word are
    parsed; the others cannot hold a mention."""
    lex = lexicon()
    wanted: list[tuple[int, int, str, str]] = []  # (doc position, sentence position, text to parse, text)
    for d, doc in enumerate(docs):
        names: set[str] | None = None
        for i, sentence in enumerate(doc.sentences):
            if not lex.may_hold_event(sentence.text):
                continue
            text = sentence.text
            if is_title_case(text):
                if names is None:
                    names = proper_names(s.text for s in doc.sentences if not is_title_case(s.text))
                text = _parse_text(text, names)
            wanted.append((d, i, lex.stand_ins(text), text))
    parsed = parse((w[2] for w in wanted), n_process=n_process)
    by_doc: dict[int, dict[int, object]] = {}
    for (d, s, parse_text, text), sdoc in zip(wanted, parsed, strict=True):
        if parse_text != text:  # spans and exact words read the text as written
            sdoc.user_data["source_text"] = text
        by_doc.setdefault(d, {})[s] = sdoc
    out: list[list[Mention]] = []
    for d, doc in enumerate(docs):
        mentions: list[Mention] = []
        reading = Reading()
        for s, sentence in enumerate(doc.sentences):
            sdoc = by_doc.get(d, {}).get(s)
            if sdoc is None:
                if lex.off_topic_text(sentence.text):  # 'A three-storey building collapsed in Lagos.'
                    reading.off_topic_sentence = sentence.index
                continue
            found = sentence_mentions(sdoc, doc_id=doc.id, sentence_index=sentence.index,
                                      offset=sentence.start, sentence_text=sentence.text, lex=lex,
                                      reading=reading)
            mentions.extend(found)
        out.append(mentions)
    return out
