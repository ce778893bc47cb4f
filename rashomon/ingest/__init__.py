"""Ingest: files in, clean `Document`s with sentences out (see DESIGN.md, 'The flow')."""

from __future__ import annotations

from rashomon.ingest.clean import agency_name, clean
from rashomon.ingest.dedup import content_hash, content_id
from rashomon.ingest.metadata import parse_published
from rashomon.ingest.readers import IngestProblem, RawReport, ReadOptions, iter_reports
from rashomon.ingest.sentences import split_sentences
from rashomon.models import Document

__all__ = ["IngestProblem", "RawReport", "ReadOptions", "build_document", "iter_reports"]

MIN_WORDS = 3


def _from_html(html: str) -> tuple[str, dict]:
    """Main text and metadata of a web page; trafilatura drops navigation, ads and comments."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                        include_tables=False, favor_precision=True)
    if found is None:
        return "", {}
    meta = found if isinstance(found, dict) else found.as_dict()
    return meta.get("text") or "", {k: meta.get(k) for k in ("title", "date", "sitename", "url", "author")}


def build_document(raw: RawReport) -> Document | IngestProblem:
    """Clean one report and find its metadata; values the input gave win over anything guessed."""
    page_meta: dict = {}
    text = raw.text or ""
    if not text.strip() and raw.html:
        text, page_meta = _from_html(raw.html)
        if page_meta.get("title") and not text.startswith(page_meta["title"]):
            text = page_meta["title"] + "\n\n" + text
    cleaned = clean(text)
    if len(cleaned.text.split()) < MIN_WORDS:
        return IngestProblem(raw.location, "no report text left after removing page furniture")
    published_raw = raw.published or cleaned.published or page_meta.get("date")
    published = parse_published(published_raw)
    outlet = raw.outlet or cleaned.outlet or agency_name(page_meta.get("sitename"))
    doc = Document(
        id=raw.id or content_id(cleaned.text),
        source=raw.source,
        text=cleaned.text,
        title=raw.title or cleaned.title or page_meta.get("title"),
        outlet=outlet,
        published=published,
        url=raw.url or page_meta.get("url"),
        dateline=cleaned.dateline,
        content_hash=content_hash(cleaned.text),
    )
    doc.sentences = split_sentences(doc.text)
    return doc
