"""The whole flow behind `rashomon analyze`: ingest -> nlp/extract -> resolve -> fuse -> store.

Documents are written in bounded transactions (a batch of documents with their sentences, mentions, stories
and the events their mentions join; a big event's record may lag its members until the run ends, and its id
is kept as stale meanwhile), so a run that is killed loses at most the batches in flight, and running it
again completes the job (stale records included): documents already stored are recognised by their id and
skipped. With worker processes, a batch is extracted while the one before it is linked, fused and written.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context, parent_process
from multiprocessing.connection import wait

from tqdm import tqdm

from rashomon.fuse.claims import event_record
from rashomon.fuse.events import Cluster, EventIndex, block_keys, cluster_mentions, founder
from rashomon.fuse.stories import MAX_GAP_DAYS, StoryProfile, StoryShortlist, assign_story
from rashomon.ingest import IngestProblem, ReadOptions, build_document, iter_reports
from rashomon.ingest.dedup import link_batch
from rashomon.models import Document, ResolvedMention
from rashomon.resolve import set_origins
from rashomon.store import Store

BATCH_DOCS = 100  # documents per transaction, whatever the number of workers: batches decide what an
# undated report's story is compared with, so the same batches give the same stories with 1 or N workers
CHUNK_DOCS = 25  # documents sent to a worker at a time: enough for spaCy's batches (10 cost a tenth more),
# few enough to share a batch out
# Memory held from batch to batch, bounded whatever the corpus (bench/scale.py prints the peak):
# fewer thrash: at 100,000 members and 5,000 stories, re-reading events let go took fusion on the 50k scale
# corpus from 300 s to 760 s (its copies jump across years; a feed in date order keeps its keys warm)
EVENT_MEMBERS = 200_000  # members of the events held (about 3 KB each: some 600 MB)
STORY_CACHE = 20_000  # story profiles held (up to 300 terms: some 10 KB each, 200 MB)
# A touched event's record is rewritten at once up to REFRESH_MEMBERS members, past that only once it has
# grown REFRESH_GROWTH times since the last (so each is rewritten a few times in all, not at every batch), and
# whatever lags when the run ends (bench/scale.py --per-day: a one-day feed's events reach thousands)
REFRESH_MEMBERS = 8
REFRESH_GROWTH = 1.5
REFRESH_CHUNK = 500  # lagging events rewritten per transaction at the end of a run
POOL_MIN_DOCS = 40  # fewer documents in a batch are extracted in this process (no workers started)


@dataclass
class AnalyzeReport:
    read: int = 0
    added: int = 0
    already: int = 0
    duplicates: int = 0
    reused_sentences: int = 0
    mentions: int = 0
    events: int = 0
    refreshed: int = 0  # event records rewritten at the end of the run, having lagged their members
    problems: list[IngestProblem] = field(default_factory=list)
    fuse_seconds: float = 0.0  # wall time inside fuse_batch (stories, events, their writes): bench/scale.py


Extractor = Callable[[list[Document]], list[list[ResolvedMention]]]


def extract_and_resolve(docs: list[Document]) -> list[list[ResolvedMention]]:
    from rashomon.extract import extract_mentions
    from rashomon.nlp import release_free_memory
    from rashomon.resolve import resolve_mentions

    found = extract_mentions(docs)
    resolved = [resolve_mentions(doc, mentions) for doc, mentions in zip(docs, found, strict=True)]
    release_free_memory()  # the parses are gone by now
    return resolved


def _start_worker() -> None:
    """A worker's start: leave with the parent (a killed `rashomon analyze` must not leave workers behind,
    and the pool's own queues do not tell them), then load what extraction needs."""
    parent = parent_process()
    if parent is not None:

        def leave_with_parent() -> None:
            wait([parent.sentinel])
            os._exit(1)

        threading.Thread(target=leave_with_parent, daemon=True).start()
    _load_models()


def _load_models() -> None:
    from rashomon.extract.lexicon import lexicon
    from rashomon.nlp import load_model
    from rashomon.resolve.actors import actor_catalog
    from rashomon.resolve.places import gazetteer

    load_model(), lexicon(), gazetteer(), actor_catalog()


