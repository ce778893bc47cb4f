"""Stories: which reports tell of one developing situation (rashomon/fuse/stories.py)."""

from __future__ import annotations

from rashomon.fuse.stories import assign_story, similarity, terms_of
from rashomon.models import Document

QUAKE = ("A strong earthquake struck the coast of {place} on Sunday in {year}, toppling houses and killing "
         "dozens of people, officials said. Rescue teams searched the rubble through the night while "
         "aftershocks shook the region. The quake of {year} was the strongest in the area for decades.")


def report(doc_id: str, place: str, year: str, published: str | None = None) -> Document:
    return Document(doc_id, f"{doc_id}.txt", QUAKE.format(place=place, year=year), published=published)


def test_named_years_are_among_a_reports_words():
    terms = terms_of(QUAKE.format(place="Chile", year="2010"))
    assert "2010" in terms and terms["2010"] > terms["rubble"]
    assert "99" not in terms_of("99 houses fell")  # a number is not a year


def test_a_report_naming_another_year_is_less_alike():
    stories = []
    story = assign_story(report("a", "Chile", "2010"), [], stories)
    same_year = similarity(terms_of(QUAKE.format(place="Chile", year="2010")), set(), set(), story)
    other_year = similarity(terms_of(QUAKE.format(place="Chile", year="2014")), set(), set(), story)
    assert other_year < same_year - 0.05


def test_dated_reports_far_apart_are_other_stories():
    stories = []
    first = assign_story(report("a", "Chile", "2010", "2010-02-28"), [], stories)
    late = assign_story(report("b", "Chile", "2010", "2010-06-01"), [], stories)
    assert late.id != first.id
