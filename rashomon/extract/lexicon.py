"""The trigger lexicon, word classes and cues (data/*.yaml), compiled for fast lookup."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml
from spacy.tokens import Token

PLACE_LABELS = {"GPE", "LOC", "FAC"}
DYNAMIC_CLASSES = {"place", "person"}


class _WordLoader(yaml.SafeLoader):
    """YAML 1.1 reads the words on, off, yes and no as booleans; in word lists they are words."""


_WordLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(name: str) -> dict:
    text = resources.files("rashomon.extract").joinpath("data", name).read_text("utf-8")
    return yaml.load(text, Loader=_WordLoader)  # noqa: S506 - a SafeLoader subclass


def _norm(word: str) -> str:
    return " ".join(str(word).lower().replace("’", "'").split())


_FORMS = "rashomon.forms"  # Doc.user_data key: (lower, lemma) of every token


@dataclass
class WordSet:
    """Single words (matched against a token's lower form and lemma) and phrases (matched in sequence)."""

    words: set[str] = field(default_factory=set)
    phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # by first word
    exact: set[str] = field(default_factory=set)  # words matched only as written ("=IS")

    @classmethod
    def of(cls, items) -> WordSet:
        ws = cls()
        for item in items or []:
            if str(item).startswith("="):
                ws.exact.add(str(item)[1:])
                continue
            norm = _norm(item)
            if "-" in norm.strip("-"):  # the tagger splits 'Turkish-backed' into 'Turkish', '-', 'backed'
                ws._add(tuple(re.sub(r"(?<=\w)-(?=\w)", " - ", norm).split()))
                ws._add(tuple(re.sub(r"(?<=\w)-(?=\w)", " ", norm).split()))  # and without it
            ws._add(tuple(norm.split()))
        return ws

    def _add(self, parts: tuple[str, ...]) -> None:
        if len(parts) == 1:
            self.words.add(parts[0])
        elif parts:
            self.phrases.setdefault(parts[0], []).append(parts[1:])

    def matches(self, tokens: list[Token]) -> bool:
        words, phrases = self.words, self.phrases
        if self.exact and tokens:
            source = tokens[0].doc.user_data.get("source_text")
            if any((source[t.idx: t.idx + len(t)] if source else t.text) in self.exact for t in tokens):
                return True
        doc = tokens[0].doc if tokens else None
        every = doc.user_data.get(_FORMS) if doc is not None else None
        if every is None and doc is not None:  # each token's forms once per sentence, not once per class
            every = doc.user_data[_FORMS] = [(t.lower_, t.lemma_.lower()) for t in doc]
        forms = [every[t.i] for t in tokens]
        for i, (lower, lemma) in enumerate(forms):
            if lower in words or lemma in words:
                if not (tokens[i].is_title and tokens[i].ent_type_ == "DATE"):
                    return True  # a month is no class word ('On 19 March', '3 May 2021')
            if not phrases:
                continue
            candidates = phrases.get(lower, [])
            if lemma != lower:
                candidates = candidates + phrases.get(lemma, [])
            for rest in candidates:  # each token matches by its lower form or its lemma
                fits = i + len(rest) < len(forms)
                if fits and all(part in forms[i + 1 + k] for k, part in enumerate(rest)):
                    return True
        return False


@dataclass
class Outcome:
    type: str | None  # "Event type / Sub-event type", or None for 'none'
    when: dict[str, object]


@dataclass
class Trigger:
    lemmas: list[tuple[str, ...]]
    pos: set[str]
    outcomes: list[Outcome]
    role: str = "act"
    particle: str | None = None
    index: int = 0


class Lexicon:
    def __init__(self) -> None:
        classes = _load("classes.yaml")
        self.classes: dict[str, WordSet] = {name: WordSet.of(words) for name, words in classes.items()}
        cues = _load("cues.yaml")
        self.reporting_verbs = {_norm(w) for w in cues["reporting_verbs"]}
        self.quoting_verbs = {_norm(w) for w in cues["quoting_verbs"]}
        self.reporting_nouns = {_norm(w) for w in cues["reporting_nouns"]}
        self.hedges = WordSet.of(cues["hedges"])
        self.irrealis_governors = {_norm(w) for w in cues["irrealis_governors"]}
        self.irrealis_modals = {_norm(w) for w in cues["irrealis_modals"]}
        self.irrealis_markers = WordSet.of(cues["irrealis_markers"])
        self.background = WordSet.of(cues["background_phrases"])
        self.light_verbs = {_norm(w) for w in cues["light_verbs"]}
        self.count_kinds = {_norm(w): kind for kind, words in cues["count_kinds"].items() for w in words}
        self.death_phrases = self.classes["death_phrase"]
        self.locative_prepositions = {_norm(w) for w in cues["locative_prepositions"]}
        self.place_nouns = {_norm(w) for w in cues["place_nouns"]}
        self.near_words = {_norm(w) for w in cues["near_words"]}
        self.absorbs = {" ".join(str(k).split()): {" ".join(str(v).split()) for v in vs}
                        for k, vs in cues["absorbs"].items()}
        self.territory_types = {" ".join(str(w).split()) for w in cues["territory_types"]}
        self.typed_by_victims = {" ".join(str(k).split()): " ".join(str(v).split())
                                 for k, v in cues["typed_by_victims"].items()}
        self.upgraded_by_victims = {" ".join(str(k).split()): " ".join(str(v).split())
                                    for k, v in cues["upgraded_by_victims"].items()}
        stand_ins = {str(k): str(v) for k, v in (cues.get("parse_stand_ins") or {}).items()}
        for word, stand_in in stand_ins.items():
            if len(word) != len(stand_in):
                raise ValueError(f"cues.yaml: the stand-in for {word!r} must keep its length")
        self._stand_in = stand_ins
        self._stand_in_re = re.compile(r"\b(?:" + "|".join(map(re.escape, stand_ins)) + r")\b") \
            if stand_ins else None
        self.cause_types = {" ".join(str(w).split()) for w in cues["cause_types"]}
        self.cause_markers = {_norm(w) for w in cues["cause_markers"]}
        self.allegation_participles = {_norm(w) for w in cues["allegation_participles"]}
        self.prior_markers = {_norm(w) for w in cues["prior_markers"]}
        self.off_topic = [f"@{name}" for name in cues["off_topic_classes"]]
        self.on_topic = [f"@{name}" for name in cues["on_topic_classes"]]
        self._off_topic_re = _words_re(w for n in cues["off_topic_classes"] for w in classes[n])
        self._on_topic_re = _words_re(w for n in cues["on_topic_classes"] for w in classes[n])
        self.referring_nouns = {_norm(w) for w in cues["referring_nouns"]}
        self.person_triggers = {_norm(w) for w in cues["person_triggers"]}
        self.toll_verbs = {_norm(w) for w in cues["toll_verbs"]}
        self.toll_setting_verbs = {_norm(w) for w in cues["toll_setting_verbs"]}
        self.toll_acts = {_norm(w) for w in cues["toll_acts"]}
        self.toll_takers = {" ".join(str(w).split()) for w in cues["toll_takers"]}
        self.toll_reach = int(cues["toll_reach"])
        self.new_incident = WordSet.of(cues["new_incident_phrases"])
        self._literals: dict[str, WordSet] = {}
        self.triggers: list[Trigger] = []
        self.by_first_word: dict[str, list[Trigger]] = {}
        surface: set[str] = set()
        data = _load("triggers.yaml")
        # word forms the lemmatiser gets wrong ('retook' stays 'retook', 'raped' becomes 'rap')
        self.lemma_fixes = {_norm(k): _norm(v) for k, v in (data.get("lemma_fixes") or {}).items()}
        surface.update(self.lemma_fixes)
        for i, entry in enumerate(data["triggers"]):
            trigger = Trigger(
                lemmas=_lemma_variants(entry["lemmas"]),
                pos=set(entry.get("pos") or ["VERB", "NOUN"]),
                outcomes=[Outcome(_type_of(o.get("type")), o.get("when") or {}) for o in entry["outcomes"]],
                role=entry.get("role", "act"),
                particle=entry.get("particle"),
                index=i,
            )
            self.triggers.append(trigger)
            for lemma in trigger.lemmas:
                self.by_first_word.setdefault(lemma[0], []).append(trigger)
                # a phrase needs all its words: its longest stands for it ('air strike' -> 'strike')
                surface.add(max((w for w in lemma if w != "-"), key=len))
            surface.update(_norm(f).split()[0] for f in entry.get("forms") or [])
        for name in self._referenced_classes():
            if name not in self.classes and name not in DYNAMIC_CLASSES:
                raise ValueError(f"triggers.yaml uses @{name}, which classes.yaml does not define")
        # Pre-filter: a sentence none of whose words is a trigger word (or its regular inflection) cannot hold
        # a mention; a stem takes at most four more letters ('kill' -> 'killings', not 'go' -> 'government')
        stems = sorted({_stem(w) for w in surface}, key=len, reverse=True)
        self.prefilter = re.compile(r"\b(?:" + "|".join(map(re.escape, stems)) + r")[a-z]{0,4}\b",
                                    re.IGNORECASE)

    def _referenced_classes(self) -> set[str]:
        names = set()
        for trigger in self.triggers:
            for outcome in trigger.outcomes:
                for value in outcome.when.values():
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, str) and item.startswith("@"):
                            names.add(item[1:])
        return names

    def stand_ins(self, text: str) -> str:
        """The text to parse: acronyms the tagger reads as words ('IS militants' parsed as a verb) replaced by
        same-length stand-ins it reads as names, unless the text is in capitals, where 'IS' is the verb."""
        if self._stand_in_re is None or not self._stand_in_re.search(text):
            return text
        letters = [c for c in text if c.isalpha()]
        if sum(c.isupper() for c in letters) > 0.5 * len(letters):
            return text
        return self._stand_in_re.sub(lambda m: self._stand_in[m.group()], text)

    def off_topic_text(self, text: str) -> bool:
        """For a sentence not parsed: does it name a disaster, a crime or a game and no conflict word?"""
        return bool(self._off_topic_re.search(text)) and not self._on_topic_re.search(text)

    def may_hold_event(self, text: str) -> bool:
        return bool(self.prefilter.search(text))

    def in_class(self, name: str, tokens: list[Token]) -> bool:
        if name == "place":
            return any(t.ent_type_ in PLACE_LABELS for t in tokens) or any(
                t.pos_ == "PROPN" and t.ent_type_ not in ("NORP", "PERSON", "ORG") for t in tokens)
        if name == "person":
            return any(t.ent_type_ == "PERSON" or t.lower_ in ("him", "her", "them") for t in tokens)
        return self.classes[name].matches(tokens)

    def matches(self, values, tokens: list[Token]) -> bool:
        """Do `tokens` contain any of `values` (words, phrases or @classes)?"""
        if not tokens:
            return False
        for value in values if isinstance(values, list) else [values]:
            value = str(value)
            if value.startswith("@"):
                if self.in_class(value[1:], tokens):
                    return True
            elif self._literal(value).matches(tokens):
                return True
        return False

    def _literal(self, value: str) -> WordSet:
        found = self._literals.get(value)
        if found is None:
            found = self._literals[value] = WordSet.of([value])
        return found


