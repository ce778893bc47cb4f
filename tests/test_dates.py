"""Time expressions to dates: the seed reports' phrases, the conventions, and no clock leaking in."""

from __future__ import annotations

import datetime as real_datetime
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from rashomon.ingest.metadata import parse_published
from rashomon.resolve import dates
from rashomon.resolve.dates import find_time_expressions, resolve_date

SATURDAY = "2018-02-03"  # seeds 000 and 001 were published on Saturday 3 February 2018
SUNDAY = "2018-02-04"  # seed 002

# Sentences of the seed reports (corpus/seeds) with the expressions in them and what they resolve to
# given the report's publication date: (sentence, published, [(expression, date, precision, start)]).
SEED_SENTENCES = [
    ("The Britain-based Syrian Observatory for Human Rights said the plane was downed on Saturday afternoon "
     "near the rebel-held town of Saraqeb.", SATURDAY,
     [("on Saturday afternoon", "2018-02-03", "day", None)]),
    ("Russia is a key ally of President Bashar Assad, and has been waging a military campaign on behalf of "
     "his forces since 2015.", SATURDAY,
     [("since 2015", "2018-02-03", "day", "2015-01-01")]),
    ("Earlier in the day, the Observatory and the media arm of al Qaida-linked militants reported intense "
     "air strikes in Idlib.", SATURDAY,
     [("Earlier in the day", "2018-02-03", "day", None)]),
    ("The Observatory reported more than 35 air strikes on Saraqeb since late Friday, adding that many of "
     "its residents are fleeing.", SATURDAY,
     [("since late Friday", "2018-02-03", "day", "2018-02-02")]),
    ("Russian and Syrian warplanes and helicopter gunships have been pounding Saraqeb and the village of "
     "Tel Mardeekh in Idlib since the early hours of Saturday.", SATURDAY,
     [("since the early hours of Saturday", "2018-02-03", "day", "2018-02-03")]),
    ("Syrian government forces and their allies launched a push into Idlib six weeks ago, inching closer "
     "to a key road.", SATURDAY,
     [("six weeks ago", "2017-12-18", "week", None)]),
    ("The UN says more than 270,000 people have been displaced in Idlib because of the government "
     "onslaught since December 15.", SATURDAY,
     [("since December 15", "2018-02-03", "day", "2017-12-15")]),
    ("The military said Saturday’s deaths were related to Turkey’s operation against Syrian Kurdish-held "
     "Afrin, codenamed Olive Branch.", SATURDAY,
     [("Saturday’s", "2018-02-03", "day", None)]),
    ("A total of eight Turkish soldiers and at least 24 allied Syrian opposition fighters have died so far "
     "in Ankara’s offensive, which started on January 20.", SATURDAY,
     [("on January 20", "2018-01-20", "day", None)]),
    ("Syrian opposition fighters said Saturday they had shot down a Russian warplane and captured its "
     "pilots in a opposition stronghold in Idlib province.", SATURDAY,
     [("Saturday", "2018-02-03", "day", None)]),
    ("The Syrian army last month retook control of the strategic airbase of Abu Dhuhur from insurgents "
     "in Idlib.", SATURDAY,
     [("last month", "2018-01-01", "month", None)]),
    ("The U.N. says more than 270,000 have been displaced in Idlib because of the government onslaught "
     "since Dec. 15.", SATURDAY,
     [("since Dec. 15", "2018-02-03", "day", "2017-12-15")]),
    ("On Jan. 20, Turkey launched Operation Olive Branch along with the FSA to clear PKK/YPG and Daesh "
     "terrorists from Afrin, northwestern Syria.", SATURDAY,
     [("On Jan. 20", "2018-01-20", "day", None)]),
    ("Al-Qaida-linked militants in Syria downed a Russian fighter jet on Saturday and killed its pilot "
     "after he ejected from the plane.", SUNDAY,
     [("on Saturday", "2018-02-03", "day", None)]),
    ("Moscow began conducting air strikes in Syria in September 2015.", SUNDAY,
     [("in September 2015", "2015-09-01", "month", None)]),
]

