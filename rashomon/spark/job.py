"""The Spark job: `rashomon analyze` for corpora beyond one machine, with the same events.

Stages, each reusing the local path's own functions:

1. read: JSONL lines (`rashomon.ingest.readers.report_from_record`, as `rashomon analyze` reads .jsonl) or
   Parquet rows with the same columns, each numbered by input order (file, then line or row);
   `rashomon.ingest.build_document` and the dedup band keys, per partition.
2. identity: a report whose id came earlier is dropped (its source is kept), as the local path skips
   stored ids; the rest numbered in input order (`seq`, the local path's ingestion order).
3. repeats: candidates from band-key self-joins (shuffles), then `find_duplicate` and
   `link_reused_sentences` per document on those candidates (an in-memory `SeenIndex`), every document at
   once (a decision reads the candidates' own texts, not their links); then each link is moved to its
   root, the earliest occurrence, by pointer jumping (rounds of self-joins, about log2 of the longest
   chain of copies). The candidates are the sentences of earlier documents indexed under a shared band
   key, indexed as the local path does (`rashomon.ingest.dedup.index_sentences`: first words only, the
   first BAND_CAP of a key), drawn at once with a window per key.
4. extract and resolve: `rashomon.pipeline.extract_and_resolve` per partition, in chunks; the spaCy model
   and the gazetteer are module-level caches, so each Python worker loads them once and keeps them
   (spark.python.worker.reuse).
5. stories: `rashomon.fuse.stories.assign_features` on the driver, documents in `seq` order, in the
   batches `analyze` takes (BATCH_DOCS, for any number of workers), each compared with the stories near
   its dates. Stories are one sequential pass over every document (each joins the most similar story so
   far), so this stage needs the global view: the documents' features (terms, places, actors, computed in
   stage 4) are streamed to the driver. The bench (bench/scale.py) prints its share of the time.
6. events: every mention gets its fusion block (`rashomon.spark.blocks`, computed on the driver from one
   small key per mention); mentions are shuffled by block and sorted by ingestion order within it, and each
   block is clustered with `rashomon.fuse.events.cluster_mentions` and recorded with
   `rashomon.fuse.claims.event_record`.
7. write: Parquet tables documents, mentions, events, claims, stories (and problems) into a temporary
   folder beside OUTPUT, renamed to OUTPUT at the end: a failed run leaves no half-written output.
"""

from __future__ import annotations

import json
import time
import uuid
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath

from rashomon.fuse.claims import event_record
from rashomon.fuse.events import _generic, cluster_mentions, founder
from rashomon.fuse.stories import MAX_GAP_DAYS, StoryProfile, StoryShortlist, assign_features, story_features
from rashomon.ingest import IngestProblem, build_document
from rashomon.ingest.dedup import (
    BAND_CAP,
    document_band_keys,
    find_duplicate,
    link_reused_sentences,
    sentence_band_keys,
    words_key,
)
from rashomon.ingest.readers import JSON_FIELDS, report_from_record
from rashomon.models import Document, Sentence, resolved_mention_from_dict
from rashomon.pipeline import BATCH_DOCS
from rashomon.spark.blocks import fusion_blocks
from rashomon.store import claim_rows, event_row, mention_row, to_json

CHUNK_DOCS = 100  # documents extracted at once within a partition (bounds the parsed sentences held)
# Reports per partition and SQL shuffle partition, at most, after reading: the repeats stage gathers each
# report's candidates with their texts, and the extracted mentions are cached per partition; 4 partitions
# of 50,000 reports overflowed local mode's 1 GB heap, 48 ran in it
DOCS_PER_PARTITION = 1_000
FILE_SHIFT = 40  # ordinal = file number << 40 | line or row number
INPUT_KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
TABLES = ("documents", "mentions", "events", "claims", "stories", "problems")


class SparkInputError(ValueError):
    pass


@dataclass
class SparkReport:
    read: int = 0
    added: int = 0
    already: int = 0
    duplicates: int = 0
    reused_sentences: int = 0
    mentions: int = 0
    events: int = 0
    stories: int = 0
    blocks: int = 0
    repeat_rounds: int = 0
    largest_block: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> wall seconds


# -- 1. input ---------------------------------------------------------------------------------------------
def _walk_key(parts: list[str]) -> list[tuple[int, str]]:
    """The local path's folder order (os.walk, sorted): a folder's files before its subfolders."""
    return [(1, p) for p in parts[:-1]] + [(0, parts[-1])]


