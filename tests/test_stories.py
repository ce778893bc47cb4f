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


def test_the_shortlist_chooses_as_comparing_every_story():
    """StoryShortlist compares a report exactly only with the stories whose words could reach the join
    threshold; the stories chosen, their members and their profiles must be those of the full comparison."""
    import random
    from collections import Counter
    from datetime import date, timedelta

    from rashomon.fuse.stories import StoryShortlist, assign_features

    rng = random.Random(7)
    topics = [[f"w{t}x{i}" for i in range(12)] for t in range(40)]
    common = [f"common{i}" for i in range(30)]

    def features(n: int) -> tuple[Counter, set[str], set[str]]:
        # a report mostly of one topic's words, some of another's and common words: similarities spread
        # over the whole range, many near the thresholds
        main, other = rng.sample(topics, 2)
        words = rng.sample(main, rng.randint(2, 10)) + rng.sample(other, rng.randint(0, 6))
        words += rng.sample(common, rng.randint(0, 12))
        places = {rng.choice(["Aleppo", "Idlib", "Homs"])} if rng.random() < 0.5 else set()
        return Counter({w: 1 + rng.random() for w in words}), places, set()

    # over some 10 weeks, not in date order (a feed's copies jump): stories near a report's day and far
    days = [(date(2017, 3, 1) + timedelta(days=n // 8 + rng.choice([0, 0, -30, 30]))).isoformat()
            for n in range(600)]
    reports = [(f"r{n}", days[n] if n % 9 else None, *features(n)) for n in range(600)]
    full, short = [], []
    chosen_full, chosen_short = [], []
    for start in range(0, len(reports), 50):  # batches, as rashomon.pipeline.fuse_batch takes them
        shortlist = StoryShortlist(short)
        for doc_id, published, terms, places, actors in reports[start : start + 50]:
            a = assign_features(doc_id, doc_id, published, terms, places, actors, full)
            b = assign_features(doc_id, doc_id, published, terms, places, actors, shortlist)
            chosen_full.append(a.id)
            chosen_short.append(b.id)
    assert chosen_short == chosen_full
    assert len(set(chosen_full)) > 40 and len(set(chosen_full)) < 500  # reports both join and found stories
    assert [(s.id, s.doc_ids, s.terms) for s in short] == [(s.id, s.doc_ids, s.terms) for s in full]
    # and it does shortlist: a report of one topic is compared with few of the hundreds of stories
    shortlist = StoryShortlist(short)
    unit = {w: 0.5 for w in topics[0][:4]}
    assert 0 < len(shortlist.candidates(unit)) < len(short) / 4
