"""Identity and reuse: content ids, near-duplicate documents and reused sentences (wire copy).

MinHash signatures are cut into LSH bands; the store keeps the band keys so that a later run finds what an
earlier one stored. This module only computes keys and decides; the lookup is any object with the two
methods of `SeenIndex` (the store implements them), so ingest does not depend on the store.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Protocol

import numpy as np
from datasketch import MinHash

from rashomon.models import Document

DOC_PERM, DOC_BANDS = 64, 16  # 16 bands x 4 rows: documents with Jaccard >= ~0.6 become candidates
SENT_PERM, SENT_BANDS = 30, 10  # 10 bands x 3 rows: sentences sharing ~60% of words meet 9 times in 10
DOC_SIMILARITY = 0.8  # word-3-gram Jaccard above which a document is a near duplicate
SENT_CONTAINMENT = 0.7  # share of the shorter sentence's words found in the other
SENT_JACCARD = 0.4  # and overall overlap, so a short common phrase inside a long sentence is not reuse
MIN_SENT_WORDS = 8  # shorter sentences ('He said.') are too common to count as reuse
# Sentences indexed under one band key: the earliest this many. A key that more share is formulaic text
# (casualty headlines, agency boilerplate); without a cap every new look-alike is compared with all of them
# and the cost per report grows with the corpus. A true copy shares several keys, most of them rarer.
BAND_CAP = 64


class SeenIndex(Protocol):
    def similar_documents(self, band_keys: list[int]) -> list[tuple[str, str]]:
        """(doc_id, text) of stored documents sharing at least one band key, earliest first."""

    def similar_sentences(
        self, band_keys: list[list[int]], exclude_doc: str
    ) -> list[list[tuple[str, int, str]]]:
        """For each sentence's band keys, (doc_id, index, text) of stored sentences of other documents
        sharing a band key (for a stored sentence that itself repeats an earlier one, the earliest
        occurrence), earliest first, in one lookup for the whole document."""


class StoredIndex(Protocol):
    """What link_batch needs of the store, for a whole batch at once."""

    def sentence_candidates(self, band_keys: list[list[int]]
                            ) -> tuple[list[list[tuple[str, int, str]]], dict[int, int]]:
        """For each sentence's band keys, SeenIndex.similar_sentences; and how many stored sentences are
        indexed under each key (absent: none)."""

    def similar_documents_many(self, band_keys: list[list[int]]) -> list[list[tuple[str, str]]]:
        """similar_documents for each list of band keys, in one lookup."""

    def documents_with_hashes(self, hashes: list[str]) -> dict[str, str]:
        """{content hash: id of the earliest stored document with it}."""

    def known_words(self, keys: list[int]) -> set[int]:
        """The keys among `keys` (`words_key`) of sentences stored already."""


@dataclass
class DocumentKeys:
    document: list[int]  # the document's band keys
    sentences: list[list[int]]  # the band keys each sentence is indexed under (see `index_sentences`)
    words: list[int] = field(default_factory=list)  # the word keys of its sentences seen for the first time


@dataclass
class _BatchView:
    """The SeenIndex one document of a batch sees: the stored candidates fetched for the whole batch, then
    those of the batch's earlier documents (keyed by band; each entry starts with its position in the batch
    so that candidates come earliest first, as the store gives them)."""

    stored_documents: list[tuple[str, str]]
    stored_sentences: list[list[tuple[str, int, str]]]
    doc_bands: dict[int, list[tuple[int, str, str]]]
    sentence_bands: dict[int, list[tuple[tuple[int, int], str, int, str]]]

    def similar_documents(self, band_keys: list[int]) -> list[tuple[str, str]]:
        batch = sorted({c for key in band_keys for c in self.doc_bands.get(key, [])})
        return list(dict.fromkeys([*self.stored_documents, *((d, text) for _, d, text in batch)]))

    def similar_sentences(
        self, band_keys: list[list[int]], exclude_doc: str
    ) -> list[list[tuple[str, int, str]]]:
        out = []
        for stored, keys in zip(self.stored_sentences, band_keys, strict=True):
            hits = {c for key in keys for c in self.sentence_bands.get(key, [])}
            batch = sorted(c for c in hits if c[1] != exclude_doc)
            # the stored ones are distinct sentences (the store gives each once); only the batch's may repeat
            out.append(list(dict.fromkeys([*stored, *(c[1:] for c in batch)])) if batch else stored)
        return out


def link_batch(docs: list[Document], stored: StoredIndex) -> tuple[list[DocumentKeys], int, int]:
    """Link each document of a batch to what it repeats, stored or earlier in the batch: `duplicate_of`
    (the same content, or near-duplicate text) and each sentence's `reused_from`. The store is asked once
    for the whole batch. Returns each document's keys (to store: its band keys, the band keys each sentence
    is indexed under, the word keys it adds), the number of duplicates and of reused sentences."""
    keys = [DocumentKeys(document_band_keys(d.text), sentence_band_keys([s.text for s in d.sentences]))
            for d in docs]
    stored_docs = stored.similar_documents_many([k.document for k in keys])
    flat, sizes = stored.sentence_candidates([sk for k in keys for sk in k.sentences])
    by_hash = stored.documents_with_hashes(sorted({d.content_hash for d in docs}))
    words = [[words_key(s.text) if sk else None for s, sk in zip(d.sentences, k.sentences, strict=True)]
             for d, k in zip(docs, keys, strict=True)]
    known = stored.known_words(sorted({w for ws in words for w in ws if w is not None}))
    doc_bands: dict[int, list[tuple[int, str, str]]] = {}
    sentence_bands: dict[int, list[tuple[tuple[int, int], str, int, str]]] = {}
    duplicates = reused = start = 0
    for n, (doc, k, found_docs) in enumerate(zip(docs, keys, stored_docs, strict=True)):
        view = _BatchView(found_docs, flat[start : start + len(k.sentences)], doc_bands, sentence_bands)
        start += len(k.sentences)
        doc.duplicate_of = by_hash.get(doc.content_hash) or find_duplicate(doc, k.document, view)
        duplicates += doc.duplicate_of is not None
        reused += link_reused_sentences(doc, k.sentences, view)
        k.sentences, k.words = index_sentences(k.sentences, words[n], known, sizes)
        by_hash.setdefault(doc.content_hash, doc.id)
        for key in k.document:
            doc_bands.setdefault(key, []).append((n, doc.id, doc.text))
        for sentence, sentence_keys in zip(doc.sentences, k.sentences, strict=True):
            origin = sentence.reused_from or (doc.id, sentence.index)
            entry = ((n, sentence.index), origin[0], origin[1], sentence.text)
            for key in sentence_keys:
                sentence_bands.setdefault(key, []).append(entry)
    return keys, duplicates, reused


def index_sentences(keys: list[list[int]], words: list[int | None], known: set[int], sizes: dict[int, int]
                    ) -> tuple[list[list[int]], list[int]]:
    """The band keys to index a document's sentences under, and the word keys it adds to `known`; updates
    `known` and `sizes` (sentences per band key). A sentence whose very words came before is indexed under
    none (that earlier one is as similar to anything and wins every tie), and a key holds the first
    BAND_CAP sentences. Both rules depend only on the order of the sentences, so the Spark path draws the
    same index at once (rashomon.spark.job, stage 3)."""
    indexed: list[list[int]] = []
    added: list[int] = []
    for sentence_keys, key in zip(keys, words, strict=True):
        if key is None or key in known:
            indexed.append([])
            continue
        known.add(key)
        added.append(key)
        kept = [k for k in sentence_keys if sizes.get(k, 0) < BAND_CAP]
        for k in kept:
            sizes[k] = sizes.get(k, 0) + 1
        indexed.append(kept)
    return indexed, added


def words_key(text: str) -> int:
    """A 64-bit key for a sentence's set of words (`word_set`): equal keys, equal similarities."""
    digest = hashlib.blake2b(" ".join(sorted(word_set(text))).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Lower-cased words (runs of word characters), one space between them."""
    return " ".join(words(text))


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@lru_cache(maxsize=50_000)  # about 1.5 KB each
def word_set(text: str) -> frozenset[str]:
    """A sentence's words, once per distinct text (a copied sentence is compared with many)."""
    return frozenset(words(text))


def content_id(text: str) -> str:
    """A stable id from the cleaned text: the same report read twice gets the same id."""
    return "d" + hashlib.blake2b(normalise(text).encode(), digest_size=8).hexdigest()


def content_hash(text: str) -> str:
    return hashlib.blake2b(normalise(text).encode(), digest_size=16).hexdigest()


def _shingles(tokens: list[str], n: int) -> set[bytes]:
    if len(tokens) < n:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i : i + n]).encode() for i in range(len(tokens) - n + 1)}