# Seeds 003 and 004 carry no publication date: relative expressions stay unresolved, with an anchor.
UNDATED_SENTENCES = [
    ("ANKARA, Turkey (AP) — Turkey shot down a Syrian fighter jet in Syria’s Idlib province Tuesday, "
     "marking the third such incident in as many days.", [("Tuesday", "weekday:tuesday")]),
    ("A Turkish soldier was killed and another wounded Monday night, Turkey’s Defense Ministry said, raising "
     "to 55 the number of Turkish losses this month.",
     [("Monday night", "weekday:monday"), ("this month", "relative:this-month")]),
    ("The death toll includes 33 Turkish soldiers killed Thursday in a single airstrike.",
     [("Thursday", "weekday:thursday")]),
    ("Turkish President Recep Tayyip Erdogan has said he hopes to broker a cease-fire in Syria later this "
     "week.", [("later this week", "future:later-this-week")]),
    ("However Washington has refused Turkey’s requests in the past, as it bought Russian-made S-400 "
     "missiles last year.", [("last year", "relative:last-year")]),
]


@pytest.mark.parametrize("sentence,published,expected", SEED_SENTENCES)
def test_seed_expressions_are_found_and_resolved(sentence, published, expected):
    found = [span[2] for span in find_time_expressions(sentence)]
    assert found == [item[0] for item in expected]
    for expression, day, precision, start in expected:
        value = resolve_date(expression, published)
        assert (value.date, value.precision, value.start) == (day, precision, start), expression
        assert value.text == expression
        assert value.explicit


@pytest.mark.parametrize("sentence,expected", UNDATED_SENTENCES)
def test_undated_seed_expressions_stay_null_with_anchor(sentence, expected):
    found = [span[2] for span in find_time_expressions(sentence)]
    assert found == [item[0] for item in expected]
    for expression, anchor in expected:
        value = resolve_date(expression, None)
        assert value.date is None
        assert value.precision == "none"
        assert value.anchor == anchor


def test_absolute_dates_resolve_without_publication_date():
    assert resolve_date("in March 2011", None).date == "2011-03-01"
    assert resolve_date("in March 2011", None).precision == "month"
    assert resolve_date("3 February 2018", None).date == "2018-02-03"
    assert resolve_date("2018-02-03", None).date == "2018-02-03"
    assert resolve_date("in 2018", None).date == "2018-01-01"
    assert resolve_date("since 2015", None).start == "2015-01-01"
    month_day = resolve_date("since Dec. 15", None)
    assert (month_day.date, month_day.start, month_day.anchor) == (None, None, "since:monthday:12-15")
    assert resolve_date("Jan. 20", None).anchor == "monthday:01-20"


def test_weekday_is_most_recent_on_or_before_publication():
    # 2018-02-03 is a Saturday
    assert resolve_date("Saturday", SATURDAY).date == "2018-02-03"
    assert resolve_date("Friday", SATURDAY).date == "2018-02-02"
    assert resolve_date("Sunday", SATURDAY).date == "2018-01-28"
    assert resolve_date("Saturday", SUNDAY).date == "2018-02-03"
    assert resolve_date("last Saturday", SATURDAY).date == "2018-01-27"
    assert resolve_date("late Friday", SATURDAY).date == "2018-02-02"
    assert resolve_date("early on Saturday", SATURDAY).date == "2018-02-03"
    assert resolve_date("overnight Friday", SATURDAY).date == "2018-02-02"
    assert resolve_date("Saturday, Feb. 3", SUNDAY).date == "2018-02-03"
    assert resolve_date("Sat", SATURDAY).date == "2018-02-03"


