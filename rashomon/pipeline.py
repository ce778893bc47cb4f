"""The whole flow behind `rashomon analyze`: ingest -> nlp/extract/resolve -> store -> fuse.

Documents are written in bounded transactions (a batch of documents with their sentences and mentions),
so a run that is killed loses at most the batch in flight, and running it again completes the job:
documents already stored are recognised by their id and skipped, and fusion picks up every mention that no
event holds yet.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tqdm import tqdm

from rashomon.ingest import IngestProblem, ReadOptions, build_document, iter_reports
from rashomon.ingest.dedup import (
    document_band_keys,
    find_duplicate,
    link_reused_sentences,
    sentence_band_keys,
)
from rashomon.models import Document, ResolvedMention
from rashomon.store import Store

BATCH_DOCS = 50


@dataclass
class AnalyzeReport:
    read: int = 0
    added: int = 0
    already: int = 0
    duplicates: int = 0
    reused_sentences: int = 0
    mentions: int = 0
    events: int = 0
    problems: list[IngestProblem] = field(default_factory=list)


Extractor = Callable[[list[Document]], list[list[ResolvedMention]]]


def _extract_nothing(docs: list[Document]) -> list[list[ResolvedMention]]:
    return [[] for _ in docs]


def analyze(paths: Iterable[str], store: Store, *, options: ReadOptions | None = None,
            extractor: Extractor | None = None, progress: bool = True,
            on_problem: Callable[[IngestProblem], None] | None = None) -> AnalyzeReport:
    extractor = extractor or _extract_nothing
    report = AnalyzeReport()
    batch: list[Document] = []

    def flush() -> None:
        if not batch:
            return
        mentions = extractor(batch)
        with store.transaction():
            for doc, found in zip(batch, mentions, strict=True):
                if store.has_document(doc.id):  # the same report twice in one batch
                    store.add_source(doc.id, doc.source)
                    report.already += 1
                    continue
                _store_document(store, doc, report)
                store.add_mentions(doc.id, found)
                report.mentions += len(found)
        batch.clear()

    bar = tqdm(desc="analyze", unit=" docs", disable=not progress or None, file=sys.stderr)
    for item in iter_reports(paths, options):
        if isinstance(item, IngestProblem):
            report.problems.append(item)
            if on_problem:
                on_problem(item)
            continue
        report.read += 1
        doc = build_document(item)
        if isinstance(doc, IngestProblem):
            report.problems.append(doc)
            if on_problem:
                on_problem(doc)
            continue
        if store.has_document(doc.id):
            store.add_source(doc.id, doc.source)
            report.already += 1
            continue
        batch.append(doc)
        bar.update(1)
        if len(batch) >= BATCH_DOCS:
            flush()
    flush()
    bar.close()
    return report


def _store_document(store: Store, doc: Document, report: AnalyzeReport) -> None:
    """Link the document to what it repeats (whole or by sentence), then write it."""
    doc_keys = document_band_keys(doc.text)
    doc.duplicate_of = store.document_with_hash(doc.content_hash) or find_duplicate(doc, doc_keys, store)
    if doc.duplicate_of:
        report.duplicates += 1
    sent_keys = sentence_band_keys([s.text for s in doc.sentences])
    report.reused_sentences += link_reused_sentences(doc, sent_keys, store)
    store.add_document(doc, doc_keys, sent_keys)
    report.added += 1
