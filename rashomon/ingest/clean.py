"""Cleaning: raw report text in, main text plus the metadata found in its header and furniture out.

The patterns live in data/boilerplate.yaml and data/outlets.yaml so an analyst can extend them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

TITLE_MAX_WORDS = 25
SITE_NAME_MAX_WORDS = 4


@dataclass
class CleanText:
    text: str
    title: str | None = None
    published: str | None = None  # raw date string as found; parsed by metadata.parse_published
    author: str | None = None
    outlet: str | None = None  # outlet named by a dateline or credit line
    dateline: str | None = None
    site: str | None = None  # a site-name line above the title
    dropped: list[str] = field(default_factory=list)  # lines removed as boilerplate, for inspection


@dataclass(frozen=True)
class Patterns:
    header_lines: list[re.Pattern]
    header_prefixes: list[re.Pattern]
    drop_lines: list[re.Pattern]
    cut_from: list[re.Pattern]
    agencies: dict[str, str]
    datelines: list[re.Pattern]
    credit_lines: list[re.Pattern]


def _load_yaml(name: str) -> dict:
    return yaml.safe_load(resources.files("rashomon.ingest").joinpath("data", name).read_text("utf-8"))


@cache
def patterns() -> Patterns:
    bp = _load_yaml("boilerplate.yaml")
    out = _load_yaml("outlets.yaml")

    def compile_all(items, flags=re.IGNORECASE):
        return [re.compile(p, flags) for p in items or []]

    return Patterns(
        header_lines=compile_all(bp["header_lines"]),
        header_prefixes=compile_all(bp["header_prefixes"]),
        drop_lines=compile_all(bp["drop_lines"]),
        cut_from=compile_all(bp["cut_from"]),
        agencies={str(k): v for k, v in out["agencies"].items()},
        datelines=compile_all(out["datelines"], 0),
        credit_lines=compile_all(out["credit_lines"], 0),
    )


def agency_name(text: str | None) -> str | None:
    """'AP' -> 'Associated Press'; unknown names are kept as written (tidied)."""
    if not text:
        return None
    text = text.strip().strip(".").strip()
    agencies = patterns().agencies
    if text in agencies:
        return agencies[text]
    lowered = {k.lower(): v for k, v in agencies.items() if len(k) > 4}
    return lowered.get(text.lower(), re.sub(r"^the\s+", "", text, flags=re.I))


def normalise_whitespace(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return text


def paragraphs(text: str) -> list[str]:
    return [re.sub(r"[ \t]+", " ", p).strip() for p in text.split("\n") if p.strip()]


def _is_title_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= TITLE_MAX_WORDS and not re.search(r"[.!?:;,]['\"”’]?$", line)


def clean(raw: str, *, keep_title: bool = True) -> CleanText:
    """Strip header metadata, page furniture and licence notices; find title, dateline and credits."""
    pats = patterns()
    lines = paragraphs(normalise_whitespace(raw))
    result = CleanText(text="")

    # 1. Header: metadata lines and prefixes at the top of the report
    while lines:
        line = lines[0]
        for pat in pats.header_prefixes:
            m = pat.match(line)
            if m:
                result.published = result.published or m.groupdict().get("published")
                line = line[m.end():].strip()
        matched = next((m for pat in pats.header_lines if (m := pat.match(line))), None)
        if matched:
            groups = {k: v for k, v in matched.groupdict().items() if v}
            result.published = result.published or groups.get("published")
            result.author = result.author or groups.get("author")
            result.outlet = result.outlet or groups.get("outlet")
            lines.pop(0)
            continue
        if line:
            lines[0] = line
            break
        lines.pop(0)

    # 2. Furniture: credits are read before a licence notice cuts them off
    kept: list[str] = []
    for i, line in enumerate(lines):
        for pat in pats.credit_lines:
            m = pat.search(line)
            if m and not result.outlet:
                result.outlet = agency_name(m.group("outlet"))
        cut = next((m for pat in pats.cut_from if (m := pat.search(line))), None)
        if cut:
            if cut.groupdict().get("outlet") and not result.outlet:
                result.outlet = agency_name(cut.group("outlet"))
            result.dropped.extend(lines[i:])  # the notice and everything after it
            break
        if any(pat.search(line) for pat in pats.drop_lines):
            result.dropped.append(line)
            continue
        if kept and line == kept[-1]:  # a title repeated by the page template
            result.dropped.append(line)
            continue
        kept.append(line)

    # 3. Title, and a site-name line above it
    if len(kept) >= 3 and _is_title_like(kept[0]) and _is_title_like(kept[1]) \
            and len(kept[0].split()) <= SITE_NAME_MAX_WORDS:
        result.site = kept.pop(0)
        result.dropped.append(result.site)
    if len(kept) >= 2 and _is_title_like(kept[0]):
        result.title = kept[0]
        if not keep_title:
            kept.pop(0)

    # 4. Dateline 'ANKARA, Turkey (AP) —' opening the first paragraph of the body
    body_start = 1 if result.title and keep_title else 0
    for i in range(body_start, min(body_start + 2, len(kept))):
        m = next((m for p in pats.datelines if (m := p.match(kept[i]))), None)
        if m:
            result.dateline = m.group("dateline").strip()
            agency = m.groupdict().get("agency")
            if agency:
                result.outlet = result.outlet or agency_name(agency)
            kept[i] = kept[i][m.end():]
            break

    result.text = "\n\n".join(kept)
    return result