def input_files(spark, paths: Iterable[str]) -> list[tuple[str, str, str]]:
    """(URI, source as shown, kind) of every input file, in the order `rashomon analyze` reads them. Any
    Hadoop path works (file:, hdfs:, s3a: ...); folders are searched recursively, hidden files skipped."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    found: list[tuple[str, str, str]] = []
    for given in paths:
        path = jvm.org.apache.hadoop.fs.Path(given)
        fs = path.getFileSystem(conf)
        if not fs.exists(path):
            raise SparkInputError(f"{given}: no such file or folder")
        if not fs.getFileStatus(path).isDirectory():
            kind = INPUT_KINDS.get(PurePosixPath(given).suffix.lower())
            if kind is None:
                raise SparkInputError(f"{given}: the Spark path reads .jsonl (or .ndjson) and .parquet files")
            found.append((fs.makeQualified(path).toString(), given, kind))
            continue
        base = fs.makeQualified(path).toUri().getPath().rstrip("/")
        items = []
        files = fs.listFiles(path, True)
        while files.hasNext():
            status = files.next()
            rel = status.getPath().toUri().getPath()[len(base) + 1 :]
            parts = rel.split("/")
            kind = INPUT_KINDS.get(PurePosixPath(rel).suffix.lower())
            if kind is None or any(p.startswith((".", "_")) for p in parts):
                continue
            shown = status.getPath().toString() if "://" in given else str(PurePosixPath(given) / rel)
            items.append((_walk_key(parts), status.getPath().toString(), shown, kind))
        found += [(uri, shown, kind) for _, uri, shown, kind in sorted(items)]
    if not found:
        raise SparkInputError(f"no .jsonl or .parquet files in {', '.join(paths)}")
    return found


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return value


def read_inputs(spark, files: list[tuple[str, str, str]], partitions: int):
    """(ordinal, source, line or row number, JSON line or record dict) for every input record."""
    sc = spark.sparkContext
    rdds = []
    for n, (uri, shown, kind) in enumerate(files):
        if kind == "jsonl":
            lines = sc.textFile(uri, minPartitions=max(1, partitions // len(files)))
            rdds.append(lines.zipWithIndex().map(
                lambda t, n=n, s=shown: ((n << FILE_SHIFT) | t[1], s, t[1] + 1, t[0])))
        else:
            frame = spark.read.parquet(uri)
            wanted = [c for c in frame.columns if c in JSON_FIELDS]
            rows = frame.select(*wanted).rdd.zipWithIndex()
            rdds.append(rows.map(lambda t, n=n, s=shown: (
                (n << FILE_SHIFT) | t[1], s, t[1] + 1,
                {k: _plain(v) for k, v in t[0].asDict().items() if v is not None})))
    rdd = rdds[0] if len(rdds) == 1 else sc.union(rdds)
    return rdd.coalesce(partitions) if rdd.getNumPartitions() > partitions else rdd


def _build_partition(rows: Iterator[tuple]) -> Iterator[tuple]:
    """('doc', row of tables.BUILT) or ('problem', (location, message)) per input record."""
    for ordinal, source, number, payload in rows:
        where = f"{source}:{number}"
        if isinstance(payload, str):
            if not payload.strip():
                continue
            try:
                record = json.loads(payload)
            except ValueError as err:
                message = err.msg if isinstance(err, json.JSONDecodeError) else str(err)
                yield ("problem", (where, f"malformed JSON line: {message}"))
                continue
        else:
            record = payload
        raw = report_from_record(record, source, where)
        doc = raw if isinstance(raw, IngestProblem) else build_document(raw)
        if isinstance(doc, IngestProblem):
            yield ("problem", (doc.location, doc.message))
            continue
        keys = sentence_band_keys([s.text for s in doc.sentences])
        yield ("doc", (ordinal, doc.id, doc.source, doc.url, doc.title, doc.outlet, doc.published,
                       doc.dateline, doc.text, doc.content_hash, document_band_keys(doc.text),
                       [(s.index, s.start, s.end, s.text, k, words_key(s.text) if k else None)
                        for s, k in zip(doc.sentences, keys, strict=True)]))


# -- 3. repeats -------------------------------------------------------------------------------------------
class CandidateIndex:
    """The `SeenIndex` (rashomon.ingest.dedup) of one document, from what the band-key joins found among the
    documents stored before it, so that `find_duplicate` and `link_reused_sentences` decide as they do
    against the store: candidates earliest stored first, each sentence with its own text. (The store names a
    candidate by its root and lists each (root, text) once; the decision is the earliest of the most similar
    either way, and the link is moved to the root afterwards.)"""

    def __init__(self, docs: list[tuple[str, str]], sentences: list[list[tuple[str, int, str]]]):
        self.docs = docs
        self.sentences = sentences

    def similar_documents(self, band_keys: list[int]) -> list[tuple[str, str]]:
        return self.docs

    def similar_sentences(self, band_keys: list[list[int]], exclude_doc: str
                          ) -> list[list[tuple[str, int, str]]]:
        return self.sentences


def _document(row, duplicate_of: str | None = None, reused=None) -> Document:
    """A Document from a row of the documents frame (tables.BUILT and what joins added)."""
    links = {link.idx: (link.doc, link.doc_idx) for link in reused or []}
    doc = Document(id=row.id, source=row.source, text=row.text, title=row.title, outlet=row.outlet,
                   published=row.published, url=row.url, dateline=row.dateline,
                   content_hash=row.content_hash, duplicate_of=duplicate_of)
    doc.sentences = [Sentence(s.idx, s.start_char, s.end_char, s.text, reused_from=links.get(s.idx))
                     for s in row.sentences]
    return doc


def _repeats(row) -> tuple:
    """(doc id, duplicate_of, sentence links to the candidates they repeat) of one document with its
    candidates (`run`, stage 3). The links point at the sentences chosen, not yet at their roots."""
    doc = _document(row)
    docs = [(c.doc, c.text) for c in sorted(row.doc_cands or [], key=lambda c: c.seq)]
    per_sentence: list[list] = [[] for _ in doc.sentences]
    for c in sorted(row.sent_cands or [], key=lambda c: (c.idx, c.seq, c.doc_idx)):
        per_sentence[c.idx].append((c.doc, c.doc_idx, c.text))
    index = CandidateIndex(docs, per_sentence)
    duplicate = row.hash_duplicate or (find_duplicate(doc, list(row.band_keys), index) if docs else None)
    link_reused_sentences(doc, [list(s.keys) for s in row.sentences], index)
    return (doc.id, duplicate,
            [(s.index, s.reused_from[0], s.reused_from[1]) for s in doc.sentences if s.reused_from])


# -- 4. extract and resolve -------------------------------------------------------------------------------
def _extract_partition(rows: Iterator) -> Iterator[tuple]:
    from rashomon.pipeline import extract_and_resolve  # loads spaCy in this worker once (module cache)

    chunk: list[tuple] = []

    def flush():
        found = extract_and_resolve([doc for _, doc in chunk])
        for (row, doc), mentions in zip(chunk, found, strict=True):
            for pos, rm in enumerate(mentions):
                yield ("mention", (row.seq, pos, _generic(rm), *mention_row(rm).values()))
            terms, places, actors = story_features(doc, mentions)
            yield ("story", (row.seq, doc.id, doc.title or doc.text[:80], doc.published,
                             json.dumps(list(terms.items())), sorted(places), sorted(actors)))
            yield ("document", _document_row(row, doc, len(mentions)))
        chunk.clear()

    for row in rows:
        chunk.append((row, _document(row, row.duplicate_of, row.links)))
        if len(chunk) >= CHUNK_DOCS:
            yield from flush()
    if chunk:
        yield from flush()


def _document_row(row, doc: Document, mentions: int) -> tuple:
    indexed = {(i.idx, i.key) for i in row.indexed or []}
    sentences = [
        (s.index, s.start, s.end, s.text, s.reused_from[0] if s.reused_from else None,
         s.reused_from[1] if s.reused_from else None, [k for k in built.keys if (s.index, k) in indexed],
         built.words)
        for s, built in zip(doc.sentences, row.sentences, strict=True)
    ]
    return (doc.id, row.seq, doc.source, doc.url, doc.title, doc.outlet, doc.published, doc.dateline,
            doc.text, len(doc.text.split()), doc.content_hash, doc.duplicate_of, list(row.sources),
            list(row.band_keys), sentences, mentions)


# -- 5. stories ------------------------------------------------------------------------------------------
def _stories_near(registry: dict[str, StoryProfile], days: list[int]) -> list[StoryProfile]:
    """The stories `analyze` loads for a batch (`Store.stories_near` with MAX_GAP_DAYS): those whose dates
    come within the gap of one of the batch's days (day numbers, sorted), and the undated ones, in the
    store's order."""
    near = []
    for story in registry.values():
        if story.lo is not None:
            at = bisect_left(days, story.lo - MAX_GAP_DAYS)
            if at == len(days) or days[at] > story.hi + MAX_GAP_DAYS:
                continue
        near.append(story)
    return sorted(near, key=lambda s: (s.start is None, s.start or "", s.id))


