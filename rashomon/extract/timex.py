"""Time expressions in a sentence: where they are (resolution to calendar dates is in resolve/dates.py).

The word lists are in data/time_words.yaml, shared with the resolver, which imports this module.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

_DATA_PATH = Path(__file__).parent / "data" / "time_words.yaml"
# English names written out: calendar.day_name follows the machine's locale
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def hyphenated(phrase: str) -> str:
    return phrase.replace(" ", "-")


def normalise(expression: str) -> str:
    """Lower case, "'" for '’', no '.'/','/brackets, 'mid-January' as 'mid january', no possessive 's."""
    text = expression.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[.,;:()\[\]\"]", " ", text)
    text = re.sub(r"(?<=[a-z])[-–](?=[a-z0-9])", " ", text)
    text = re.sub(r"'s\b|(?<=s)'(?=\s|$)", "", text)
    return " ".join(text.split())


def phrase_pattern(phrases) -> str:
    """Alternation of phrases, longest first, matching any spacing between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered)


class TimeWords:
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
        self._leading = re.compile(rf"^(?:{phrase_pattern(self.leading_words)})\s+")
        self._edge_start = re.compile(rf"^(?:{phrase_pattern(self.edge_words)})\s+")
        self._day_part_end = re.compile(rf"\s+(?:{phrase_pattern(self.day_parts)})$")
        # keys as the lookups will see them: 'in recent weeks' -> 'recent weeks'
        self.relative = {self.strip_leading(k): v for k, v in data["relative"].items()}
        self.weekend = {self.strip_leading(k): v for k, v in data["weekend"].items()}
        self.windows = {self.strip_leading(k): v for k, v in data["windows"].items()}
        self.future = {self.strip_leading(k) for k in data["future"]}
        self.anaphoric = {self.strip_leading(k) for k in data["anaphoric"]}

    def strip_leading(self, text: str) -> str:
        text = normalise(text)
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
def time_words() -> TimeWords:
    with open(_DATA_PATH, encoding="utf-8") as handle:
        return TimeWords(yaml.safe_load(handle))




@lru_cache(maxsize=1)
def _expression_patterns() -> list[re.Pattern]:
    words = time_words()
    weekday = "(?:{})".format("|".join(WEEKDAY_NAMES))
    month_full = "(?:{})".format("|".join(MONTH_NAMES))
    abbreviations = [m.capitalize() for m in words.months if m.capitalize() not in MONTH_NAMES]
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
    cardinals = phrase_pattern(["a", "an", "a few", "several", "a couple of", *_CARDINAL_WORDS])
    phrases = [*words.raw["relative"], *words.raw["weekend"], *words.raw["windows"], *words.raw["future"]]
    alternatives = [
        # 'since the early hours of Saturday', 'on Saturday afternoon', "Saturday's", 'Sat, Feb. 3'
        rf"{preposition}?{weekday_qualifier}{hour_edge}{weekday}(?:['’]s)?{day_part}"
        rf"(?:,?\s+(?:{month_day}|{day_month}))?",
        rf"{preposition}?{period_edge}?(?:{month_day}|{day_month}|{month_year})",
        rf"(?:{preposition}|{period_edge}|(?i:last|this)\s+){period_edge}?{month_full}",
        rf"(?:{preposition}|{period_edge}){period_edge}?{year}",
        rf"{preposition}?(?:19|20)\d\d-[01]\d-[0-3]\d",
        rf"{preposition}?(?:(?i:early|late)\s+)?(?i:{phrase_pattern(phrases)})(?:['’]s)?{day_part}",
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