@pytest.mark.parametrize("expression,day,precision", [
    ("yesterday", "2018-02-02", "day"),
    ("yesterday morning", "2018-02-02", "day"),
    ("today", "2018-02-03", "day"),
    ("this morning", "2018-02-03", "day"),
    ("last night", "2018-02-02", "day"),
    ("overnight", "2018-02-02", "day"),
    ("last week", "2018-01-22", "week"),  # Monday of the previous week
    ("earlier this week", "2018-01-29", "week"),
    ("over the weekend", "2018-01-29", "week"),
    ("last weekend", "2018-01-22", "week"),
    ("last month", "2018-01-01", "month"),  # first of the previous month
    ("earlier this month", "2018-02-01", "month"),
    ("late last month", "2018-01-01", "month"),
    ("last year", "2017-01-01", "year"),
    ("2 days ago", "2018-02-01", "day"),
    ("three months ago", "2017-11-01", "month"),
    ("a few days ago", "2018-01-29", "week"),  # vague count: one precision coarser
    ("in March", "2017-03-01", "month"),  # March 2018 would be after publication
    ("mid-January", "2018-01-01", "month"),
    ("Feb 3", "2018-02-03", "day"),  # same day allowed
    ("Feb 4", "2017-02-04", "day"),  # never after publication: the year before
    ("February 29", "2016-02-29", "day"),
    ("the 3rd of February", "2018-02-03", "day"),
    ("2015", "2015-01-01", "year"),
    ("02/03/2018", "2018-02-03", "day"),  # not a hand-written form: dateparser, pinned to publication
])
def test_relative_and_absolute_forms(expression, day, precision):
    value = resolve_date(expression, SATURDAY)
    assert (value.date, value.precision) == (day, precision)


def test_windows_run_up_to_publication():
    value = resolve_date("in recent weeks", SATURDAY)
    assert value.date == SATURDAY
    assert value.start == "2018-01-06"
    assert value.precision == "month"
    assert not value.explicit


@pytest.mark.parametrize("expression", ["tomorrow", "next week", "later this week", "next Friday",
                                        "4 February 2018", "in 2019", "in March 2018"])
def test_future_expressions_get_no_date(expression):
    value = resolve_date(expression, SATURDAY)
    assert value.date is None
    assert value.anchor and value.anchor.startswith("future:")


def test_no_expression_means_publication_date_not_explicit():
    assert resolve_date(None, SATURDAY) == dates.DateValue(date=SATURDAY, precision="day", explicit=False)
    assert resolve_date("  ", SATURDAY).date == SATURDAY
    undated = resolve_date(None, None)
    assert (undated.date, undated.precision, undated.explicit) == (None, "none", False)


def test_unreadable_expression_is_unresolved_not_guessed():
    value = resolve_date("the previous day", SATURDAY)
    assert value.date is None
    assert value.anchor == "unresolved:previous-day"


def test_durations_are_not_time_expressions():
    assert find_time_expressions("The clashes went on for hours in the 9-year-old war.") == []
    assert find_time_expressions("For several weeks Turkey has been amassing troops near the border.") == []
    assert find_time_expressions("Protesters march on; they may return.") == []


def test_spans_point_into_the_sentence():
    sentence = "Jets struck overnight and again on Jan. 20, 2018, and two days ago; in 2016 3,000 fled."
    spans = find_time_expressions(sentence)
    assert [text for _, _, text in spans] == ["overnight", "on Jan. 20, 2018", "two days ago", "in 2016"]
    for start, end, text in spans:
        assert sentence[start:end] == text


EXPRESSIONS = [
    "Saturday", "on Sunday", "Monday night", "Friday's", "last Tuesday", "this Wednesday", "Thursday",
    "yesterday", "today", "overnight", "last week", "this week", "last month", "earlier this month",
    "last year", "over the weekend", "last weekend", "in recent weeks", "recently", "six weeks ago",
    "2 days ago", "a year ago", "since late Friday", "since December 15", "since Dec. 15",
    "on Jan. 20", "January 20", "Feb 3", "Feb 4", "December 31", "in March", "in March 2011",
    "2015", "in September 2015", "the early hours of Saturday", "Earlier in the day",
    "3 February 2018", "2018-02-03", "02/03/2018", "mid-January", "the end of 2017", None,
]
PUBLICATION_DATES = [(date(2017, 12, 25) + timedelta(days=offset)).isoformat() for offset in range(0, 70, 3)]