def _band_keys(hashvalues: np.ndarray, bands: int) -> list[int]:
    rows = len(hashvalues) // bands
    keys = []
    for b in range(bands):
        digest = hashlib.blake2b(hashvalues[b * rows : (b + 1) * rows].tobytes(), digest_size=7).digest()
        # the band number goes into the key so equal rows in different bands do not meet; fits in int64
        keys.append(int.from_bytes(digest, "big") ^ (b << 52))
    return keys


@cache
def _hashing(num_perm: int, seed: int) -> dict:
    """MinHash arguments with the permutations drawn once per process, not once per signature."""
    template = MinHash(num_perm=num_perm, seed=seed)
    return {"num_perm": num_perm, "seed": seed, "permutations": template.permutations,
            "scheme": template.scheme}


def document_band_keys(text: str) -> list[int]:
    shingles = _shingles(words(text), 3)
    if not shingles:
        return []
    m = MinHash(**_hashing(DOC_PERM, 7))
    m.update_batch(list(shingles))
    return _band_keys(m.hashvalues, DOC_BANDS)


def sentence_band_keys(sentences: list[str]) -> list[list[int]]:
    """Band keys per sentence ([] for sentences too short to count)."""
    token_lists = [words(s) for s in sentences]
    todo = [i for i, t in enumerate(token_lists) if len(t) >= MIN_SENT_WORDS]
    out: list[list[int]] = [[] for _ in sentences]
    if todo:
        hashes = MinHash.bulk([[w.encode() for w in set(token_lists[i])] for i in todo],
                              **_hashing(SENT_PERM, 11))
        for i, m in zip(todo, hashes, strict=True):
            out[i] = _band_keys(m.hashvalues, SENT_BANDS)
    return out


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_duplicate(doc: Document, band_keys: list[int], index: SeenIndex) -> str | None:
    """Id of the stored document this one (nearly) repeats, if any: the most similar above the bar."""
    mine = _shingles(words(doc.text), 3)
    best, best_sim = None, DOC_SIMILARITY
    for other_id, other_text in index.similar_documents(band_keys):
        if other_id == doc.id:
            continue
        sim = jaccard(mine, _shingles(words(other_text), 3))
        if sim >= best_sim:
            best, best_sim = other_id, sim
    return best


