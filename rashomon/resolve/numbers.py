"""Count words to numbers: '33', 'more than 90', 'dozens', 'between 20 and 30' -> Count(best, low, high).

`best` follows ACLED's conservative rule (the lowest defensible figure: 'dozens' is 12, 'more than 90'
is 90, '20 to 30' is 20); `low`/`high` keep the spread the words themselves give, as UCDP does. The
word tables and the reasons behind each figure are in data/number_words.yaml.

The phrase is read from its start: qualifiers ('at least'), then one figure, then what follows is
ignored ('two of its soldiers' is 2). Phrases whose first figure is a fraction or an ordinal ('a third',
'half') and phrases without figure words ('its pilot') give None: the caller decides what a singular
noun phrase counts as.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import yaml

from rashomon.models import Count

_DATA_PATH = Path(__file__).parent / "data" / "number_words.yaml"

# Words that may stand before a figure without changing it ('the two', 'all three', 'from 20 to 30').
_SKIPPED_BEFORE_FIGURE = {"the", "all", "from", "of", "its", "their", "his", "her", "these", "those"}
# Plural scale words a vague word before a scale turns into ('several hundred' -> 'hundreds').
_PLURAL_OF_SCALE = {"dozen": "dozens", "hundred": "hundreds", "thousand": "thousands", "million": "millions",
                    "score": "scores"}

_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[a-z]+|[-–—+%>]")
# 'a 64-year-old man', 'the 5-month-old girl': an age says who, not how many
_AGE = re.compile(r"\b[\w.]+[\s-]+(?:year|month|week|day)s?[\s-]+old\b", re.IGNORECASE)


def _phrase_table(words) -> dict[tuple[str, ...], object]:
    """{phrase: value} or [phrase] keyed by token tuples, so phrases match on whole words."""
    if isinstance(words, dict):
        return {tuple(_tokenise(phrase)): value for phrase, value in words.items()}
    return {tuple(_tokenise(phrase)): None for phrase in words}


def _tokenise(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


class _NumberWords:
    def __init__(self, data: dict):
        vague = _phrase_table(data["vague"])
        self.vague = {key: (v["best"], v["low"], v["high"]) for key, v in vague.items()}
        self.exact = _phrase_table(data["exact"])
        self.scales: dict[str, int] = data["scales"]
        self.cardinals: dict[str, int] = data["cardinals"]
        self.no_count = {tuple(_tokenise(w)) for w in data["no_count"]}
        self.qualifiers: dict[tuple[str, ...], str] = {}
        for kind, phrases in data["qualifiers"].items():
            for phrase in phrases:
                self.qualifiers.setdefault(tuple(_tokenise(phrase)), kind)
        self.approach_factor = float(data["approach_factor"])
        self.range_joiners = {tok for w in data["range_joiners"] for tok in _tokenise(w)}
        phrases = [*self.vague, *self.exact, *self.qualifiers, *self.no_count]
        self.longest_phrase = max(len(phrase) for phrase in phrases)


@lru_cache(maxsize=1)
def _words() -> _NumberWords:
    with open(_DATA_PATH, encoding="utf-8") as handle:
        return _NumberWords(yaml.safe_load(handle))


def _match_phrase(tokens: list[str], pos: int, table: dict) -> int:
    """Length of the longest phrase of `table` starting at tokens[pos] (0 when none)."""
    for length in range(min(_words().longest_phrase, len(tokens) - pos), 0, -1):
        if tuple(tokens[pos : pos + length]) in table:
            return length
    return 0


def _cardinal_may_follow(current: float, seen: bool, value: int) -> bool:
    """Whether a cardinal word continues the number so far: 'hundred five', 'twenty five', not 'five six'."""
    if not seen or current % 100 == 0:
        return True
    return current % 10 == 0 and current % 100 >= 20 and value < 10


def _number_at(tokens: list[str], pos: int) -> tuple[int, int] | None:
    """A cardinal in digits or words starting at tokens[pos]: (value, end) or None.

    '270,000', '1.5 million', 'twenty-five', 'one hundred and five', 'a hundred', 'two dozen'.
    """
    words = _words()
    i = pos
    total = 0
    current: float = 0
    seen = False
    if i < len(tokens) and tokens[i][0].isdigit():
        current = float(tokens[i].replace(",", ""))
        seen = True
        i += 1
    elif i + 1 < len(tokens) and tokens[i] in ("a", "an") and tokens[i + 1] in words.scales:
        current = 1  # 'a hundred', 'a million'
        seen = True
        i += 1
    while i < len(tokens):
        token = tokens[i]
        if token in words.cardinals and _cardinal_may_follow(current, seen, words.cardinals[token]):
            current += words.cardinals[token]
            seen = True
        elif token == "-" and seen and current % 100 >= 20 and i + 1 < len(tokens) \
                and _cardinal_may_follow(current, seen, words.cardinals.get(tokens[i + 1], 99)):
            pass  # 'twenty-five': the hyphen joins tens and units
        elif token == "and" and seen and current >= 100 and i + 1 < len(tokens) \
                and tokens[i + 1] in words.cardinals:
            pass  # 'one hundred and five'
        elif token in words.scales and seen:
            scale = words.scales[token]
            if scale == 100:
                current = (current or 1) * 100
            elif scale in (12, 20):
                current *= scale  # 'two dozen', 'three score'
            else:
                total += (current or 1) * scale
                current = 0
        else:
            break
        i += 1
    if not seen:
        return None
    value = total + current
    if value != int(value):
        return None  # '1.5' without a scale is no count of people or things
    return int(value), i


def parse_integer(text: str) -> int | None:
    """A plain cardinal ('six', '24', 'twenty-five', '1.5 million') or None; the whole text must be it."""
    tokens = _tokenise(text)
    found = _number_at(tokens, 0) if tokens else None
    if found is None or found[1] != len(tokens):
        return None
    return found[0]


def _figure_at(tokens: list[str], pos: int) -> tuple[tuple[int, int, int], int, bool] | None:
    """The figure starting at tokens[pos]: ((best, low, high), end, is_exact) or None."""
    words = _words()
    number = _number_at(tokens, pos)
    if number is not None:
        value, end = number
        return (value, value, value), end, True
    length = _match_phrase(tokens, pos, words.vague)
    if length:
        spread = words.vague[tuple(tokens[pos : pos + length])]
        end = pos + length
        scale_word = tokens[end].rstrip("s") if end < len(tokens) else ""
        if scale_word in _PLURAL_OF_SCALE:
            scale = words.scales[scale_word]
            if spread[0] == spread[1] == spread[2]:  # 'a couple hundred' is 200
                value = spread[0] * scale
                return (value, value, value), end + 1, True
            return words.vague[(_PLURAL_OF_SCALE[scale_word],)], end + 1, False  # 'several hundred'
        return spread, end, False
    length = _match_phrase(tokens, pos, words.exact)
    if length:
        value = words.exact[tuple(tokens[pos : pos + length])]
        return (value, value, value), pos + length, True
    return None


def _is_no_count_at(tokens: list[str], pos: int) -> bool:
    """A fraction or ordinal at tokens[pos] ('third', 'thirds', 'half', '%')."""
    if pos >= len(tokens):
        return False
    words = _words()
    return bool(_match_phrase(tokens, pos, words.no_count)) or (tokens[pos].rstrip("s"),) in words.no_count


def _apply_qualifier(kind: str | None, value: int) -> tuple[int, int, int]:
    if kind == "below":
        value = max(value - 1, 0)
        return value, value, value
    if kind == "nearly":
        below = max(math.floor(value * _words().approach_factor), 0)
        return below, below, max(value - 1, below)
    # exact, at_least, at_most, about: the figure named, in all three (see number_words.yaml)
    return value, value, value


@lru_cache(maxsize=16384)
def parse_count(text: str) -> Count | None:
    """Words to a count by ACLED's conservative rule for best and UCDP's low/high spread.

    '33' -> 33/33/33; 'more than 90' -> 90/90/90; 'nearly 100' -> 90/90/99; 'dozens' -> 12/12/99;
    'between 20 and 30' -> 20/20/30; 'a'/'one' -> 1; 'a third' -> None; 'its pilot' -> None.
    Count.text keeps the words as given.
    """
    if not text or not text.strip():
        return None
    words = _words()
    tokens = _tokenise(_AGE.sub(" ", text))
    qualifier: str | None = None
    pos = 0
    figure = None
    while pos < len(tokens):
        length = _match_phrase(tokens, pos, words.qualifiers)
        if length and _figure_at(tokens, pos + length) is not None:
            qualifier = words.qualifiers[tuple(tokens[pos : pos + length])]
            pos += length
            continue
        if tokens[pos] == "between":
            pos += 1
            continue
        figure = _figure_at(tokens, pos)
        if figure is not None or tokens[pos] not in _SKIPPED_BEFORE_FIGURE:
            break
        pos += 1
    if figure is None:
        return None
    spread, end, is_exact = figure
    if _is_no_count_at(tokens, end):
        return None  # 'a third', 'two thirds', '50 percent': a share of something else
    if is_exact and end + 1 < len(tokens) and tokens[end] in words.range_joiners:
        upper = _number_at(tokens, end + 1)
        if upper is not None and not _is_no_count_at(tokens, upper[1]):
            low, high = sorted((spread[0], upper[0]))
            if tokens[end] != "and" or (pos and tokens[pos - 1] == "between"):
                return Count(best=low, low=low, high=high, text=text.strip())
    trailing = _match_phrase(tokens, end, words.qualifiers)
    if trailing and qualifier is None:
        qualifier = words.qualifiers[tuple(tokens[end : end + trailing])]  # '50 or more', '50+'
    if is_exact:
        spread = _apply_qualifier(qualifier, spread[0])
    best, low, high = spread
    return Count(best=best, low=low, high=high, text=text.strip())