def _assert_never_after_published(published: str) -> None:
    for expression in EXPRESSIONS:
        value = resolve_date(expression, published)
        for field in (value.date, value.start):
            assert field is None or field <= published, (expression, published, value)


@pytest.mark.parametrize("published", PUBLICATION_DATES)
def test_nothing_resolves_after_publication(published):
    _assert_never_after_published(published)


class _FarFutureDatetime(real_datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2099, 6, 15, 12, 0, tzinfo=tz)

    @classmethod
    def today(cls):
        return cls(2099, 6, 15, 12, 0)

    @classmethod
    def utcnow(cls):
        return cls(2099, 6, 15, 12, 0)


class _FarFutureDate(real_datetime.date):
    @classmethod
    def today(cls):
        return cls(2099, 6, 15)


def test_far_future_clock_cannot_leak_in(monkeypatch):
    """Every clock dateparser or this module could read says 2099: results must not change."""
    before = {(e, p): resolve_date(e, p) for e in EXPRESSIONS for p in (SATURDAY, SUNDAY, None)}
    for name, module in list(sys.modules.items()):
        if module is None or not (name.startswith("dateparser") or name == "rashomon.resolve.dates"):
            continue
        if getattr(module, "datetime", None) is real_datetime.datetime:
            monkeypatch.setattr(module, "datetime", _FarFutureDatetime)
        if getattr(module, "date", None) is real_datetime.date:
            monkeypatch.setattr(module, "date", _FarFutureDate)
    dates._resolve.cache_clear()
    dates._date_parser.cache_clear()
    try:
        after = {(e, p): resolve_date(e, p) for e in EXPRESSIONS for p in (SATURDAY, SUNDAY, None)}
        _assert_never_after_published(SATURDAY)
    finally:
        dates._resolve.cache_clear()
        dates._date_parser.cache_clear()
    assert after == before
    assert all(value.date is None or value.date < "2099" for value in after.values())


@pytest.mark.parametrize("raw,expected", [
    ("Sun, February 04, 2018", "2018-02-04"),
    ("Published: Sun, February 04, 2018", "2018-02-04"),
    ("2018-02-03", "2018-02-03"),
    (" date 2018-02-03 ", "2018-02-03"),
    ("4/5/2017", "2017-04-05"),  # FA-KES: US month/day/year
    ("13/5/2017", "2017-05-13"),  # a first number above 12 can only be a day
    ("2020-03-03T10:00:00Z", "2020-03-03"),
    ("2020-03-03T23:30:00-05:00", "2020-03-03"),  # the day as written, in the publisher's time zone
    ("March 3, 2020 10:41 AM", "2020-03-03"),
    ("Wed 05 Apr 2017", "2017-04-05"),
    ("2018/02/03", "2018-02-03"),
    ("2018-02-30", None),
    ("2 hours ago", None),
    ("yesterday", None),
    ("February 2018", None),
    ("2999-01-01", None),
    ("not a date", None),
    ("", None),
])
def test_parse_published(raw, expected):
    assert parse_published(raw) == expected


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed corpus is not on this machine")
def test_seed_files_resolve_on_or_before_their_publication():
    published = {"000": SATURDAY, "001": SATURDAY, "002": SUNDAY, "003": None, "004": None}
    for path in sorted(SEEDS.glob("*.txt")):
        report_date = published[path.name[:3]]
        for line in path.read_text(encoding="utf-8").splitlines():
            for _, _, expression in find_time_expressions(line):
                value = resolve_date(expression, report_date)
                if report_date is None:
                    # only expressions carrying their own year may be dated in an undated report
                    assert value.date is None or any(ch.isdigit() for ch in expression), expression
                else:
                    assert value.date is None or value.date <= report_date, expression