def link_reused_sentences(doc: Document, keys: list[list[int]], index: SeenIndex) -> int:
    """Point each sentence that repeats a stored one at its earliest occurrence; return how many.

    The sentence it repeats is the most similar candidate, the earliest among equals: a choice made on the
    candidates' own texts, so it does not depend on where they themselves were linked (the Spark path
    decides every document at once, then follows the links to their roots)."""
    reused = 0
    candidates = index.similar_sentences(keys, doc.id)
    for sentence, found in zip(doc.sentences, candidates, strict=True):
        if not found:
            continue
        mine = word_set(sentence.text)
        if not mine:
            continue
        best, best_sim = None, 0.0
        for other_doc, other_idx, other_text in found:
            # containment (the shorter one's share) and Jaccard from one intersection: this loop runs for
            # every candidate
            theirs = word_set(other_text)
            if not theirs:
                continue
            shared = len(mine & theirs)
            sim = shared / min(len(mine), len(theirs))
            if (sim >= SENT_CONTAINMENT and sim > best_sim
                    and shared / (len(mine) + len(theirs) - shared) >= SENT_JACCARD):
                best, best_sim = (other_doc, other_idx), sim
                if sim >= 1.0:
                    break  # none later can be more similar
        if best:
            sentence.reused_from = best
            reused += 1
    return reused
