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
from pathlib import Path

import yaml

from rashomon.models import DateValue
from rashomon.resolve.numbers import parse_integer

_DATA_PATH = Path(__file__).parent / "data" / "time_words.yaml"
# English names written out: calendar.day_name follows the machine's locale
_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"]
_UNRESOLVED = "none"


def _hyphenated(phrase: str) -> str:
    return phrase.replace(" ", "-")


def _normalise(expression: str) -> str:
    """Lower case, "'" for '’', no '.'/','/brackets, 'mid-January' as 'mid january', no possessive 's."""
    text = expression.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[.,;:()\[\]\"]", " ", text)
    text = re.sub(r"(?<=[a-z])[-–](?=[a-z0-9])", " ", text)
    text = re.sub(r"'s\b|(?<=s)'(?=\s|$)", "", text)
    return " ".join(text.split())


def _phrase_pattern(phrases) -> str:
    """Alternation of phrases, longest first, matching any spacing between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered)


class _TimeWords:
    """time_words.yaml, with every phrase key normalised the way expressions are."""

    def __init__(self, data: dict):
        self.weekdays: dict[str, int] = data["weekdays"]
        self.months: dict[str, int] = data["months"]
        self.leading_words: list[str] = sorted(data["leading_words"], key=len, reverse=True)
        self.edge_words: list[str] = sorted(data["edge_words"], key=len, reverse=True)
        self.day_parts: list[str] = sorted(data["day_parts"], key=len, reverse=True)
        self.since_words: list[str] = data["since_words"]
        self.weekday_qualifiers: dict[str, str] = data["weekday_qualifiers"]
        self.ago_units: dict[str, str] = data["ago_units"]
        self.ago_vague_counts: dict[str, int] = data["ago_vague_counts"]
        self.raw = data
        self._leading = re.compile(rf"^(?:{_phrase_pattern(self.leading_words)})\s+")
        self._edge_start = re.compile(rf"^(?:{_phrase_pattern(self.edge_words)})\s+")
        self._day_part_end = re.compile(rf"\s+(?:{_phrase_pattern(self.day_parts)})$")
        # keys as the lookups will see them: 'in recent weeks' -> 'recent weeks'
        self.relative = {self.strip_leading(k): v for k, v in data["relative"].items()}
        self.weekend = {self.strip_leading(k): v for k, v in data["weekend"].items()}
        self.windows = {self.strip_leading(k): v for k, v in data["windows"].items()}
        self.future = {self.strip_leading(k) for k in data["future"]}
        self.anaphoric = {self.strip_leading(k) for k in data["anaphoric"]}

    def strip_leading(self, text: str) -> str:
        text = _normalise(text)
        while True:
            stripped = self._leading.sub("", text, count=1)
            if stripped == text:
                return text
            text = stripped

    def strip_edges(self, text: str) -> str:
        """Drop prepositions, hour-narrowing words and parts of the day until nothing changes."""
        while True:
            stripped = self.strip_leading(text)
            stripped = self._edge_start.sub("", stripped, count=1)
            stripped = self._day_part_end.sub("", stripped, count=1)
            if stripped == text:
                return text
            text = stripped


@lru_cache(maxsize=1)
def _words() -> _TimeWords:
    with open(_DATA_PATH, encoding="utf-8") as handle:
        return _TimeWords(yaml.safe_load(handle))


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
    words = _words()
    if text in words.future:
        return _Point(None, _UNRESOLVED, anchor=f"future:{_hyphenated(text)}")
    if text in words.anaphoric:
        return _Point(None, _UNRESOLVED, anchor=f"unresolved:{_hyphenated(text)}")
    for table in (words.relative, words.weekend, words.windows):
        if text in table:
            break
    else:
        return None
    if published is None:
        return _Point(None, _UNRESOLVED, anchor=f"relative:{_hyphenated(text)}")
    if text in words.relative:
        return _relative_point(words.relative[text], published)
    if text in words.weekend:
        return _weekend_point(words.weekend[text], published)
    window = words.windows[text]
    return _Point(published, window["precision"], start=published - timedelta(days=int(window["days"])),
                  explicit=False)


def _weekday_point(text: str, published: date | None) -> _Point | None:
    words = _words()
    parts = text.split(" ", 1)
    qualifier = "on_or_before"
    if parts[0] in words.weekday_qualifiers and len(parts) > 1:
        qualifier = words.weekday_qualifiers[parts[0]]
        parts = parts[1].split(" ", 1)
    if parts[0] not in words.weekdays:
        return None
    weekday = words.weekdays[parts[0]]
    name = _WEEKDAY_NAMES[weekday].lower()
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
    words = _words()
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
    month = rf"(?P<month>{_phrase_pattern(_words().months)})"
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
        month = _words().months[fields["month"]]
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
    words = _words()
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
    return _Point(None, _UNRESOLVED, anchor=f"unresolved:{_hyphenated(core)}")


@lru_cache(maxsize=1)
def _since_prefix() -> re.Pattern:
    # 'beginning of January' is a month, not the start of a period
    return re.compile(rf"^(?:{_phrase_pattern(_words().since_words)})\s+(?!of\b)")


@lru_cache(maxsize=65536)
def _resolve(expression: str | None, published: str | None) -> DateValue:
    published_day = _published_day(published)
    published_iso = published_day.isoformat() if published_day else None
    if expression is None or not expression.strip():
        if published_day is None:
            return DateValue(date=None, precision=_UNRESOLVED, explicit=False)
        return DateValue(date=published_iso, precision="day", explicit=False)
    normalised = _normalise(expression)
    since = _since_prefix().match(_words().strip_leading(normalised))
    if since:
        inner = _resolve_point(_words().strip_leading(normalised)[since.end() :], published_day)
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
        iso = parse_published(published)
        return date.fromisoformat(iso) if iso else None


def resolve_date(expression: str | None, published: str | None) -> DateValue:
    """A time expression as written (or None) and the report's ISO publication date (or None) to a date.

    See the module docstring for the conventions. Never after `published`, never from the clock.
    """
    return _resolve(expression, published)


# ---------------------------------------------------------------------------------------------- finding

@lru_cache(maxsize=1)
def _expression_patterns() -> list[re.Pattern]:
    words = _words()
    weekday = "(?:{})".format("|".join(_WEEKDAY_NAMES))
    month_full = "(?:{})".format("|".join(_MONTH_NAMES))
    abbreviations = [m.capitalize() for m in words.months if m.capitalize() not in _MONTH_NAMES]
    month = r"(?:{}|(?:{})\.?)".format(month_full, "|".join(sorted(abbreviations, key=len, reverse=True)))
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
    year = r"(?:19|20)\d\d(?![\d%])"
    month_day = rf"{month}\s+{day}(?:,?\s+{year})?"
    day_month = rf"{day}\s+(?:of\s+)?{month}(?:,?\s+{year})?"
    month_year = rf"{month},?\s+{year}"
    preposition = (r"(?:(?i:on|in|at|during|by|since|ever\s+since|starting|beginning|until|till|as\s+of|from)"
                   r"\s+)")
    period_edge = r"(?:(?i:early|late|mid|(?:the\s+)?(?:end|beginning|start|middle)\s+of)[\s-]+)"
    hour_edge = (r"(?:(?i:early|late|earlier|later)\s+(?:(?i:on)\s+)?)?"
                 r"(?:(?i:(?:the\s+)?(?:early\s+|small\s+|wee\s+)?(?:hours|morning|afternoon|evening|night)"
                 r"\s+of|dawn\s+on|overnight)\s+)?")
    day_part = r"(?:\s+(?i:morning|afternoon|evening|night|nighttime))?"
    weekday_qualifier = r"(?:(?i:last|past|this|next|coming)\s+)?"
    cardinals = _phrase_pattern(["a", "an", "a few", "several", "a couple of", *_CARDINAL_WORDS])
    phrases = [*words.raw["relative"], *words.raw["weekend"], *words.raw["windows"], *words.raw["future"]]
    alternatives = [
        # 'since the early hours of Saturday', 'on Saturday afternoon', "Saturday's", 'Sat, Feb. 3'
        rf"{preposition}?{weekday_qualifier}{hour_edge}{weekday}(?:['’]s)?{day_part}"
        rf"(?:,?\s+(?:{month_day}|{day_month}))?",
        rf"{preposition}?{period_edge}?(?:{month_day}|{day_month}|{month_year})",
        rf"(?:{preposition}|{period_edge}|(?i:last|this)\s+){period_edge}?{month_full}",
        rf"(?:{preposition}|{period_edge}){period_edge}?{year}",
        rf"{preposition}?(?:19|20)\d\d-[01]\d-[0-3]\d",
        rf"{preposition}?(?:(?i:early|late)\s+)?(?i:{_phrase_pattern(phrases)})(?:['’]s)?{day_part}",
        rf"{preposition}?(?i:(?:\d+|{cardinals})(?:[\s-](?:{cardinals}))?\s+(?:days?|weeks?|months?|years?)\s+ago)",
    ]
    return [re.compile(rf"(?:{alternative})(?![\w])") for alternative in alternatives]


_WORD_START = re.compile(r"(?<![\w-])\w")
_CARDINAL_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                   "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                   "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
                   "hundred"]


def find_time_expressions(text: str) -> list[tuple[int, int, str]]:
    """Character spans (start, end, text) of the time expressions in a sentence, left to right.

    Dates and periods only: durations ('for hours', 'a 9-year-old war') are not matched. Where two
    readings overlap the longer one wins ('since the early hours of Saturday' over 'Saturday').
    """
    patterns = _expression_patterns()
    candidates: list[tuple[int, int]] = []
    for word in _WORD_START.finditer(text):
        # every word start and every pattern, so the longest reading at each start is seen
        start = word.start()
        ends = [m.end() for m in (p.match(text, start) for p in patterns) if m]
        if ends:
            candidates.append((start, max(ends)))
    candidates.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end in candidates:
        if start >= last_end:
            chosen.append((start, end, text[start:end]))
            last_end = end
    return chosen


# ---------------------------------------------------------------------------------------------- publication

_PUBLISHED_LABEL = re.compile(
    r"^\s*(?:date|dated|published|posted|updated|last\s+updated|first\s+published|publication\s+date)\b"
    r"(?:\s+on)?\s*[:\-–]?\s*", re.IGNORECASE)
_WEEKDAY_PREFIX = re.compile(r"^(?:{})\b\.?,?\s*".format("|".join(
    [*_WEEKDAY_NAMES, "Mon", "Tues", "Tue", "Wed", "Thurs", "Thu", "Fri", "Sat", "Sun"])), re.IGNORECASE)
_ISO_START = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:$|[T\s])")
_YMD_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MDY_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:$|[\s,T])")
_DMY_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|[\s,T])")
_EARLIEST_PUBLISHED = date(1900, 1, 1)
# A publication date may run ahead of this machine's day by time zones, not more.
_FUTURE_TOLERANCE = timedelta(days=2)


def parse_published(value: str) -> str | None:
    """A publication date as found in headers and JSON/CSV fields to an ISO date, or None.

    'Sun, February 04, 2018', '2018-02-03', ' date 2018-02-03 ', '4/5/2017' (US month/day/year, as in
    FA-KES; day/month when the first number cannot be a month), '2020-03-03T10:00:00Z' (the date as
    written, in the publisher's own time zone), 'March 3, 2020 10:41 AM'. Impossible dates, relative
    ones ('2 hours ago': they need the clock) and dates more than two days past this machine's today
    give None; the clock only ever rejects, it never supplies a date.
    """
    if value is None:
        return None
    text = str(value).strip()
    while True:
        stripped = _PUBLISHED_LABEL.sub("", text, count=1).strip()
        if stripped == text:
            break
        text = stripped
    text = _WEEKDAY_PREFIX.sub("", text).strip(" ,")
    if not text:
        return None
    for pattern, order in ((_ISO_START, "ymd"), (_YMD_SLASH, "ymd"), (_YMD_COMPACT, "ymd"),
                           (_MDY_SLASH, "mdy"), (_DMY_DOTS, "dmy")):
        match = pattern.match(text)
        if match:
            return _checked_published(*_ordered_fields(match.groups(), order))
    if not _HAS_YEAR.search(text):
        return None  # no year written: any year would be a guess
    point = _absolute_point(_normalise(_strip_clock_time(text)), None)
    if point is not None and point.date is not None and point.precision == "day":
        return _checked_published(point.date.year, point.date.month, point.date.day)
    parsed = _date_parser(_NO_BASE).get_date_data(text)
    if parsed is None or parsed.date_obj is None or parsed.period not in ("day", "time"):
        return None
    day = parsed.date_obj.date()
    if str(day.year) not in _HAS_YEAR.findall(text):
        return None
    return _checked_published(day.year, day.month, day.day)


_CLOCK_TIME = re.compile(r"\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?.*$", re.IGNORECASE)


def _strip_clock_time(text: str) -> str:
    """'March 3, 2020 10:41 AM' -> 'March 3, 2020'."""
    return _CLOCK_TIME.sub("", text)


def _ordered_fields(groups: tuple[str, ...], order: str) -> tuple[int, int, int]:
    first, second, third = (int(g) for g in groups)
    if order == "ymd":
        return first, second, third
    if order == "dmy":
        return third, second, first
    year = third if len(groups[2]) == 4 else 2000 + third
    if first > 12 >= second:
        return year, second, first  # '13/5/2017' can only be day/month
    return year, first, second


def _checked_published(year: int, month: int, day: int) -> str | None:
    found = _safe_date(year, month, day)
    if found is None or found < _EARLIEST_PUBLISHED or found > date.today() + _FUTURE_TOLERANCE:
        return None
    return found.isoformat()
