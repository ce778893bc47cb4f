"""Count words to best/low/high: ACLED's conservative best, the spread the words give, the words kept."""

from __future__ import annotations

import pytest

from rashomon.resolve.numbers import parse_count, parse_integer


@pytest.mark.parametrize("words,best,low,high", [
    # the seed reports' counts
    ("33", 33, 33, 33),
    ("33 Turkish soldiers", 33, 33, 33),
    ("two of its soldiers", 2, 2, 2),
    ("A total of eight", 8, 8, 8),
    ("at least 24", 24, 24, 24),
    ("more than 90", 90, 90, 90),
    ("more than 35", 35, 35, 35),
    ("more than 270,000", 270000, 270000, 270000),
    ("five civilians", 5, 5, 5),
    ("dozens", 12, 12, 99),
    ("as many as 50", 50, 50, 50),
    ("Almost a million", 900000, 900000, 999999),
    ("almost 1 million people", 900000, 900000, 999999),
    ("hundreds of thousands of people", 100000, 100000, 999999),
    ("thousands of troops", 1000, 1000, 9999),
    ("over 3.5 million", 3500000, 3500000, 3500000),
    ("One of the soldiers", 1, 1, 1),
    ("A Turkish soldier", 1, 1, 1),
    # qualifiers
    ("over 90", 90, 90, 90),
    ("50 or more", 50, 50, 50),
    ("up to 50", 50, 50, 50),
    ("nearly 100", 90, 90, 99),
    ("about 50", 50, 50, 50),
    ("some 200", 200, 200, 200),
    ("fewer than 10", 9, 9, 9),
    ("no fewer than 20", 20, 20, 20),
    ("more than a dozen", 12, 12, 12),
    # ranges: the lower figure is best
    ("20 to 30", 20, 20, 30),
    ("between 20 and 30", 20, 20, 30),
    ("20-30", 20, 20, 30),
    ("two or three", 2, 2, 3),
    ("2,000-3,000", 2000, 2000, 3000),
    # vague quantities (ACLED: tens 10, dozens 12, hundreds 100)
    ("a dozen", 12, 12, 12),
    ("tens of", 10, 10, 99),
    ("tens of thousands", 10000, 10000, 99999),
    ("scores of", 20, 20, 99),
    ("hundreds", 100, 100, 999),
    ("several", 10, 3, 19),
    ("a number of", 10, 3, 19),
    ("a few", 3, 3, 9),
    ("several hundred", 100, 100, 999),
    ("a few dozen", 12, 12, 99),
    ("half a dozen", 6, 6, 6),
    ("two dozen", 24, 24, 24),
    # plain figures
    ("two", 2, 2, 2),
    ("a", 1, 1, 1),
    ("an", 1, 1, 1),
    ("one", 1, 1, 1),
    ("both", 2, 2, 2),
    ("a pair of", 2, 2, 2),
    ("twenty-five", 25, 25, 25),
    ("twenty five", 25, 25, 25),
    ("one hundred and five", 105, 105, 105),
    ("one thousand two hundred and fifty", 1250, 1250, 1250),
    ("a hundred", 100, 100, 100),
    ("1.5 million", 1500000, 1500000, 1500000),
    ("270,000", 270000, 270000, 270000),
    ("no one", 0, 0, 0),
    ("zero", 0, 0, 0),
    # an age says who, not how many
    ("A 64-year-old man", 1, 1, 1),
    ("two 17-year-old boys", 2, 2, 2),
])
def test_parse_count(words, best, low, high):
    count = parse_count(words)
    assert count is not None, words
    assert (count.best, count.low, count.high) == (best, low, high)
    assert count.text == words
    assert count.low <= count.best <= count.high


@pytest.mark.parametrize("words", ["a third", "two thirds", "half", "50 percent", "its pilot", "the pilots",
                                   "1.5", "", "   ", "raising to 55", "An unknown number of junta soldiers",
                                   "an undisclosed number", "24-year-old sepoy"])
def test_no_count(words):
    assert parse_count(words) is None


def test_text_keeps_the_words_as_given():
    assert parse_count("  Dozens of martyrs ").text == "Dozens of martyrs"


@pytest.mark.parametrize("words,value", [("six", 6), ("24", 24), ("twenty-five", 25), ("1,100", 1100),
                                         ("six weeks", None), ("several", None), ("", None)])
def test_parse_integer(words, value):
    assert parse_integer(words) == value
