"""Actor text to canonical actors: the actors part of the resolve stage.

`actor_catalog().resolve("a Russian Su-25 fighter jet")` gives `Actor("Military Forces of Russia",
"state forces", "RUS")`; `actor_catalog().source("the Britain-based Syrian Observatory for Human
Rights")` gives "Syrian Observatory for Human Rights", the name a claim is attributed to.

The catalog is two files in `data/`: `actors.yaml`, written by hand for the Syrian and Turkish
theatres of 2015-2021 (named actors, countries, head words, naming templates; the rules are explained
at its top), and `actors_phoenix.tsv`, derived from the Phoenix actor dictionaries (MIT) by
`scripts/build_actors.py`: country name variants and adjectives, generic head words ("soldier",
"villager", "riot police") and named groups worldwide. Hand-written entries win: a Phoenix group
sharing an alias with a hand-written one is folded into it; Phoenix aliases of a state's military or
police become aliases of "Military Forces of X" / "Police Forces of X".

Matching works on words (`_words`): lower case, accents, apostrophes and possessives dropped, plural
reduced, spelling variants unified. Aliases are looked up as word tuples in dicts, the longest
first at each position, so a call costs a few dozen dict lookups.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from rashomon.models import Actor

DATA_DIR = Path(__file__).parent / "data"
HAND_PATH = DATA_DIR / "actors.yaml"
PHOENIX_PATH = DATA_DIR / "actors_phoenix.tsv"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'"})
_INITIALS = re.compile(r"\b((?:[A-Za-z]\.){2,})")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\W|$)", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+|\d+")
_ALT = re.compile(r"\(([^()]*)\)")
_EDGE_PUNCT = " \t\n\"'“”‘’«»()[]{}.,;:!?-–—"

_NISBA = {"al", "el"}  # 'Abu Osama al-Iraqi': a name, not a nationality


@dataclass(frozen=True)
class _Entity:
    name: str
    kind: str
    country: str | None
    parent: str | None
    hand: bool


@dataclass(frozen=True)
class _Country:
    iso3: str
    name: str
    of: str
    adj: str
    rebels: str | None = None


@dataclass
class _Word:
    orig: str  # as written (for case-sensitive acronyms)
    low: str  # lower case
    key: str  # normalised: spelling unified, plural reduced


@dataclass
class _Match:
    start: int
    end: int
    value: object  # entity index, ISO3, or class name


def _expand(alias: str) -> list[str]:
    """'(turkish|turkey) backed (syrian |)rebels' -> the four aliases it stands for."""
    m = _ALT.search(alias)
    if not m:
        return [" ".join(alias.split())]
    out: list[str] = []
    for alt in m.group(1).split("|"):
        out.extend(_expand(alias[: m.start()] + alt + alias[m.end() :]))
    return out


def _is_acronym(alias: str) -> bool:
    return alias.isalpha() and alias.isupper() and len(alias) <= 5


class ActorCatalog:
    """Canonical actors and the matching rules of actors.yaml (see the module docstring)."""

    def __init__(self, hand: dict, phoenix_rows: list[list[str]]) -> None:
        self.default_kind: str = hand.get("default_kind", "unknown")
        self._spelling: dict[str, str] = {str(k).lower(): str(v).lower() for k, v in hand["spelling"].items()}
        self._irregular: dict[str, str] = {
            str(k).lower(): str(v).lower() for k, v in hand["irregular"].items()
        }
        self._articles = {w.lower() for w in hand["articles"]}
        self._pronouns = {w.lower() for w in hand["pronouns"]}
        self._participles = {self._key(w) for w in hand["participles"]}
        self._roles = {self._key(w) for w in hand["roles"]}
        self._models = {self._key(w) for w in hand["model_prefixes"]}
        self._coordinators: dict[tuple[str, ...], int] = {}
        for c in hand["coordinators"]:
            k = self._keys(c)
            if k:
                self._coordinators[k] = len(k)
        self._classes: dict[str, dict] = hand["classes"]
        self._theatre_classes = set(hand["theatre_classes"])
        self._theatre: dict[tuple[str, ...], str] = {}
        for cls, phrases in hand["theatre_phrases"].items():
            for p in phrases:
                self._theatre[self._keys(p)] = cls

        # head words: hand first, then Phoenix's
        self._agents: dict[tuple[str, ...], str] = {}
        for cls, words in hand["agents"].items():
            for w in words:
                self._agents.setdefault(self._keys(w), cls)

        # countries: hand entries, then Phoenix's names and adjectives for the rest
        self._countries: dict[str, _Country] = {}
        self._nat: dict[tuple[str, ...], tuple[str, tuple[str, ...] | None]] = {}
        self._people: dict[str, str] = {}  # plural people word as written, lower case -> ISO3
        for iso3, c in hand["countries"].items():
            self._countries[iso3] = _Country(
                iso3,
                c["name"],
                c.get("of", c["name"]),
                c.get("adj") or c["adjectives"][0].title(),
                c.get("rebels"),
            )
            for group in ("names", "adjectives", "metonyms"):
                for a in c.get(group, []):
                    self._add_nat(str(a), iso3)
            for p in c.get("people", []):
                self._people[p.lower()] = iso3

        # named actors
        self._entities: list[_Entity] = []
        self._by_name: dict[str, int] = {}
        self._alias: dict[tuple[str, ...], tuple[int, tuple[str, ...] | None]] = {}
        for e in hand["actors"]:
            idx = self._add_entity(_Entity(e["name"], e["kind"], e.get("country"), e.get("parent"), True))
            for a in e.get("aliases", []) + [e["name"]]:
                for x in _expand(str(a)):
                    self._add_alias(x, idx)
        self._hand_alias_count = len(self._alias)
        ignore = {self._keys(a) for a in hand.get("phoenix_ignore", [])}
        self._load_phoenix(phoenix_rows, ignore)

        self._max_alias = max((len(k) for k in self._alias), default=1)
        self._max_nat = max((len(k) for k in self._nat), default=1)
        self._max_agent = max((len(k) for k in self._agents), default=1)
        self._max_theatre = max((len(k) for k in self._theatre), default=1)
        self._cache: dict[tuple[str, str | None, bool], object] = {}

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls) -> ActorCatalog:
        hand = yaml.load(HAND_PATH.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        rows = []
        if PHOENIX_PATH.exists():
            for line in PHOENIX_PATH.read_text("utf-8").splitlines():
                if line and not line.startswith("#"):
                    rows.append(line.split("\t"))
        return cls(hand, rows)

    def _load_phoenix(self, rows: list[list[str]], ignore: set[tuple[str, ...]]) -> None:
        for row in rows:
            if len(row) < 6:
                continue
            typ, name, kind, iso3, extra, aliases = row[:6]
            alias_list = [a for a in aliases.split("|") if a]
            if typ == "country":
                meta = dict(p.split("=", 1) for p in extra.split(";") if "=" in p)
                if iso3 not in self._countries:
                    self._countries[iso3] = _Country(iso3, name, meta.get("of", name), meta.get("adj", name))
                for a in alias_list:
                    k = self._keys(a)
                    if k and k not in self._nat and k not in self._agents:
                        self._nat[k] = (iso3, None)
            elif typ == "agent":
                for a in alias_list:
                    self._agents.setdefault(self._keys(a), name)
            elif typ == "actor":
                self._load_phoenix_actor(name, kind, iso3 or None, alias_list, ignore)

    def _load_phoenix_actor(
        self, name: str, kind: str, iso3: str | None, aliases: list[str], ignore: set[tuple[str, ...]]
    ) -> None:
        forms = []
        for a in aliases:
            cased = a.startswith("=")
            text = a[1:] if cased else a
            k = self._keys(text)
            if not k or k in ignore or k in self._nat or k in self._agents:
                continue
            forms.append((k, tuple(text.split()) if cased else None))
        if not forms:
            return
        # a state's military or police: an alias of its template actor
        if kind in ("military", "police") and iso3 in self._countries:
            target = self._template_entity("military" if kind == "military" else "police", iso3)
        else:
            # folded into a hand-written entry that shares an alias or the name
            target = next(
                (
                    self._alias[k][0]
                    for k, _ in forms
                    if k in self._alias and self._entities[self._alias[k][0]].hand
                ),
                None,
            )
            if target is None and name in self._by_name:
                target = self._by_name[name]
            if target is None:
                target = self._add_entity(_Entity(name, kind, iso3, None, False))
        for k, cased in forms:
            if k not in self._alias:
                self._alias[k] = (target, cased)

    def _add_entity(self, e: _Entity) -> int:
        if e.name in self._by_name:
            return self._by_name[e.name]
        self._entities.append(e)
        self._by_name[e.name] = len(self._entities) - 1
        return len(self._entities) - 1

    def _add_alias(self, alias: str, idx: int) -> None:
        k = self._keys(alias)
        if k and k not in self._alias:
            self._alias[k] = (idx, tuple(alias.split()) if _is_acronym(alias) else None)

    def _add_nat(self, alias: str, iso3: str) -> None:
        k = self._keys(alias)
        if k and k not in self._nat:
            self._nat[k] = (iso3, tuple(alias.split()) if _is_acronym(alias) else None)

    def _template_entity(self, cls: str, iso3: str) -> int:
        spec = self._classes[cls]
        c = self._countries[iso3]
        fmt = {"name": c.name, "of": c.of, "adj": c.adj}
        name = spec["name"].format(**fmt)
        if cls == "rebels" and c.rebels:
            name = c.rebels
        if name in self._by_name:
            return self._by_name[name]
        parent = spec.get("parent")
        return self._add_entity(
            _Entity(name, spec["kind"], iso3, parent.format(**fmt) if parent else None, False)
        )

    # ------------------------------------------------------------------ words
    def _key(self, word: str) -> str:
        w = word.lower()
        w = self._spelling.get(w, w)
        if w in self._irregular:
            return self._irregular[w]
        if len(w) >= 5 and w.endswith("men"):
            w = w[:-3] + "man"
        elif len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        return self._spelling.get(w, w)

    def _words(self, text: str) -> list[_Word]:
        t = text
        if not t.isascii():
            t = unicodedata.normalize("NFKD", t.translate(_APOSTROPHES))
            t = "".join(ch for ch in t if not unicodedata.combining(ch))
        if "." in t:
            t = _INITIALS.sub(lambda m: m.group(1).replace(".", ""), t)
        if "'" in t:
            t = _POSSESSIVE.sub("", t).replace("'", "")
        out = []
        for w in _WORD.findall(t):
            low = w.lower()
            if low in self._articles:
                continue
            out.append(_Word(w, low, self._key(low)))
        return out

    def _keys(self, text: str) -> tuple[str, ...]:
        return tuple(w.key for w in self._words(str(text)))

    # ------------------------------------------------------------------ matching
    @staticmethod
    def _scan(words: list[_Word], keys: list[str], index: dict, maxlen: int) -> list[_Match]:
        """Longest entry of `index` starting at each position (case-sensitive entries checked)."""
        out = []
        n = len(keys)
        for i in range(n):
            for ln in range(min(maxlen, n - i), 0, -1):
                hit = index.get(tuple(keys[i : i + ln]))
                if hit is None:
                    continue
                if isinstance(hit, tuple):
                    value, cased = hit
                    if cased is not None and tuple(w.orig for w in words[i : i + ln]) != cased:
                        continue
                else:
                    value = hit
                out.append(_Match(i, i + ln, value))
                break
        return out

    def _followed_by_participle(self, keys: list[str], m: _Match) -> bool:
        """'rebel-held', 'Turkish-backed' (but not 'forces backed by ...', a clause of its own)."""
        return (
            m.end < len(keys)
            and keys[m.end] in self._participles
            and not (m.end + 1 < len(keys) and keys[m.end + 1] == "by")
        )

    def _segments(self, keys: list[str], protected: list[_Match]) -> list[tuple[int, int]]:
        covered = set()
        for m in protected:
            covered.update(range(m.start, m.end))
        cuts: list[tuple[int, int]] = []
        i = 0
        while i < len(keys):
            hit = 0
            if i not in covered:
                for ln in (3, 2, 1):
                    if tuple(keys[i : i + ln]) in self._coordinators:
                        hit = ln
                        break
            if hit:
                cuts.append((i, i + hit))
                i += hit
            else:
                i += 1
        segs, start = [], 0
        for a, b in cuts:
            if a > start:
                segs.append((start, a))
            start = b
        if start < len(keys):
            segs.append((start, len(keys)))
        return segs

    def _head(
        self, keys: list[str], agents: list[_Match], s: int, e: int
    ) -> tuple[_Match | None, str | None]:
        """The head word of keys[s:e]: the agent ending last (then the longest); a role word gives way to
        a class word before it."""
        inside = [m for m in agents if s <= m.start and m.end <= e]
        if not inside:
            return None, None
        head = max(inside, key=lambda m: (m.end, m.end - m.start))
        cls = head.value
        if head.end - head.start == 1 and keys[head.start] in self._roles:
            before = [
                m
                for m in inside
                if m.end <= head.start and not (m.end - m.start == 1 and keys[m.start] in self._roles)
            ]
            if before:
                cls = max(before, key=lambda m: (m.end, m.end - m.start)).value
        return head, cls

    def _analyse(self, text: str, country: str | None, for_source: bool):
        """-> ('entity', idx) | ('unknown', kind, iso3) | None."""
        words = self._words(text)
        if not words or all(w.low in self._pronouns for w in words):
            return None
        keys = [w.key for w in words]
        aliases = [
            m
            for m in self._scan(words, keys, self._alias, self._max_alias)
            if not self._followed_by_participle(keys, m)
        ]
        nats = [
            m
            for m in self._scan(words, keys, self._nat, self._max_nat)
            if not self._followed_by_participle(keys, m) and not (m.start and keys[m.start - 1] in _NISBA)
        ]
        agents = [
            m
            for m in self._scan(words, keys, self._agents, self._max_agent)
            if not self._followed_by_participle(keys, m)
        ]
        # a head word inside a nationality is part of it ('United States', 'Islamic State')
        agents = [m for m in agents if not any(n.start < m.end and m.start < n.end for n in nats)]
        for i in range(len(keys) - 1):  # aircraft and weapon models: Su-25, L-39, S-400
            if keys[i] in self._models and keys[i + 1].isdigit():
                agents.append(_Match(i, i + 2, "military"))
        first_unknown = None
        for s, e in self._segments(keys, aliases):
            found, unknown = self._segment(words, keys, s, e, aliases, nats, agents, country, for_source)
            if found is not None:
                return found
            if first_unknown is None:
                first_unknown = unknown
        return first_unknown or ("unknown", self.default_kind, None)

    def _segment(self, words, keys, s, e, aliases, nats, agents, country, for_source):
        seg_aliases = [m for m in aliases if s <= m.start and m.end <= e]
        seg_nats = [m for m in nats if s <= m.start and m.end <= e]
        head, cls = self._head(keys, agents, s, e)
        # a. named actors, the earliest first, then the longest, hand-written before Phoenix's
        hand = [m for m in seg_aliases if self._entities[m.value].hand]
        if hand:
            m = min(hand, key=lambda m: (m.start, -(m.end - m.start)))
            e_ = self._entities[m.value]
            if e_.kind == "government" and e_.country and cls == "military" and head is not None \
                    and head.end > m.end:
                # 'Syrian government helicopters' are the state's forces, not its government
                got = self._class_actor("military", e_.country, for_source)
                if got is not None:
                    return got, None
            return ("entity", m.value), None
        # b. nationality + head word
        if head is not None and cls is not None:
            nat = None
            before = [m for m in seg_nats if m.end <= head.start]
            if before:
                nat = max(before, key=lambda m: m.end)
            else:
                after = [
                    m
                    for m in seg_nats
                    if m.start >= head.end + 1
                    and keys[head.end] in ("of", "from")
                    and m.start == head.end + 1
                ]
                nat = after[0] if after else None
            if nat is not None:
                got = self._class_actor(cls, nat.value, for_source)
                if got is not None:
                    return got, None
        # c. Phoenix's named actors
        phoenix = [m for m in seg_aliases if not self._entities[m.value].hand]
        if phoenix:
            m = min(phoenix, key=lambda m: (m.start, -(m.end - m.start)))
            return ("entity", m.value), None
        # d. a nationality alone, at the end of its part: "Russia", "Turkey's", "Moscow"; a people word
        # anywhere ("Syrians in rebel-held areas")
        if head is None:
            people = [m for m in seg_nats if m.end - m.start == 1 and words[m.start].low in self._people]
            if people:
                got = self._class_actor("civilians", self._people[words[people[0].start].low], for_source)
                if got is not None:
                    return got, None
        if seg_nats and head is None:
            nat = seg_nats[-1]
            if nat.end == e:
                iso3 = nat.value
                if nat.end - nat.start == 1 and words[nat.start].low in self._people:
                    got = self._class_actor("civilians", self._people[words[nat.start].low], for_source)
                else:
                    got = self._class_actor("government" if for_source else "military", iso3, for_source)
                if got is not None:
                    return got, None
        unknown_iso = seg_nats[0].value if seg_nats else None
        if head is None or cls is None:
            return None, ("unknown", self.default_kind, unknown_iso)
        kind = self._classes.get(cls, {}).get("kind", self.default_kind)
        if for_source:
            return None, ("unknown", kind, unknown_iso)
        # e. a head word with no nationality before it: the theatre's
        # the longest theatre phrase ending with the head: 'regime helicopters', 'government warplanes'
        theatre_cls = next((self._theatre[p] for k in range(s, head.start + 1)
                            if (p := tuple(keys[k : head.end])) in self._theatre), None)
        if theatre_cls is None and cls in self._theatre_classes:
            theatre_cls = cls
        where = unknown_iso or country
        if theatre_cls is not None and where in self._countries:
            got = self._class_actor(theatre_cls, where, for_source)
            if got is not None:
                return got, None
        bare = self._classes.get(cls, {}).get("bare")
        if bare and where is None:
            return ("bare", bare, kind), None
        return None, ("unknown", kind, unknown_iso)

    def _class_actor(self, cls: str, iso3: str, for_source: bool):
        spec = self._classes.get(cls)
        if spec is None or iso3 not in self._countries:
            return None
        if "name" not in spec:
            return ("unknown", spec.get("kind", self.default_kind), iso3) if not for_source else None
        if for_source and not spec.get("source"):
            return None
        return ("entity", self._template_entity(cls, iso3))

    # ------------------------------------------------------------------ public
    def clean(self, text: str) -> str:
        """The text as an unknown actor's name: whitespace collapsed, edge punctuation and leading
        articles dropped ("the Turkish side" -> "Turkish side")."""
        t = " ".join(str(text).split()).strip(_EDGE_PUNCT)
        while True:
            first, _, rest = t.partition(" ")
            if rest and first.lower() in self._articles:
                t = rest.strip(_EDGE_PUNCT)
            else:
                return t

    def resolve(self, text: str, *, country: str | None = None) -> Actor | None:
        """The actor named by `text` (an actor span as written); `country` is the ISO3 code of the
        theatre (the document's country), used for civilians, unnamed rebels, 'regime forces' and the
        like. None for empty or pronoun-only text."""
        if not text or not text.strip():
            return None
        ck = (text, country, False)
        if ck not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[ck] = self._analyse(text, country, False)
        got = self._cache[ck]
        if got is None:
            return None
        if got[0] == "entity":
            e = self._entities[got[1]]
            return Actor(e.name, e.kind, e.country, e.parent, text, True)
        if got[0] == "bare":
            return Actor(got[1], got[2], None, None, text, True)
        name = self.clean(text)
        if not name:
            return None
        return Actor(name, got[1], got[2], None, text, False)

    def source(self, text: str) -> str:
        """The canonical name of who makes a claim ("the Britain-based Syrian Observatory for Human
        Rights" -> "Syrian Observatory for Human Rights", "the Turkish Defense Ministry" -> "Ministry of
        Defence of Turkey"); unknown sources keep their text, articles dropped."""
        if not text or not text.strip():
            return ""
        t = re.sub(r"^\s*according to\s+", "", text, flags=re.IGNORECASE)
        ck = (t, None, True)
        if ck not in self._cache:
            self._cache[ck] = self._analyse(t, None, True)
        got = self._cache[ck]
        if got is not None and got[0] == "entity":
            return self._entities[got[1]].name
        return self.clean(t)

    def names(self) -> list[str]:
        """Every canonical name the catalog holds (templates appear once they have been used)."""
        return [e.name for e in self._entities]


@functools.cache
def actor_catalog() -> ActorCatalog:
    """The catalog, loaded once per process."""
    return ActorCatalog.load()