def _words_re(items) -> re.Pattern:
    """A regex finding any of these words or phrases as written, with a plural or verb ending."""
    alts = sorted({re.escape(_norm(w)) for w in items if not str(w).startswith("=")}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")(?:s|es|ed|d|ing)?\b", re.IGNORECASE)


def _stem(word: str) -> str:
    """What every regular inflection of a trigger word starts with: the word, its final 'e' or 'y' dropped
    ('seize' -> 'seiz' for 'seizing', 'rally' -> 'rall' for 'rallies'); irregular forms are listed apart."""
    if len(word) > 3 and word[-1] in "ey":
        return word[:-1]
    return word


def _lemma_variants(lemmas) -> list[tuple[str, ...]]:
    """Each trigger lemma as words; a hyphenated one also as the words the tagger splits it into ('sit-in' is
    'sit', '-', 'in', matched as 'sit in' since hyphens between trigger words are skipped)."""
    out: list[tuple[str, ...]] = []
    for lemma in lemmas:
        norm = _norm(lemma)
        out.append(tuple(norm.split()))
        if "-" in norm.strip("-"):
            out.append(tuple(re.sub(r"(?<=\w)-(?=\w)", " ", norm).split()))
    return out


def _type_of(value) -> str | None:
    if value is None or str(value).strip().lower() == "none":
        return None
    return " ".join(str(value).split())


@cache
def lexicon() -> Lexicon:
    return Lexicon()
