"""Readers: files and folders in, raw reports (text or HTML plus whatever metadata the input gives) out.

Each reader is registered by file extension, so a new format is one function and one line. Readers never
raise on bad input: they yield an `IngestProblem` naming the file (and line) and go on with the rest.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

DEFAULT_MAX_BYTES = 20_000_000  # one report file; JSONL/CSV files stream and are limited per record
MAX_RECORD_CHARS = 2_000_000


@dataclass
class RawReport:
    """One report as read, before cleaning. Fields given by the input win over anything guessed later."""

    source: str  # file path or URL, as users will see it in exports
    location: str  # where to point in messages: 'file.jsonl:12'
    text: str | None = None
    html: str | None = None
    id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None


@dataclass
class IngestProblem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class ReadOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    encoding: str | None = None  # force an encoding instead of detecting it
    # CSV: which column holds what; None means 'guess from the header'
    csv_columns: dict[str, str] = field(default_factory=dict)


Reader = Callable[[Path, ReadOptions], Iterator["RawReport | IngestProblem"]]
READERS: dict[str, Reader] = {}


def reader(*extensions: str):
    def register(func: Reader) -> Reader:
        for ext in extensions:
            READERS[ext] = func
        return func

    return register


def iter_reports(paths: Iterable[str | Path], options: ReadOptions | None = None
                 ) -> Iterator[RawReport | IngestProblem]:
    """Every report under the given files and folders (folders recursively, in sorted order)."""
    options = options or ReadOptions()
    for path in map(Path, paths):
        if path.is_dir():
            for file in _walk(path):
                yield from _read_file(file, options, explicit=False)
        elif path.exists():
            yield from _read_file(path, options, explicit=True)
        else:
            yield IngestProblem(str(path), "no such file or folder")


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _read_file(path: Path, options: ReadOptions, explicit: bool) -> Iterator[RawReport | IngestProblem]:
    ext = "".join(path.suffixes[-1:]).lower()
    read = READERS.get(ext)
    if read is None:
        if explicit:  # inside a folder, files of other kinds are simply not reports
            yield IngestProblem(str(path), f"unsupported file type '{ext or '(none)'}'; "
                                f"expected one of {', '.join(sorted(READERS))}")
        return
    try:
        size = path.stat().st_size
    except OSError as err:
        yield IngestProblem(str(path), f"cannot read: {err.strerror or err}")
        return
    if ext in (".txt", ".html", ".htm", ".json") and size > options.max_bytes:
        yield IngestProblem(str(path), f"too large ({size:,} bytes; the limit is {options.max_bytes:,}, "
                            "see --max-bytes)")
        return
    if size == 0:
        yield IngestProblem(str(path), "empty file")
        return
    try:
        yield from read(path, options)
    except OSError as err:
        yield IngestProblem(str(path), f"cannot read: {err.strerror or err}")


def decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes to text: the forced encoding, else UTF-8 (with or without BOM), else the best detected one.
    Raises ValueError for binary data or text no encoding explains."""
    if encoding:
        return data.decode(encoding)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise ValueError("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        _refuse_broken_utf8(data, err)
    encoding = _encoding_of(data[:200_000])
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise ValueError(f"broken {encoding} text: {err}") from err


def _read_text(path: Path, options: ReadOptions) -> str | IngestProblem:
    try:
        return decode(path.read_bytes(), options.encoding)
    except (ValueError, UnicodeDecodeError, LookupError) as err:
        return IngestProblem(str(path), str(err))


@reader(".txt", ".text", ".md")
def read_txt(path: Path, options: ReadOptions) -> Iterator[RawReport | IngestProblem]:
    text = _read_text(path, options)
    if isinstance(text, IngestProblem):
        yield text
    elif not text.strip():
        yield IngestProblem(str(path), "no text")
    else:
        yield RawReport(source=str(path), location=str(path), text=text)


@reader(".html", ".htm", ".xhtml")
def read_html(path: Path, options: ReadOptions) -> Iterator[RawReport | IngestProblem]:
    html = _read_text(path, options)
    if isinstance(html, IngestProblem):
        yield html
    else:
        yield RawReport(source=str(path), location=str(path), html=html)


JSON_FIELDS = ("id", "url", "title", "text", "html", "published", "outlet")


def report_from_record(record: object, source: str, location: str) -> RawReport | IngestProblem:
    """A JSON object with id, url, title, text|html, published, outlet (all optional but text or html)."""
    if not isinstance(record, dict):
        return IngestProblem(location, f"expected a JSON object, got {type(record).__name__}")
    values = {}
    for name in JSON_FIELDS:
        value = record.get(name)
        if value is None:
            continue
        if isinstance(value, (int, float)) and name in ("id", "published"):
            value = str(value)
        if not isinstance(value, str):
            return IngestProblem(location, f"field '{name}' should be a string, got {type(value).__name__}")
        values[name] = value.strip() if name != "text" else value
    if not (values.get("text") or "").strip() and not (values.get("html") or "").strip():
        return IngestProblem(location, "no 'text' or 'html' field with content")
    if len(values.get("text") or values.get("html") or "") > MAX_RECORD_CHARS:
        return IngestProblem(location, f"record too large (over {MAX_RECORD_CHARS:,} characters)")
    return RawReport(source=values.get("url") or source, location=location, **values)


@reader(".json")
def read_json(path: Path, options: ReadOptions) -> Iterator[RawReport | IngestProblem]:
    text = _read_text(path, options)
    if isinstance(text, IngestProblem):
        yield text
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        yield IngestProblem(f"{path}:{err.lineno}", f"malformed JSON: {err.msg}")
        return
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records):
        where = f"{path}[{i}]" if isinstance(data, list) else str(path)
        yield report_from_record(record, str(path), where)


