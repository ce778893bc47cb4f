"""Export: event records and stories as terminal tables, JSON Lines, CSV and GeoJSON."""

from __future__ import annotations

from rashomon.export.formats import geojson, jsonl, to_csv
from rashomon.export.show import show_event
from rashomon.export.table import event_table, table

__all__ = ["event_table", "geojson", "jsonl", "show_event", "table", "to_csv"]
