"""`rashomon analyze` and `rashomon docs` as users run them: a separate process, real files, a real DuckDB
file. Bad inputs are named one line each and skipped; a run killed midway keeps what it committed and a
second run completes the job with no duplicate and no loss.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import duckdb

from rashomon.ingest import IngestProblem, build_document, iter_reports

SEEDS = Path(str(resources.files("rashomon.samples").joinpath("seeds")))


def rashomon(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*command(), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def command() -> list[str]:
    """The console script of this interpreter's environment, else the same entry point through python."""
    script = Path(sys.executable).with_name("rashomon")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from rashomon.cli import main; main()"]


def skipped_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("skipped ")]


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def assert_whole(db: Path) -> None:
    """Every document has its sentences (offsets into its text), keys and source; nothing is orphaned."""
    for table in ("sentences", "document_sources", "document_bands", "sentence_bands"):
        sql = f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)"
        (orphans,) = query(db, sql)[0]
        assert orphans == 0, f"{orphans} rows of {table} belong to no document"
    incomplete = query(db, """
        SELECT d.id FROM documents d LEFT JOIN sentences s ON s.doc_id = d.id GROUP BY d.id
        HAVING count(s.idx) = 0 OR max(s.idx) <> count(s.idx) - 1
            OR (SELECT count(*) FROM document_bands b WHERE b.doc_id = d.id) = 0
            OR (SELECT count(*) FROM document_sources x WHERE x.doc_id = d.id) = 0""")
    assert incomplete == [], f"documents stored without all their parts: {incomplete[:5]}"
    offsets = query(db, "SELECT count(*) FROM sentences s JOIN documents d ON d.id = s.doc_id "
                        "WHERE substr(d.text, s.start_char + 1, s.end_char - s.start_char) <> s.text")
    assert offsets == [(0,)], "sentence offsets do not match the stored text"


# -- the seed reports through the command line ---------------------------------------------------------