def _stories_of_batch(rows: list, registry: dict[str, StoryProfile], story_of: dict[str, str]) -> None:
    """`assign_story` for one batch's documents in order (`rashomon.pipeline.fuse_batch`)."""
    if not rows:
        return
    days = sorted({date.fromisoformat(r.published).toordinal() for r in rows if r.published})
    stories = StoryShortlist(_stories_near(registry, days))
    for r in rows:
        story = assign_features(r.id, r.title, r.published, Counter(dict(json.loads(r.terms))), set(r.places),
                                set(r.actors), stories)
        story_of[r.id] = story.id
        registry.setdefault(story.id, story)


# -- 6. events --------------------------------------------------------------------------------------------
def _fuse_partition(rows: Iterator, story_of) -> Iterator[tuple]:
    """Mention rows sorted by (block, seq, pos): cluster each block's mentions in that order."""

    def fuse(mentions):
        for cluster in cluster_mentions(mentions):
            record = event_record(cluster, story_of.value.get(founder(cluster).mention.doc_id))
            yield ("event", (*event_row(record).values(), [rm.mention.id for rm in cluster.members]))
            for claim in claim_rows(record):
                yield ("claim", tuple(claim.values()))

    block, mentions = None, []
    for row in rows:
        if row.block != block and mentions:
            yield from fuse(mentions)
            mentions = []
        block = row.block
        mentions.append(resolved_mention_from_dict(json.loads(row.data)))
    if mentions:
        yield from fuse(mentions)


