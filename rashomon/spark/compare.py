"""What 'the same events' means between two runs (the local and the Spark path): every event as the set of
its mentions (document, sentence offsets, mention id) with its type, date, place and fatalities."""

from __future__ import annotations


def event_key(record: dict) -> tuple:
    location = record.get("location") or {}
    return (
        frozenset((m["doc_id"], m["start"], m["end"], m["id"]) for m in record["mentions"]),
        record["event_type"],
        record["sub_event_type"],
        record["date"],
        location.get("name"),
        (record.get("fatalities") or {}).get("best"),
    )


def event_keys(records: list[dict]) -> set[tuple]:
    return {event_key(r) for r in records}


def differences(left: list[dict], right: list[dict], limit: int = 5) -> str:
    """A short account of the events only one side has ('' when both have the same)."""
    a, b = event_keys(left), event_keys(right)
    if a == b:
        return ""
    lines = [f"{len(a - b)} events only left, {len(b - a)} only right (of {len(a)} and {len(b)})"]
    for name, only in (("left", a - b), ("right", b - a)):
        for key in sorted(only, key=repr)[:limit]:
            lines.append(f"  only {name}: {key[1:]} {sorted(key[0])[:3]}")
    return "\n".join(lines)
