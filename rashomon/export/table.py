"""Plain-text tables for the terminal."""

from __future__ import annotations

import shutil


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())


def table(rows: list[dict], columns: list[str], *, widths: dict[str, int] | None = None) -> str:
    """Rows as aligned columns; long cells are cut with an ellipsis at their column's width."""
    if not rows:
        return "(none)"
    widths = dict(widths or {})
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    sizes = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    sizes = [
        min(s, widths.get(c, shutil.get_terminal_size((160, 20)).columns))
        for s, c in zip(sizes, columns, strict=True)
    ]

    def fit(text: str, size: int) -> str:
        return text if len(text) <= size else text[: size - 1] + "…"

    lines = ["  ".join(c.upper().ljust(s) for c, s in zip(columns, sizes, strict=True)).rstrip()]
    lines += [
        "  ".join(fit(v, s).ljust(s) for v, s in zip(row, sizes, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


def event_table(records: list[dict]) -> str:
    """Event records one line each, for reading in a terminal."""
    rows = []
    for r in records:
        loc = r.get("location") or {}
        rows.append(
            {
                "id": r["id"],
                "date": r.get("date"),
                "type": r.get("sub_event_type"),
                "location": loc.get("name"),
                "admin1": loc.get("admin1"),
                "actor1": (r.get("actor1") or {}).get("name"),
                "actor2": (r.get("actor2") or {}).get("name"),
                "killed": (r.get("fatalities") or {}).get("best"),
                "reports": len({m["doc_id"] for m in r.get("mentions") or []}),
                "disputed": ",".join(r.get("conflicts") or []),
            }
        )
    columns = [
        "id",
        "date",
        "type",
        "location",
        "admin1",
        "actor1",
        "actor2",
        "killed",
        "reports",
        "disputed",
    ]
    return table(rows, columns, widths={"actor1": 30, "actor2": 30, "location": 22})