class ExtractionPool:
    """Extraction and resolution in worker processes, each loading the model and the gazetteer once.

    Each document is extracted and resolved on its own, so how documents are shared out changes nothing in
    the result; only the parent writes to the database. Workers are spawned, not forked: the parent holds
    a DuckDB connection and threads that a fork would copy half-way. They start with the first batch big
    enough to repay their start-up (a few seconds each); smaller batches are done in this process."""

    def __init__(self, workers: int):
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None

    def __call__(self, docs: list[Document]) -> list[list[ResolvedMention]]:
        return self.submit(docs)()

    def submit(self, docs: list[Document]) -> Callable[[], list[list[ResolvedMention]]]:
        """Start extracting `docs` in the workers; the returned function waits for the result. The workers
        get copies, so the caller may go on linking the documents meanwhile."""
        if len(docs) < POOL_MIN_DOCS:
            return lambda: extract_and_resolve(docs)
        if self.executor is None:
            context = get_context("spawn")
            self.executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker)
        size = max(1, min(CHUNK_DOCS, -(-len(docs) // self.workers)))
        copies = [replace(d, sentences=[replace(s) for s in d.sentences]) for d in docs]
        futures = [self.executor.submit(extract_and_resolve, copies[i : i + size])
                   for i in range(0, len(copies), size)]
        return lambda: [found for f in futures for found in f.result()]

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


def _extract_nothing(docs: list[Document]) -> list[list[ResolvedMention]]:
    return [[] for _ in docs]


class StoryCache:
    """Story profiles kept from batch to batch (the most recently used, up to `limit`): a batch spread over
    many dates loads thousands of stories, and parsing their profiles again every batch grew with the
    corpus. Entries are never stale: this run is the store's only writer, and saves what it changes."""

    def __init__(self, limit: int = STORY_CACHE):
        self.limit = limit
        self.items: OrderedDict[str, StoryProfile] = OrderedDict()

    def load(self, store: Store, docs: list[Document]) -> list[StoryProfile]:
        """The stored stories a batch's documents may join: those within MAX_GAP_DAYS of its dates, and the
        undated ones, in the store's order. Loading only these keeps the comparisons per document bounded as
        the corpus grows; an undated document is compared with the stories near the rest of its batch."""
        days = sorted({d.published for d in docs if d.published})
        stories = []
        for row in store.stories_near(days, MAX_GAP_DAYS, known=list(self.items)):
            story = self.items.get(row["id"]) if row.get("profile") is None else None
            if story is None:
                profile = row.get("profile") or {}
                if isinstance(profile, str):
                    profile = json.loads(profile)
                story = StoryProfile.from_json(row["id"], row["title"], profile, row.get("start_date"),
                                               row.get("end_date"))
            stories.append(story)
        return stories

    def add(self, stories: Iterable[StoryProfile]) -> None:
        for story in stories:
            self.items[story.id] = story
            self.items.move_to_end(story.id)
        while len(self.items) > self.limit:
            self.items.popitem(last=False)


def fuse_batch(
    store: Store, docs: list[Document], found: list[list[ResolvedMention]], index: EventIndex | None = None,
    story_cache: StoryCache | None = None,
) -> int:
    """Stories for the batch's documents, then events for their mentions, joined with the stored events of
    the same blocks (day, country, kind). Returns the number of events written."""
    index = index if index is not None else EventIndex(EVENT_MEMBERS)
    story_cache = story_cache or StoryCache()
    stories = StoryShortlist(story_cache.load(store, docs))
    story_of: dict[str, str] = {}
    touched_stories: dict[str, StoryProfile] = {}
    for doc, mentions in zip(docs, found, strict=True):
        story = assign_story(doc, mentions, stories)
        story_of[doc.id] = story.id
        touched_stories[story.id] = story
    store.save_stories(list(touched_stories.values()), story_of)
    story_cache.add(touched_stories.values())
    mentions = [rm for batch in found for rm in batch]
    if not mentions:
        return 0
    needed = [key for rm in mentions for key in block_keys(rm)]
    missing = index.missing(needed)
    if missing:  # events stored by an earlier run, or let go of since: read them back
        stored = store.event_members_in_blocks(missing)
        fresh = {eid: ids for eid, ids in stored.items() if eid not in index.clusters}
        loaded = _stored_clusters(store, fresh)
        index.load(loaded + [index.clusters[eid] for eid in stored if eid not in fresh], missing)
    index.touch(needed)
    touched = cluster_mentions(mentions, index)
    store.add_event_members([(c.id, rm.mention.id) for c in touched for rm in c.members[c.saved:]])
    for cluster in touched:
        cluster.saved = len(cluster.members)
    # an event's record is rewritten whole: a big one only when it has grown by half since, or the
    # events a whole day's reports tell would be rewritten at every batch (refresh_stale_events: the rest)
    due = [c for c in touched
           if len(c.members) <= REFRESH_MEMBERS or len(c.members) >= REFRESH_GROWTH * c.recorded]
    _save_records(store, due, story_of)
    store.mark_stale([c.id for c in touched if len(c.members) > c.recorded])
    index.evict()
    return len(touched)


def _stored_clusters(store: Store, members: dict[str, list[str]]) -> list[Cluster]:
    """Events as stored: event id -> its mention ids (the record may lag them: it is not read)."""
    read = store.resolved_mentions([m for ids in members.values() for m in ids])
    by_id = {rm.mention.id: rm for rm in read}
    clusters = []
    for eid, ids in members.items():
        found = [by_id[m] for m in ids if m in by_id]
        clusters.append(Cluster(eid, found, saved=len(found), recorded=len(found)))
    return clusters


def _save_records(store: Store, clusters: list[Cluster], story_of: dict[str, str]) -> None:
    """Write the clusters' event records (the story of an event is that of its founding report)."""
    founders = {cluster.id: founder(cluster).mention.doc_id for cluster in clusters}
    story_of.update(store.stories_of([d for d in founders.values() if d not in story_of]))
    store.save_events([event_record(cluster, story_of.get(founders[cluster.id])) for cluster in clusters])
    for cluster in clusters:
        cluster.recorded = len(cluster.members)


def refresh_stale_events(store: Store, index: EventIndex | None = None) -> int:
    """Rewrite the records that lag their events' members (this run's, or a killed run's), REFRESH_CHUNK
    events to a transaction; events `index` holds are taken from it. Returns the number rewritten."""
    stale = store.stale_events()
    for start in range(0, len(stale), REFRESH_CHUNK):
        ids = stale[start : start + REFRESH_CHUNK]
        held = {eid: index.clusters[eid] for eid in ids if index is not None and eid in index.clusters}
        with store.transaction():
            read = _stored_clusters(store, store.event_members([eid for eid in ids if eid not in held]))
            _save_records(store, list(held.values()) + read, {})
    return len(stale)


def analyze(
    paths: Iterable[str],
    store: Store,
    *,
    options: ReadOptions | None = None,
    extractor: Extractor | None = None,
    workers: int = 1,
    progress: bool = True,
    on_problem: Callable[[IngestProblem], None] | None = None,
) -> AnalyzeReport:
    pool = ExtractionPool(workers) if extractor is None and workers > 1 else None
    try:
        return _analyze(paths, store, options, extractor or pool or extract_and_resolve, progress, on_problem)
    finally:
        if pool is not None:
            pool.close()


def _unstored(store: Store, batch: list[Document]) -> list[Document]:
    """The batch's documents not in the store yet, each once."""
    stored = store.existing_documents([doc.id for doc in batch])
    fresh: dict[str, Document] = {}
    for doc in batch:
        if doc.id not in stored and doc.id not in fresh:
            fresh[doc.id] = doc
    return list(fresh.values())


def _analyze(paths, store, options, extractor, progress, on_problem) -> AnalyzeReport:
    report = AnalyzeReport()
    batch: list[Document] = []
    index = EventIndex(EVENT_MEMBERS)
    story_cache = StoryCache()
    if isinstance(extractor, ExtractionPool):
        submit = extractor.submit
    else:
        def submit(docs):  # done in this process when the result is asked for
            return lambda: extractor(docs)
    # a batch is extracted in the workers while the batch before it is linked, fused and written here
    pending: list[tuple[list[Document], dict[str, int], Callable]] = []

    def start() -> None:
        if not batch:
            return
        todo = _unstored(store, batch)  # a re-run extracts nothing it stored before
        pending.append((list(batch), {doc.id: i for i, doc in enumerate(todo)}, submit(todo)))
        batch.clear()

    def finish() -> None:
        docs_in, position, result = pending.pop(0)
        found_all = result()
        with store.transaction():
            docs = _unstored(store, docs_in)  # the batch before may have stored some since
            report.already += len(docs_in) - len(docs)
            # links reused sentences, which resolve counts once
            keys, duplicates, reused = link_batch(docs, store)
            store.add_documents(docs, [k.document for k in keys], [k.sentences for k in keys],
                                [k.words for k in keys])
            store.add_sources([(doc.id, doc.source) for doc in docs_in])
            report.added += len(docs)
            report.duplicates += duplicates
            report.reused_sentences += reused
            mentions = [found_all[position[doc.id]] for doc in docs]
            for doc, found in zip(docs, mentions, strict=True):
                set_origins(doc, found)  # now that its reuse links are known
            store.add_mentions({doc.id: found for doc, found in zip(docs, mentions, strict=True)})
            report.mentions += sum(len(found) for found in mentions)
            started = time.perf_counter()
            fuse_batch(store, docs, mentions, index, story_cache)
            report.fuse_seconds += time.perf_counter() - started

    def flush() -> None:
        start()
        while len(pending) > 1:
            finish()

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
        batch.append(doc)  # already stored or not: flush asks the store once for the whole batch
        bar.update(1)
        if len(batch) >= BATCH_DOCS:
            flush()
    start()
    while pending:
        finish()
    bar.close()
    started = time.perf_counter()
    report.refreshed = refresh_stale_events(store, index)
    report.fuse_seconds += time.perf_counter() - started
    report.events = store.count("events")
    return report
