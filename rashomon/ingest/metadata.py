"""Publication dates as inputs write them, to ISO dates."""

from __future__ import annotations

import datetime as dt
import re

import dateparser

# Only absolute dates: a publication date is never relative to the machine's clock ('yesterday' is refused),
# and month/day order follows the US convention of the English-language sources (FA-KES writes 4/5/2017).
_SETTINGS = {
    "PARSERS": ["custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "DATE_ORDER": "MDY",
    "RETURN_AS_TIMEZONE_AWARE": False,
}
EARLIEST = dt.date(1900, 1, 1)
LATEST_AHEAD = dt.timedelta(days=2)  # time zones: a report may be dated a day ahead of this machine


def parse_published(value: str | None) -> str | None:
    """ISO date for 'Sun, February 04, 2018', '2018-02-03', '4/5/2017', '2020-03-03T10:00:00Z'; else None."""
    if not value or not value.strip():
        return None
    value = value.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", value)
    try:
        parsed = (dt.date(int(m[1]), int(m[2]), int(m[3])) if m
                  else (dateparser.parse(value, languages=["en"], settings=_SETTINGS) or None))
    except ValueError:
        return None
    if parsed is None:
        return None
    day = parsed if isinstance(parsed, dt.date) and not isinstance(parsed, dt.datetime) else parsed.date()
    if not EARLIEST <= day <= dt.date.today() + LATEST_AHEAD:
        return None
    return day.isoformat()