@reader(".jsonl", ".ndjson")
def read_jsonl(path: Path, options: ReadOptions) -> Iterator[RawReport | IngestProblem]:
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            where = f"{path}:{lineno}"
            if not raw.strip():
                continue
            try:
                line = decode(raw, options.encoding)
                record = json.loads(line)
            except (ValueError, UnicodeDecodeError) as err:
                message = err.msg if isinstance(err, json.JSONDecodeError) else str(err)
                yield IngestProblem(where, f"malformed JSON line: {message}")
                continue
            yield report_from_record(record, str(path), where)


# Header names tried, in order, for each field when --csv-column does not say
CSV_GUESSES = {
    "text": ("text", "article_content", "content", "body", "article", "story"),
    "html": ("html",),
    "title": ("title", "article_title", "headline"),
    "published": ("published", "date", "publish_date", "pubdate", "published_at"),
    "id": ("id", "unit_id", "doc_id", "article_id"),
    "outlet": ("outlet", "source", "publisher", "site"),
    "url": ("url", "link"),
}


@reader(".csv", ".tsv")
def read_csv(path: Path, options: ReadOptions) -> Iterator[RawReport | IngestProblem]:
    # Stream the rows: the encoding is told from the head of the file, the rest is decoded as it is read.
    with path.open("rb") as handle:
        head = handle.read(200_000)
    try:
        encoding = options.encoding or _encoding_of(head)
    except ValueError as err:
        yield IngestProblem(str(path), str(err))
        return
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open(encoding=encoding, newline="") as handle:
        rows = csv.DictReader(handle, delimiter=delimiter)
        try:
            header = {name.strip().lower(): name for name in rows.fieldnames or []}
        except UnicodeDecodeError as err:
            yield IngestProblem(str(path), f"broken {encoding} text: {err.reason}")
            return
        columns = {}
        for name, guesses in CSV_GUESSES.items():
            given = options.csv_columns.get(name)
            if given:
                if given.lower() not in header:
                    known = ", ".join(header.values())
                    yield IngestProblem(str(path), f"no column '{given}' (columns: {known})")
                    return
                columns[name] = header[given.lower()]
            else:
                columns[name] = next((header[g] for g in guesses if g in header), None)
        if not columns["text"] and not columns["html"]:
            yield IngestProblem(str(path), "no text column found; name it with --csv-column text=NAME "
                                f"(columns: {', '.join(header.values())})")
            return
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as err:
                yield IngestProblem(f"{path}:{rows.line_num}", f"unreadable row, reading stopped: {err}")
                return
            record = {name: row.get(col) for name, col in columns.items() if col and row.get(col)}
            yield report_from_record(record, str(path), f"{path}:{rows.line_num}")


def _refuse_broken_utf8(data: bytes, err: UnicodeDecodeError) -> None:
    """UTF-8 text with a few invalid bytes is a broken file, not another encoding: read in a legacy code page
    every accent in it would turn to mojibake without a word."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if good >= 1 and bad <= max(3, good // 4):
        raise ValueError(f"broken UTF-8 at byte {err.start} ({bad} invalid byte sequence(s)); "
                         "fix the file or name its encoding with --encoding")


def _encoding_of(head: bytes) -> str:
    if b"\x00" in head[:8192]:
        raise ValueError("binary data, not text")
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as err:
        if err.start > len(head) - 4:  # a character cut by the end of the sample
            return "utf-8-sig"
    high = sum(1 for b in head if b > 0x7F)
    if high <= max(8, len(head) // 50):
        # English text with a few accented names: the detector guesses exotic code pages from so little
        # evidence ('Señor' read as cp1250); Western European is what such reports are written in
        try:
            head.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    best = from_bytes(head).best()
    if best is None:
        raise ValueError("cannot tell the text encoding (try --encoding)")
    return best.encoding