# -- the job ----------------------------------------------------------------------------------------------
def run(spark, inputs: list[str], output: str, *, partitions: int | None = None, overwrite: bool = False,
        log=None) -> SparkReport:
    """Analyze INPUTS into Parquet tables under OUTPUT (see the module's docstring)."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from rashomon.spark import tables

    say = log or (lambda message: None)
    sc = spark.sparkContext
    report = SparkReport()
    P = partitions or max(2, sc.defaultParallelism)
    jvm = sc._jvm
    out_path = jvm.org.apache.hadoop.fs.Path(output)
    fs = out_path.getFileSystem(sc._jsc.hadoopConfiguration())
    if fs.exists(out_path) and not overwrite:
        raise SparkInputError(f"{output} exists; choose another output folder or pass --overwrite")
    tmp_path = jvm.org.apache.hadoop.fs.Path(out_path.getParent(),
                                             f".{out_path.getName()}.tmp-{uuid.uuid4().hex[:8]}")
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[stage] = report.seconds.get(stage, 0.0) + now - clock
        clock = now
        say(f"{stage}: {report.seconds[stage]:.1f} s")

    persisted = []
    shuffle_setting: str | None = None

    def keep(data):
        persisted.append(data.persist(StorageLevel.MEMORY_AND_DISK))
        return data

    def frame(rdd, schema):
        return spark.createDataFrame(rdd, schema, verifySchema=False)

    try:
        # 1. read and build documents
        files = input_files(spark, inputs)
        built = keep(read_inputs(spark, files, P).mapPartitions(_build_partition))
        report.problems = built.filter(lambda t: t[0] == "problem").map(lambda t: t[1]).collect()
        docs = frame(built.filter(lambda t: t[0] == "doc").map(lambda t: t[1]), tables.BUILT)

        # 2. identity, on the driver from one small row per report
        # `analyze` takes the reports in batches of BATCH_DOCS (for any number of workers), repeats of an id
        # included;
        # the batches matter to stories (stage 5)
        kept: dict[str, list] = {}
        first_of_hash: dict[str, str] = {}
        batch_of: dict[str, int] = {}
        seen = docs.select("ordinal", "id", "source", "content_hash").orderBy("ordinal").collect()
        report.read = len(seen) + len(report.problems)
        for n, (ordinal, doc_id, source, chash) in enumerate(seen):
            if doc_id in kept:
                kept[doc_id][3].add(source)
                report.already += 1
                continue
            kept[doc_id] = [doc_id, ordinal, len(kept) + 1, {source}, first_of_hash.get(chash)]
            first_of_hash.setdefault(chash, doc_id)
            batch_of[doc_id] = n // BATCH_DOCS
        del seen, first_of_hash
        report.added = len(kept)
        identity = frame(sc.parallelize([(i, o, q, sorted(s), h) for i, o, q, s, h in kept.values()], P),
                         tables.IDENTITY)
        del kept
        # partitions and shuffles from here on sized by the reports as well as the cores (only ever raised:
        # a cluster's own setting stands when it is larger); the session's setting put back when the job ends
        P = max(P, -(-report.added // DOCS_PER_PARTITION))
        shuffle_setting = spark.conf.get("spark.sql.shuffle.partitions")
        spark.conf.set("spark.sql.shuffle.partitions", str(max(int(shuffle_setting), P)))
        docs = keep(docs.join(identity, ["id", "ordinal"]).repartition(P, "id"))
        docs.count()
        lap("read")

        # 3. repeats: candidates by band-key joins (documents stored before, sharing a key), then the
        # local path's own decisions per document
        keys = docs.select("id", "seq", F.explode("band_keys").alias("key")).distinct()
        other = keys.select(F.col("id").alias("doc"), F.col("seq").alias("oseq"), "key")
        doc_cands = (keys.join(other, "key").where("oseq < seq").select("id", "doc", "oseq").distinct()
                     .join(docs.select(F.col("id").alias("doc"), "text"), "doc")
                     .groupBy("id").agg(F.collect_list(F.struct(F.col("oseq").alias("seq"), "doc", "text"))
                                         .alias("doc_cands")))
        sentences = docs.select("id", "seq", F.explode("sentences").alias("s"))
        skeys = sentences.select("id", "seq", F.col("s.idx").alias("idx"),
                                 F.explode("s.keys").alias("key")).distinct()
        # the sentences indexed under each key, as `rashomon.ingest.dedup.index_sentences` draws them one
        # by one: only where their words come first, and the first BAND_CAP of each key
        firsts = (sentences.where("s.words IS NOT NULL")
                  .groupBy(F.col("s.words").alias("words"))
                  .agg(F.min(F.struct("seq", F.col("s.idx").alias("idx"))).alias("first"))
                  .select(F.col("first.seq").alias("seq"), F.col("first.idx").alias("idx")))
        by_key = Window.partitionBy("key").orderBy("seq", "idx")
        members = keep(skeys.join(firsts, ["seq", "idx"]).withColumn("rank", F.row_number().over(by_key))
                       .where(F.col("rank") <= BAND_CAP).drop("rank"))
        indexed = members.groupBy("id").agg(F.collect_list(F.struct("idx", "key")).alias("indexed"))
        sother = members.select(F.col("id").alias("doc"), F.col("seq").alias("oseq"),
                                F.col("idx").alias("doc_idx"), "key")
        stexts = sentences.select(F.col("id").alias("doc"), F.col("s.idx").alias("doc_idx"),
                                  F.col("s.text").alias("text"))
        pairs = (skeys.join(sother, "key").where("oseq < seq")
                 .select("id", "idx", "doc", "oseq", "doc_idx").distinct()
                 .join(stexts, ["doc", "doc_idx"]))
        # Each document decides on its candidates' own texts (`link_reused_sentences` does not look at where
        # they were linked), so every document is decided at once; then each link is moved to the root of
        # the sentence it names by pointer jumping (a chain of k copies settles in about log2(k) rounds).
        sent_cands = pairs.groupBy("id").agg(F.collect_list(
            F.struct("idx", F.col("oseq").alias("seq"), "doc", "doc_idx", "text")).alias("sent_cands"))
        candidates = docs.join(doc_cands, "id", "left").join(sent_cands, "id", "left")
        decided = keep(frame(candidates.rdd.map(_repeats), tables.DECIDED))
        links = (decided.select("id", F.explode("links").alias("l"))
                 .select("id", "l.idx", "l.doc", "l.doc_idx").localCheckpoint())
        while True:
            report.repeat_rounds += 1
            later = links.select(F.col("id").alias("doc"), F.col("idx").alias("doc_idx"),
                                 F.col("doc").alias("next_doc"), F.col("doc_idx").alias("next_idx"))
            step = links.join(later, ["doc", "doc_idx"], "left")
            if step.where("next_doc IS NOT NULL").isEmpty():
                break
            links = step.select("id", "idx", F.coalesce("next_doc", "doc").alias("doc"),
                                F.coalesce("next_idx", "doc_idx").alias("doc_idx")).localCheckpoint()
        report.duplicates = decided.where("duplicate_of IS NOT NULL").count()
        report.reused_sentences = links.count()
        links = links.groupBy("id").agg(F.collect_list(F.struct("idx", "doc", "doc_idx")).alias("links"))
        lap("repeats")

        # 4. extract and resolve
        ready = (docs.join(decided.select("id", "duplicate_of"), "id")
                 .join(links, "id", "left").join(indexed, "id", "left").repartition(P))
        extracted = keep(ready.rdd.mapPartitions(_extract_partition))
        mentions = keep(frame(extracted.filter(lambda t: t[0] == "mention").map(lambda t: t[1]),
                              tables.MENTIONS_OUT))
        report.mentions = mentions.count()
        lap("extract")

        # 5. stories on the driver, in ingestion order
        registry: dict[str, StoryProfile] = {}
        story_of: dict[str, str] = {}
        features = frame(extracted.filter(lambda t: t[0] == "story").map(lambda t: t[1]), tables.FEATURES)
        batch: list = []
        for row in features.orderBy("seq").toLocalIterator():
            if batch and batch_of[row.id] != batch_of[batch[0].id]:
                _stories_of_batch(batch, registry, story_of)
                batch = []
            batch.append(row)
        _stories_of_batch(batch, registry, story_of)
        stories = list(registry.values())
        report.stories = len(stories)
        lap("stories")

        # 6. events: blocks on the driver from one small key per mention, then a shuffle by block and
        # clustering per block in ingestion order
        group = ["doc_id", "event_type", "sub_event_type"]
        blocks = fusion_blocks(tuple(r) for r in mentions.select(*group, "date", "iso3", "generic")
                               .toLocalIterator())
        report.blocks = len(set(blocks.values()))
        sizes = Counter(blocks.values())
        report.largest_block = max(sizes.values(), default=0)  # in (report, type) groups
        block_of = frame(sc.parallelize([(*g, b) for g, b in blocks.items()], P), tables.BLOCKS)
        del blocks
        shared_story_of = sc.broadcast(story_of)
        ordered = (mentions.join(block_of, group).select("block", "seq", "pos", "data")
                   .repartition(max(1, min(P, report.blocks)), "block")
                   .sortWithinPartitions("block", "seq", "pos"))
        fused = keep(ordered.rdd.mapPartitions(lambda rows: _fuse_partition(rows, shared_story_of)))
        events = frame(fused.filter(lambda t: t[0] == "event").map(lambda t: t[1]), tables.EVENTS)
        report.events = events.count()
        lap("events")

        # 7. write, then rename
        tmp = tmp_path.toString()
        frame(extracted.filter(lambda t: t[0] == "document").map(lambda t: t[1]), tables.DOCUMENTS
              ).write.parquet(f"{tmp}/documents")
        mentions.drop("seq", "pos", "generic").write.parquet(f"{tmp}/mentions")
        events.write.parquet(f"{tmp}/events")
        frame(fused.filter(lambda t: t[0] == "claim").map(lambda t: t[1]), tables.CLAIMS
              ).write.parquet(f"{tmp}/claims")
        story_rows = [(s.id, s.title, s.start, s.end, to_json(s.to_json()), s.doc_ids) for s in stories]
        frame(sc.parallelize(story_rows, max(1, min(P, len(story_rows)))), tables.STORIES
              ).write.parquet(f"{tmp}/stories")
        frame(sc.parallelize(report.problems, 1), tables.PROBLEMS).write.parquet(f"{tmp}/problems")
        if fs.exists(out_path):  # --overwrite
            fs.delete(out_path, True)
        if not fs.rename(tmp_path, out_path):
            raise OSError(f"could not rename {tmp} to {output}")
        lap("write")
    finally:
        if shuffle_setting is not None:
            spark.conf.set("spark.sql.shuffle.partitions", shuffle_setting)
        if fs.exists(tmp_path):
            fs.delete(tmp_path, True)
        for data in persisted:
            data.unpersist()
    return report
