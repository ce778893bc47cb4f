"""Event records and stories written as JSON Lines, CSV (ACLED-like columns) and GeoJSON."""

from __future__ import annotations

import csv
import io
import json

# ACLED's column names where a field has one; the rest follow the record
CSV_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "iso3",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "sources",
    "notes",
    "disputed",
    "confidence",
    "story",
]


def jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _csv_row(r: dict) -> dict:
    loc = r.get("location") or {}
    fat = r.get("fatalities") or {}
    outlets = sorted({m.get("outlet") or m.get("doc_id") for m in r.get("mentions") or []} - {None})
    return {
        "event_id_cnty": r["id"],
        "event_date": r.get("date"),
        "date_precision": r.get("date_precision"),
        "event_type": r.get("event_type"),
        "sub_event_type": r.get("sub_event_type"),
        "actor1": (r.get("actor1") or {}).get("name"),
        "actor2": (r.get("actor2") or {}).get("name"),
        "country": loc.get("country"),
        "iso3": loc.get("iso3"),
        "admin1": loc.get("admin1"),
        "location": loc.get("name"),
        "latitude": loc.get("lat"),
        "longitude": loc.get("lon"),
        "geo_precision": loc.get("geo_precision"),
        "fatalities": fat.get("best"),
        "fatalities_low": fat.get("low"),
        "fatalities_high": fat.get("high"),
        "sources": "; ".join(outlets),
        "notes": r.get("summary"),
        "disputed": ";".join(r.get("conflicts") or []),
        "confidence": r.get("confidence"),
        "story": r.get("story"),
    }


def to_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow(_csv_row(r))
    return out.getvalue()


def geojson(records: list[dict]) -> str:
    """A FeatureCollection: one point per located event (events without coordinates are left out)."""
    features = []
    for r in records:
        loc = r.get("location") or {}
        if loc.get("lat") is None or loc.get("lon") is None:
            continue
        props = {k: v for k, v in r.items() if k not in ("mentions", "claims")}
        props["reports"] = len(r.get("mentions") or [])
        features.append(
            {
                "type": "Feature",
                "id": r["id"],
                "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]},
                "properties": props,
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n"