def test_analyze_and_docs_on_the_bundled_seeds(tmp_path):
    run = rashomon("analyze", SEEDS, "--db", "seeds.duckdb", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert skipped_lines(run.stderr) == []
    assert re.search(r"\b5 documents added\b", run.stderr), run.stderr

    again = rashomon("analyze", SEEDS, "--db", "seeds.duckdb", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert re.search(r"\b0 documents added \(5 already stored", again.stderr), again.stderr

    docs = rashomon("docs", "--db", "seeds.duckdb", cwd=tmp_path)
    assert docs.returncode == 0, docs.stderr
    lines = docs.stdout.strip().splitlines()
    assert re.match(r"ID\s+OUTLET\s+PUBLISHED\s+TITLE\s+WORDS\s+.*DUPLICATE_OF", lines[0])
    assert len(lines) == 6
    body = "\n".join(lines[1:])
    assert body.count("2018-02-03") == 2 and body.count("2018-02-04") == 1
    assert "Associated Press" in body and "Turkey Downs Syrian Fighter Jet In Northwest Idlib" in body
    (n,) = query(tmp_path / "seeds.duckdb", "SELECT count(*) FROM documents")[0]
    assert n == 5


def test_default_database_is_in_the_working_directory(tmp_path):
    run = rashomon("analyze", SEEDS / "003_2548e44f84e219d9.txt", "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "rashomon.duckdb").exists()
    docs = rashomon("docs", cwd=tmp_path)
    assert docs.returncode == 0 and "Associated Press" in docs.stdout


def test_docs_without_a_database_says_so(tmp_path):
    run = rashomon("docs", "--db", "none.duckdb", cwd=tmp_path)
    assert run.returncode != 0
    assert "none.duckdb" in run.stderr and "rashomon analyze" in run.stderr
    assert not (tmp_path / "none.duckdb").exists()


# -- bad input -----------------------------------------------------------------------------------------

def make_bad_inputs(folder: Path, max_bytes: int) -> dict[str, str]:
    """A folder of good and bad inputs; returns {what names the bad input in its message: why it is bad}."""
    folder.mkdir()
    (folder / "nested").mkdir()
    shutil.copy(SEEDS / "000_d682d0b4069b6ded.txt", folder / "good.txt")
    shutil.copy(SEEDS / "003_2548e44f84e219d9.txt", folder / "nested" / "good2.txt")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not a report; files of other kinds in a folder are ignored")
    bad = {}
    (folder / "empty.txt").write_bytes(b"")
    bad["empty.txt"] = "empty"
    (folder / "blank.txt").write_text("   \n\n \t \n", "utf-8")
    bad["blank.txt"] = "no text"
    (folder / "furniture.txt").write_text("Like this:\n\nComments are closed.\n", "utf-8")
    bad["furniture.txt"] = "no report text"
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    bad["binary.txt"] = "binary"
    (folder / "nested" / "big.txt").write_text("Fighting continued in Idlib. " * (max_bytes // 20), "utf-8")
    bad["big.txt"] = "too large"
    (folder / "utf16-broken.txt").write_bytes(
        b"\xff\xfe" + "Shelling hit the town of Saraqeb on Saturday".encode("utf-16-le") + b"\x00\xd8"
        + " and more words".encode("utf-16-le"))
    bad["utf16-broken.txt"] = "surrogate"
    os.symlink(folder / "gone" / "deleted.txt", folder / "dangling.txt")
    bad["dangling.txt"] = "cannot read"
    if os.geteuid() != 0:  # root reads anything, so an unreadable file needs an ordinary user
        (folder / "locked.txt").write_text("A report nobody may read.", "utf-8")
        (folder / "locked.txt").chmod(0)
        bad["locked.txt"] = "cannot read"
    text_001 = (SEEDS / "001_7a9f1f2f1cb3dd00.txt").read_text("utf-8")
    text_004 = (SEEDS / "004_751a1e32f3fb7b38.txt").read_text("utf-8")
    (folder / "feed.jsonl").write_text("\n".join([
        json.dumps({"id": "feed-1", "text": text_001}),
        '{"id": "feed-2", "text": "a line cut short',
        json.dumps(["an", "array", "is", "not", "a", "report"]),
        json.dumps({"id": "feed-4", "title": "No text at all"}),
        "",
        json.dumps({"id": "feed-6", "text": text_004, "published": "2020-02-20"}),
    ]) + "\n", "utf-8")
    bad["feed.jsonl:2"] = "malformed JSON"
    bad["feed.jsonl:3"] = "JSON object"
    bad["feed.jsonl:4"] = "no 'text' or 'html'"
    (folder / "broken.json").write_text('{"id": "b", "text": "unfinished', "utf-8")
    bad["broken.json:1"] = "malformed JSON"
    return bad


def test_bad_inputs_are_named_one_line_each_and_the_rest_is_stored(tmp_path):
    max_bytes = 50_000
    bad = make_bad_inputs(tmp_path / "in", max_bytes)
    bad["missing.txt"] = "no such file"
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    bad["report.pdf"] = "unsupported file type"

    run = rashomon("analyze", "in", "missing.txt", "report.pdf", "--db", "b.duckdb",
                   "--max-bytes", str(max_bytes), cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    lines = skipped_lines(run.stderr)
    for name, why in bad.items():
        named = [line for line in lines if re.search(rf"[ /]{re.escape(name)}: ", line)]
        assert len(named) == 1, f"{name}: expected one line, got {named}\n{run.stderr}"
        assert why.lower() in named[0].lower(), named[0]
    assert len(lines) == len(bad), "\n".join(lines)
    assert "notes.pdf" not in run.stderr
    assert re.search(rf"\b{len(bad)} inputs skipped\b", run.stderr), run.stderr

    db = tmp_path / "b.duckdb"
    sources = {Path(s).name for (s,) in query(db, "SELECT source FROM documents")}
    assert sources == {"good.txt", "good2.txt", "feed.jsonl"}
    assert sorted(i for (i,) in query(db, "SELECT id FROM documents WHERE id LIKE 'feed-%'")) == \
        ["feed-1", "feed-6"]
    assert_whole(db)

    # the good inputs are stored once; the bad ones are named again
    again = rashomon("analyze", "in", "--db", "b.duckdb", "--max-bytes", str(max_bytes), cwd=tmp_path)
    assert again.returncode == 1
    assert len(skipped_lines(again.stderr)) == len(bad) - 2
    assert query(db, "SELECT count(*) FROM documents") == [(4,)]


def test_forced_encoding_that_does_not_fit_is_named(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Le café de Saraqeb a été détruit par une frappe samedi soir, "
                                          "selon les secouristes sur place.".encode("latin-1"))
    (tmp_path / "ascii.txt").write_text("Shelling hit the town of Saraqeb on Saturday, rescuers said.",
                                        "ascii")
    run = rashomon("analyze", "latin1.txt", "ascii.txt", "--encoding", "utf-8", "--db", "e.duckdb", "-q",
                   cwd=tmp_path)
    assert run.returncode == 1
    (line,) = skipped_lines(run.stderr)
    assert "latin1.txt" in line and "utf-8" in line
    assert query(tmp_path / "e.duckdb", "SELECT count(*) FROM documents") == [(1,)]


# -- a run killed midway -------------------------------------------------------------------------------

def make_corpus(folder: Path, n: int) -> int:
    """n distinct reports in nested folders (words drawn from the seed reports, some sentences reused
    across reports as wire copy is), plus exact copies of some under other names. Returns the file count."""
    text = " ".join(f.read_text("utf-8") for f in SEEDS.glob("*.txt"))
    vocab = sorted(set(re.findall(r"[A-Za-z]{3,}", text)))
    rng = random.Random(20180203)
    wire: list[str] = []
    files = 0
    for i in range(n):
        sentences = []
        for j in range(rng.randint(6, 12)):
            if wire and rng.random() < 0.15:
                sentences.append(rng.choice(wire))
                continue
            words = [rng.choice(vocab) for _ in range(rng.randint(9, 20))]
            sentence = f"Report {i} line {j}: " + " ".join(words) + "."
            sentences.append(sentence)
            if rng.random() < 0.1:
                wire.append(sentence)
        path = folder / f"part{i % 4}" / f"sub{i % 3}" / f"r{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(sentences) + "\n", "utf-8")
        files += 1
        if i % 15 == 0:
            copy = folder / "copies" / f"copy-of-r{i:04d}.txt"
            copy.parent.mkdir(exist_ok=True)
            shutil.copy(path, copy)
            files += 1
    return files


def committed_documents(db: Path, scratch: Path) -> int | None:
    """Documents committed so far, read from a copy of the database and its write-ahead log (the running
    process holds the lock on the file itself); None while the copy cannot be read."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    for part in db.parent.glob(db.name + "*"):
        try:
            shutil.copy(part, scratch / part.name)
        except FileNotFoundError:
            return None
    if not (scratch / db.name).exists():
        return None
    try:
        con = duckdb.connect(str(scratch / db.name), read_only=True)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except duckdb.Error:
        return None


def children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc; [] where there is none)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing


def test_a_killed_run_loses_nothing_committed_and_a_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    files = make_corpus(corpus, 200)
    expected = {build_document(raw).id for raw in iter_reports([corpus])}
    assert len(expected) == 200 and files > 200
    db = tmp_path / "k.duckdb"

    proc = subprocess.Popen([*command(), "analyze", str(corpus), "--db", str(db), "-q"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = 0
    deadline = time.monotonic() + 240
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            seen = committed_documents(db, tmp_path / "snapshot") or 0
            if seen:
                break
            time.sleep(0.1)
        assert proc.poll() is None, f"the run ended before it could be killed: {proc.communicate()[1]}"
        assert seen, "no batch was committed within the time limit"
        workers = children_of(proc.pid)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # the worker processes leave with the run that started them
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if alive(pid)], "worker processes outlived the killed run"

    (after_kill,) = query(db, "SELECT count(*) FROM documents")[0]
    assert seen <= after_kill < len(expected), "the run was not stopped midway, or lost committed documents"
    print(f"killed with {after_kill} of {len(expected)} documents committed ({seen} seen while running)")
    assert_whole(db)

    rerun = rashomon("analyze", corpus, "--db", db, "-q", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert re.search(rf"\b{len(expected) - after_kill} documents added\b", rerun.stderr), rerun.stderr

    ids = [i for (i,) in query(db, "SELECT id FROM documents")]
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == expected
    # every file is accounted for, the copies as further sources of the document they repeat
    sources = {s for (s,) in query(db, "SELECT source FROM document_sources")}
    assert sources == {str(p) for p in corpus.rglob("*.txt")}
    assert_whole(db)
    # reused sentences point at a stored sentence of an earlier document
    dangling = query(db, "SELECT count(*) FROM sentences s WHERE reused_doc IS NOT NULL AND NOT EXISTS "
                         "(SELECT 1 FROM sentences o WHERE o.doc_id = s.reused_doc AND o.idx = s.reused_idx)")
    assert dangling == [(0,)]
    (reused,) = query(db, "SELECT count(*) FROM sentences WHERE reused_doc IS NOT NULL")[0]
    assert reused > 0


def test_problems_from_readers_name_file_and_line(tmp_path):
    feed = tmp_path / "f.jsonl"
    feed.write_text('{"text": "fine words for a report of some length"}\n{oops\n', "utf-8")
    items = list(iter_reports([feed]))
    assert isinstance(items[1], IngestProblem)
    assert str(items[1]).startswith(f"{feed}:2: malformed JSON line")
