"""Export: event records and stories as terminal tables, JSON Lines, CSV and GeoJSON."""

from __future__ import annotations

from rashomon.export.table import table

__all__ = ["table"]
