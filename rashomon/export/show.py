"""`rashomon show`: one event, each field with its competing claims, their sources and sentences."""

from __future__ import annotations

import textwrap

import click

FIELD_NAMES = {
    "event_type": "type",
    "date": "date",
    "location": "location",
    "actor1": "actor 1",
    "actor2": "actor 2",
    "fatalities": "fatalities",
}


def _value_text(field: str, record: dict) -> str:
    if field == "event_type":
        return f"{record.get('event_type')} / {record.get('sub_event_type')}"
    if field == "date":
        return f"{record.get('date') or 'unknown'} ({record.get('date_precision')})"
    value = record.get(field)
    if not value:
        return "unknown"
    if field == "location":
        where = ", ".join(x for x in (value.get("name"), value.get("admin1"), value.get("country")) if x)
        return (
            f"{where}  [{value.get('lat')}, {value.get('lon')}; geo-precision {value.get('geo_precision')}]"
        )
    if field == "fatalities":
        return f"{value['best']} (low {value['low']}, high {value['high']})"
    return f"{value.get('name')} ({value.get('kind')})"


def show_event(record: dict, *, width: int = 100, color: bool = False) -> str:
    """A terminal page for one event record: the value of each field, then every claim with who says it."""
    style = click.style if color else (lambda text, **_: text)
    mentions = {m["id"]: m for m in record.get("mentions") or []}
    lines = [style(f"{record['id']}  {record.get('summary', '')}", bold=True)]
    conflicts = record.get("conflicts") or []
    lines.append(
        f"story {record.get('story')}   confidence {record.get('confidence')}   "
        + (style("disputed: " + ", ".join(conflicts), fg="red") if conflicts else "no disagreement")
    )
    for field, label in FIELD_NAMES.items():
        claims = (record.get("claims") or {}).get(field, [])
        mark = style("  ! sources disagree", fg="red") if field in conflicts else ""
        lines.append("")
        lines.append(style(f"{label:<11}", bold=True) + _value_text(field, record) + mark)
        for claim in sorted(claims, key=lambda c: -c.get("support", 0)):
            who = ", ".join(claim.get("attributed_to") or []) or "the report"
            hedge = " (hedged)" if claim.get("hedged") else ""
            lines.append(
                f"  - {claim.get('label')}: {claim.get('support')} source(s){hedge}, according to {who}"
            )
            for mid in claim.get("mention_ids", [])[:3]:
                m = mentions.get(mid)
                if m:
                    quote = textwrap.shorten(m["sentence"], width=width - 12, placeholder=" …")
                    lines.append(f"      {m.get('outlet') or m['doc_id']}: \u201c{quote}\u201d")
    lines.append("")
    lines.append(style("reports", bold=True))
    reports = {m["doc_id"]: m for m in reversed(record.get("mentions") or [])}  # each report once
    for m in sorted(reports.values(), key=lambda m: m["doc_id"]):
        lines.append(
            f"  {m['doc_id']}  {m.get('outlet') or ''}  {m.get('published') or 'undated'}  {m['source']}"
        )
    return "\n".join(lines)
