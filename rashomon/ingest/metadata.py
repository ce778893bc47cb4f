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

_LABEL = re.compile(r"^\s*(?:date|dated|published|posted|updated|last\s+updated|first\s+published|"
                    r"publication\s+date)\b(?:\s+on)?\s*[:\-–]?\s*", re.IGNORECASE)
_WEEKDAY_PREFIX = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|"
                             r"rsday)?\b\.?,?\s*", re.IGNORECASE)
_CLOCK_TIME = re.compile(r"\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?.*$", re.IGNORECASE)
_NUMERIC = [  # (pattern, field order): forms whose order dateparser might guess differently
    (re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:$|[T\s])"), "ymd"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:$|[\s,T])"), "mdy"),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|[\s,T])"), "dmy"),
]
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def _ordered(groups: tuple[str, ...], order: str) -> tuple[int, int, int]:
    a, b, c = (int(g) for g in groups)
    if order == "ymd":
        return a, b, c
    if order == "dmy":
        return c, b, a
    year = c if len(groups[2]) == 4 else 2000 + c
    return (year, b, a) if a > 12 >= b else (year, a, b)  # '13/5/2017' can only be day/month


def _checked(day: dt.date | None) -> str | None:
    if day is None or not EARLIEST <= day <= dt.date.today() + LATEST_AHEAD:
        return None  # the clock only ever rejects a date, it never supplies one
    return day.isoformat()


def parse_published(value: str | None) -> str | None:
    """ISO date for 'Sun, February 04, 2018', 'Published: ...', '2018-02-03', '4/5/2017' (US order; day
    first when the first number cannot be a month), '2020-03-03T10:00:00Z' (the day as written),
    'March 3, 2020 10:41 AM'. Relative ('2 hours ago'), partial ('February 2018'), impossible and
    far-future dates give None."""
    if value is None:
        return None
    text = str(value).strip()
    while (stripped := _LABEL.sub("", text, count=1).strip()) != text:
        text = stripped
    text = _WEEKDAY_PREFIX.sub("", text).strip(" ,")
    if not text:
        return None
    for pattern, order in _NUMERIC:
        m = pattern.match(text)
        if m:
            try:
                return _checked(dt.date(*_ordered(m.groups(), order)))
            except ValueError:
                return None
    if not _YEAR.search(text):
        return None  # no year written: any year would be a guess
    try:
        parsed = dateparser.parse(_CLOCK_TIME.sub("", text), languages=["en"], settings=_SETTINGS)
    except (ValueError, OverflowError):
        return None
    return _checked(parsed.date() if parsed else None)
