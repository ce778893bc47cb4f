"""Time expressions to calendar dates, anchored on the report's publication date (never the clock).

Conventions of the DateValue returned (the word lists are in data/time_words.yaml):
- precision 'day': `date` is the day. 'week': `date` is the Monday starting that (ISO) week.
  'month': `date` is the 1st of the month. 'year': `date` is 1 January. So two values of the same
  precision agree exactly when their dates are equal.
- A weekday is the most recent such day on or before publication ('Saturday' in a report published
  on Saturday is that day); 'last Saturday' is strictly before it.
- 'last week' is the previous Monday-to-Sunday week; 'last month' the previous calendar month.
- 'since X' and vague windows ('in recent weeks') name a period running up to the report: `date` is
  the publication day and `start` where the period began.
- No date is ever after the publication date: an expression in the future ('next week', a day after
  publication) gets no date. A relative expression in an undated report gets no date either, only an
  `anchor` saying what it was ('weekday:tuesday', 'relative:last-month'); an expression carrying a full
  date ('3 February 2018', 'in March 2011') is resolved without a publication date.
- No expression: the publication date at day precision with explicit=False.

Common expressions are resolved by hand-written rules (fast, and dateparser gets news-relative ones
wrong); dateparser only handles the absolute forms the rules do not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from rashomon.extract.timex import (
    WEEKDAY_NAMES,
    find_time_expressions,
    hyphenated,
    normalise,
    phrase_pattern,
    time_words,
)
from rashomon.models import DateValue
from rashomon.resolve.numbers import parse_integer

__all__ = ["find_time_expressions", "resolve_date"]

_UNRESOLVED = "none"


# ---------------------------------------------------------------------------------------------- arithmetic

def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months_back
    return date(index // 12, index % 12 + 1, 1)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _weekday_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday - 1) % 7 + 1)


def _period_start(unit: str, day: date) -> date:
    """The date that stands for `day` at a precision (see the module's conventions)."""
    if unit == "week":
        return _monday(day)
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return date(day.year, 1, 1)
    return day


_COARSER = {"day": "week", "week": "month", "month": "year", "year": "year"}


# ---------------------------------------------------------------------------------------------- resolution

@dataclass(frozen=True)
class _Point:
    """A resolved point before it becomes a DateValue."""

    date: date | None
    precision: str
    anchor: str | None = None
    start: date | None = None
    explicit: bool = True


def _relative_point(entry: dict, published: date) -> _Point:
    unit, offset = entry["unit"], int(entry["offset"])
    if unit == "day":
        return _Point(published + timedelta(days=offset), "day")
    if unit == "week":
        return _Point(_monday(published) + timedelta(weeks=offset), "week")
    if unit == "month":
        return _Point(_month_start(published, offset), "month")
    return _Point(date(published.year + offset, 1, 1), "year")


def _weekend_point(mode: str, published: date) -> _Point:
    if mode == "before":
        return _Point(_monday(published) - timedelta(weeks=1), "week")
    saturday = _weekday_on_or_before(published, 5)
    return _Point(_monday(saturday), "week")


def _lookup_phrase(text: str, published: date | None) -> _Point | None:
    """The tables of phrases measured from publication: relative, weekend, windows, future, anaphoric."""
    words = time_words()
    if text in words.future:
        return _Point(None, _UNRESOLVED, anchor=f"future:{hyphenated(text)}")
    if text in words.anaphoric:
        return _Point(None, _UNRESOLVED, anchor=f"unresolved:{hyphenated(text)}")
    for table in (words.relative, words.weekend, words.windows):
        if text in table:
            break
    else:
        return None
    if published is None:
        return _Point(None, _UNRESOLVED, anchor=f"relative:{hyphenated(text)}")
    if text in words.relative:
        return _relative_point(words.relative[text], published)
    if text in words.weekend:
        return _weekend_point(words.weekend[text], published)
    window = words.windows[text]
    return _Point(published, window["precision"], start=published - timedelta(days=int(window["days"])),
                  explicit=False)


def _weekday_point(text: str, published: date | None) -> _Point | None:
    words = time_words()
    parts = text.split(" ", 1)
    qualifier = "on_or_before"
    if parts[0] in words.weekday_qualifiers and len(parts) > 1:
        qualifier = words.weekday_qualifiers[parts[0]]
        parts = parts[1].split(" ", 1)
    if parts[0] not in words.weekdays:
        return None
    weekday = words.weekdays[parts[0]]
    name = WEEKDAY_NAMES[weekday].lower()
    remainder = parts[1] if len(parts) > 1 else ""
    if remainder:  # 'Saturday, Feb. 3': the date written beside the weekday wins
        written = _absolute_point(remainder, published)
        if written is not None and written.date is not None:
            return written
    if qualifier == "future":
        return _Point(None, _UNRESOLVED, anchor=f"future:next-{name}")
    if published is None:
        prefix = "last-" if qualifier == "before" else ""
        return _Point(None, _UNRESOLVED, anchor=f"weekday:{prefix}{name}")
    if qualifier == "before":
        return _Point(_weekday_before(published, weekday), "day")
    return _Point(_weekday_on_or_before(published, weekday), "day")


_AGO = re.compile(r"^(?P<count>.+?)\s+(?P<unit>[a-z]+)\s+ago$")


def _ago_point(text: str, published: date | None) -> _Point | None:
    match = _AGO.match(text)
    if not match:
        return None
    words = time_words()
    unit = words.ago_units.get(match["unit"])
    count_words = match["count"]
    if unit is None:
        return None
    count = 1 if count_words in ("a", "an", "one") else parse_integer(count_words)
    precision = unit
    if count is None:
        count = words.ago_vague_counts.get(count_words)
        if count is None:
            return None
        precision = _COARSER[unit]  # 'a few weeks ago' is less sure than 'three weeks ago'
    if published is None:
        return _Point(None, _UNRESOLVED, anchor=f"ago:{count}-{unit}s")
    if unit == "day":
        day = published - timedelta(days=count)
    elif unit == "week":
        day = published - timedelta(weeks=count)
    elif unit == "month":
        day = _month_start(published, -count)
    else:
        day = date(published.year - count, 1, 1)
    return _Point(_period_start(precision, day), precision)


_ORDINAL = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"


@lru_cache(maxsize=1)
def _absolute_patterns() -> list[re.Pattern]:
    month = rf"(?P<month>{phrase_pattern(time_words().months)})"
    return [
        re.compile(r"^(?P<year>\d{4})[-/](?P<month_number>\d{1,2})[-/](?P<day>\d{1,2})$"),
        re.compile(rf"^{_ORDINAL}\s+(?:of\s+)?{month}(?:\s+{_YEAR})?$"),
        re.compile(rf"^{month}\s+{_ORDINAL}(?:\s+{_YEAR})?$"),
        re.compile(rf"^{month}(?:\s+(?:of\s+)?{_YEAR})?$"),
        re.compile(rf"^{_YEAR}$"),
    ]


def _absolute_point(text: str, published: date | None) -> _Point | None:
    """'3 February 2018', 'Dec 15', 'March 2011', 'March', '2015', '2018-02-03' (no year: the latest
    year that keeps it on or before publication)."""
    text = re.sub(r"^(?:last|this|past)\s+", "", text)  # 'last March' is the most recent March
    for pattern in _absolute_patterns():
        match = pattern.match(text)
        if match:
            break
    else:
        return None
    fields = match.groupdict()
    year = int(fields["year"]) if fields.get("year") else None
    if fields.get("month_number"):
        month = int(fields["month_number"])
    elif fields.get("month"):
        month = time_words().months[fields["month"]]
    else:
        month = None
    day = int(fields["day"]) if fields.get("day") else None
    precision = "day" if day else "month" if month else "year"
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if year is None:
        if published is None:
            anchor = f"monthday:{month:02d}-{day:02d}" if day else f"month:{month:02d}"
            return _Point(None, _UNRESOLVED, anchor=anchor)
        # the latest year that puts it on or before publication (a few years back for 29 February)
        for year in range(published.year, published.year - 9, -1):
            candidate = _safe_date(year, month, day or 1)
            if candidate is not None and candidate <= published:
                return _Point(candidate, precision)
        return None
    candidate = _safe_date(year, month or 1, day or 1)
    if candidate is None:
        return None
    if published is not None and candidate > published:
        return _Point(None, _UNRESOLVED, anchor=f"future:{candidate.isoformat()}")
    return _Point(candidate, precision)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_DATEPARSER_PRECISION = {"day": "day", "time": "day", "week": "week", "month": "month", "year": "year"}
_HAS_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


@lru_cache(maxsize=512)
def _date_parser(base: date):
    """A dateparser pinned to `base`, English only (loading every language is slow).

    Its defaults read relative words against the machine's clock and take the day of month from it:
    RELATIVE_BASE pins both to the report's day; PREFER_DATES_FROM='past' picks the year that keeps
    a month-day on or before it; PREFER_DAY_OF_MONTH='first' matches the month convention above.
    (Weekdays are never sent here: dateparser puts 'Saturday' said on a Saturday a week back.)
    """
    from dateparser.date import DateDataParser  # slow import, only needed for unusual forms

    settings = {
        "RELATIVE_BASE": datetime(base.year, base.month, base.day, 12, 0),
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "MDY",
    }
    return DateDataParser(languages=["en"], settings=settings)


# Stands in for the base when the report is undated; a result is kept only if its year is written in
# the expression, so nothing of this base (or of the clock) can reach a returned date.
_NO_BASE = date(1900, 1, 1)


def _dateparser_point(text: str, published: date | None) -> _Point | None:
    written_years = set(_HAS_YEAR.findall(text))
    if published is None and not written_years:
        return None
    try:
        parsed = _date_parser(published or _NO_BASE).get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None or parsed.date_obj is None:
        return None
    day = parsed.date_obj.date()
    if published is None and str(day.year) not in written_years:
        return None
    precision = _DATEPARSER_PRECISION.get(parsed.period or "day", "day")
    day = _period_start(precision, day)
    if published is not None and day > published:
        return _Point(None, _UNRESOLVED, anchor=f"future:{day.isoformat()}")
    return _Point(day, precision)


def _resolve_point(text: str, published: date | None) -> _Point:
    """One point in time from a normalised expression that is not a 'since' period."""
    words = time_words()
    plain = words.strip_leading(text)
    found = _lookup_phrase(plain, published)
    if found is not None:
        return found
    core = words.strip_edges(plain)
    if core != plain:
        found = _lookup_phrase(core, published)
        if found is not None:
            return found
    for rule in (_weekday_point, _ago_point, _absolute_point):
        found = rule(core, published)
        if found is not None:
            return found
    found = _dateparser_point(core, published)
    if found is not None:
        return found
    return _Point(None, _UNRESOLVED, anchor=f"unresolved:{hyphenated(core)}")


@lru_cache(maxsize=1)
def _since_prefix() -> re.Pattern:
    # 'beginning of January' is a month, not the start of a period
    return re.compile(rf"^(?:{phrase_pattern(time_words().since_words)})\s+(?!of\b)")


@lru_cache(maxsize=65536)
def _resolve(expression: str | None, published: str | None) -> DateValue:
    published_day = _published_day(published)
    published_iso = published_day.isoformat() if published_day else None
    if expression is None or not expression.strip():
        if published_day is None:
            return DateValue(date=None, precision=_UNRESOLVED, explicit=False)
        return DateValue(date=published_iso, precision="day", explicit=False)
    normalised = normalise(expression)
    since = _since_prefix().match(time_words().strip_leading(normalised))
    if since:
        inner = _resolve_point(time_words().strip_leading(normalised)[since.end() :], published_day)
        start = inner.date.isoformat() if inner.date is not None else None
        if published_day is None:
            anchor = "since:" + (inner.anchor or start or "")
            return DateValue(date=None, precision=_UNRESOLVED, start=start, text=expression, anchor=anchor)
        # the situation runs from the start up to the report
        return DateValue(date=published_iso, precision="day", start=start, text=expression)
    point = _resolve_point(normalised, published_day)
    return DateValue(
        date=point.date.isoformat() if point.date is not None else None,
        precision=point.precision,
        start=point.start.isoformat() if point.start is not None else None,
        text=expression,
        explicit=point.explicit,
        anchor=point.anchor if point.date is None else None,
    )


def _published_day(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None  # Document.published is ISO or None: ingest parsed it


def resolve_date(expression: str | None, published: str | None) -> DateValue:
    """A time expression as written (or None) and the report's ISO publication date (or None) to a date.

    See the module docstring for the conventions. Never after `published`, never from the clock.
    """
    return _resolve(expression, published)
