"""Actor text to canonical actors: the seed reports' phrases, nationality rules, the theatre's country,
unknown actors, claim sources, and the catalog files themselves (real data, no mocks)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from rashomon.models import Actor
from rashomon.resolve.actors import HAND_PATH, PHOENIX_PATH, ActorCatalog, actor_catalog

ROOT = Path(__file__).resolve().parents[1]

HTS = "Hay'at Tahrir al-Sham"
RUS = "Military Forces of Russia"
SYR = "Military Forces of Syria"
TUR = "Military Forces of Turkey"


@pytest.fixture(scope="module")
def cat() -> ActorCatalog:
    return actor_catalog()


# (text as written in the seed reports, canonical name, kind, ISO3), resolved in a report on Syria
SEED_ACTORS = [
    ("al-Qaida-linked militants", HTS, "rebel group", "SYR"),
    ("Al Qaida-linked militants in Syria", HTS, "rebel group", "SYR"),
    ("the al Qaida-linked Levant Liberation Committee", HTS, "rebel group", "SYR"),
    ("al Qaida's branch in Syria", HTS, "rebel group", "SYR"),
    ("the Levant Liberation Committee", HTS, "rebel group", "SYR"),
    ("HTS", HTS, "rebel group", "SYR"),
    ("Syrian opposition fighters", "Syrian opposition", "rebel group", "SYR"),
    ("a Free Syrian Army group", "Free Syrian Army", "rebel group", "SYR"),
    ("Backed Free Syrian Army Group", "Free Syrian Army", "rebel group", "SYR"),
    ("the FSA", "Free Syrian Army", "rebel group", "SYR"),
    ("Russia", RUS, "state forces", "RUS"),
    ("Moscow", RUS, "state forces", "RUS"),
    ("Russian warplanes", RUS, "state forces", "RUS"),
    ("a Russian fighter jet", RUS, "state forces", "RUS"),
    ("a Russian jet", RUS, "state forces", "RUS"),
    ("a Russian Su-25 fighter jet", RUS, "state forces", "RUS"),
    ("a deadly Russian strike", RUS, "state forces", "RUS"),
    ("Russian forces", RUS, "state forces", "RUS"),
    ("the Russian pilot", RUS, "state forces", "RUS"),
    ("Russian army", RUS, "state forces", "RUS"),
    ("Syrian troops", SYR, "state forces", "SYR"),
    ("Syrian government forces", SYR, "state forces", "SYR"),
    ("Syrian regime forces", SYR, "state forces", "SYR"),
    ("the Syrian regime forces", SYR, "state forces", "SYR"),
    ("Syria's air defenses", SYR, "state forces", "SYR"),
    ("Syrian warplanes", SYR, "state forces", "SYR"),
    ("the Syrian army", SYR, "state forces", "SYR"),
    ("The Syrian military", SYR, "state forces", "SYR"),
    ("Syrian soldiers", SYR, "state forces", "SYR"),
    ("as many as 50 Syrian regime fighters", SYR, "state forces", "SYR"),
    ("Russian-backed Syrian forces", SYR, "state forces", "SYR"),
    ("Turkish soldiers", TUR, "state forces", "TUR"),
    ("33 Turkish soldiers", TUR, "state forces", "TUR"),
    ("Turkish troops", TUR, "state forces", "TUR"),
    ("Turkish forces", TUR, "state forces", "TUR"),
    ("the Turkish military", TUR, "state forces", "TUR"),
    ("The Turkish air force", TUR, "state forces", "TUR"),
    ("a Turkish drone", TUR, "state forces", "TUR"),
    ("Turkey", TUR, "state forces", "TUR"),
    ("Turkey's military", TUR, "state forces", "TUR"),
    ("Turkey's communications director", "Government of Turkey", "government", "TUR"),
    ("the Turkish Defense Ministry", "Ministry of Defence of Turkey", "government", "TUR"),
    ("Turkey-backed opposition gunmen", "Syrian National Army", "rebel group", "SYR"),
    ("YPG terrorists", "YPG: People's Protection Units", "rebel group", "SYR"),
    ("PKK/YPG", "YPG: People's Protection Units", "rebel group", "SYR"),
    ("Daesh terrorists", "Islamic State", "rebel group", None),
    ("Iranian-backed militiamen", "Iranian-backed militias", "political militia", None),
    ("the Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights", "monitor", "SYR"),
    ("the Observatory", "Syrian Observatory for Human Rights", "monitor", "SYR"),
    ("SANA", "SANA", "news agency", "SYR"),
    ("Syria's state news agency, SANA", "SANA", "news agency", "SYR"),
    ("the TASS news agency", "TASS", "news agency", "RUS"),
    ("The Ibaa News Agency", "Ibaa News Agency", "news agency", "SYR"),
    ("five civilians", "Civilians (Syria)", "civilians", "SYR"),
    ("Almost a million Syrian civilians", "Civilians (Syria)", "civilians", "SYR"),
]


@pytest.mark.parametrize(("text", "name", "kind", "iso3"), SEED_ACTORS)
def test_seed_actors(cat, text, name, kind, iso3):
    a = cat.resolve(text, country="SYR")
    assert a is not None
    assert (a.name, a.kind, a.country) == (name, kind, iso3)
    assert a.known and a.text == text


def test_actor_is_the_models_dataclass(cat):
    a = cat.resolve("Russian warplanes")
    assert isinstance(a, Actor)
    assert a == Actor("Military Forces of Russia", "state forces", "RUS", None, "Russian warplanes", True)


@pytest.mark.parametrize(
    "text",
    [
        "HTS",
        "Hay'at Tahrir al-Sham",
        "Hayat Tahrir al-Sham",
        "Tahrir al-Sham",
        "Levant Liberation Organisation",
        "Jabhat Fateh al-Sham",
        "the Nusra Front",
        "al-Nusra",
        "al-Qaeda-linked militants",
        "jihadists linked to al-Qaida",
        "al-Qaida's affiliate in Syria",
        "Hay’at Tahrir al-Sham",
    ],
)
def test_hts_aliases(cat, text):
    assert cat.resolve(text).name == HTS


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ISIS", "Islamic State"),
        ("ISIL", "Islamic State"),
        ("the Islamic State group", "Islamic State"),
        ("IS militants", "Islamic State"),
        ("Daesh", "Islamic State"),
        ("SDF", "Syrian Democratic Forces"),
        ("the US-backed Syrian Democratic Forces", "Syrian Democratic Forces"),
        ("Kurdish-led forces", "Syrian Democratic Forces"),
        ("the YPG", "YPG: People's Protection Units"),
        ("Syrian Kurdish fighters", "YPG: People's Protection Units"),
        ("the Kurdish militia", "YPG: People's Protection Units"),
        ("Turkish-backed Syrian rebels", "Syrian National Army"),
        ("the Syrian National Army", "Syrian National Army"),
        ("the National Front for Liberation", "National Front for Liberation"),
        ("Hezbollah fighters", "Hezbollah"),
        ("Iran-backed Hezbollah", "Hezbollah"),
        ("pro-Iranian militias", "Iranian-backed militias"),
        ("Iran's Revolutionary Guards", "Military Forces of Iran"),
        ("the US-led coalition", "US-led Coalition"),
        ("coalition warplanes", "US-led Coalition"),
        ("U.S. troops", "Military Forces of the United States"),
        ("American forces", "Military Forces of the United States"),
        ("Assad forces", SYR),
        ("pro-Assad forces", SYR),
        ("the White Helmets", "White Helmets"),
        ("Anadolu Agency", "Anadolu Agency"),
        ("Zvezda TV", "Zvezda TV"),
        ("the Russian defence ministry", "Ministry of Defence of Russia"),
        ("Russia's Defense Ministry", "Ministry of Defence of Russia"),
        ("Russian President Vladimir Putin", "Government of Russia"),
        ("Turkish President Recep Tayyip Erdogan", "Government of Turkey"),
        ("a source in Syria's foreign ministry", "Government of Syria"),
        ("Israeli jets", "Military Forces of Israel"),
        ("Jordanian troops", "Military Forces of Jordan"),  # a nationality Phoenix supplies
        ("forces of Russia", RUS),
        ("Turkish police", "Police Forces of Turkey"),
    ],
)
def test_named_and_national_actors(cat, text, name):
    assert cat.resolve(text, country="SYR").name == name


def test_ministry_has_its_military_as_parent(cat):
    a = cat.resolve("the Russian Defence Ministry")
    assert (a.name, a.kind, a.country, a.parent) == (
        "Ministry of Defence of Russia",
        "government",
        "RUS",
        "Military Forces of Russia",
    )
    a = cat.resolve("Turkey's Defense Ministry")
    assert a.parent == "Military Forces of Turkey"


def test_ypg_parent_is_sdf(cat):
    assert cat.resolve("YPG").parent == "Syrian Democratic Forces"


def test_backer_is_not_the_actor(cat):
    # the nationality before '-backed' is the backer
    assert cat.resolve("Russia-backed Syrian government forces").name == SYR
    assert cat.resolve("US-backed SDF").name == "Syrian Democratic Forces"
    # 'rebel-held' qualifies a place: these are civilians, not rebels
    assert cat.resolve("Syrians in rebel-held areas", country="SYR").name == "Civilians (Syria)"


def test_first_of_two_joined_actors(cat):
    assert cat.resolve("Syrian troops and Iranian-backed militiamen").name == SYR
    assert cat.resolve("Turkish troops and the aligned Syrian rebel fighters").name == TUR
    assert cat.resolve("Syrian government forces backed by Russian air power").name == SYR
    assert cat.resolve("Russian and Syrian warplanes").name == RUS
    # 'and' inside a name does not cut it
    assert cat.resolve("the Islamic State of Iraq and the Levant").name == "Islamic State"


def test_bare_country_name_is_its_military(cat):
    for text, name in [
        ("Russia", RUS),
        ("Turkey", TUR),
        ("Syria", SYR),
        ("Iran", "Military Forces of Iran"),
        ("the United States", "Military Forces of the United States"),
        ("Ankara", TUR),
    ]:
        assert cat.resolve(text).name == name


@pytest.mark.parametrize(
    "text",
    [
        "civilians",
        "residents",
        "children",
        "women",
        "villagers",
        "five civilians",
        "two children",
        "the villagers of Qaminas",
    ],
)
def test_civilians_take_the_theatre(cat, text):
    a = cat.resolve(text, country="SYR")
    assert (a.name, a.kind, a.country, a.known) == ("Civilians (Syria)", "civilians", "SYR", True)
    b = cat.resolve(text)
    assert (b.name, b.kind, b.country) == ("Civilians", "civilians", None)
    assert cat.resolve(text, country="TUR").name == "Civilians (Turkey)"


def test_theatre_words(cat):
    assert cat.resolve("insurgents", country="SYR").name == "Syrian opposition"
    assert cat.resolve("the militants", country="SYR").name == "Syrian opposition"
    assert cat.resolve("Syrian rebels").name == "Syrian opposition"
    assert cat.resolve("the regime", country="SYR").name == SYR
    assert cat.resolve("regime forces", country="SYR").name == SYR
    assert cat.resolve("pro-government forces", country="SYR").name == SYR
    assert cat.resolve("gunmen", country="SYR").name == "Unidentified Armed Group (Syria)"
    # 'terrorists' names the speaker's enemy, not a known side (Russia's rebels, Turkey's YPG)
    assert cat.resolve("terrorists", country="SYR").name == "Unidentified Armed Group (Syria)"
    assert cat.resolve("protesters", country="TUR").name == "Protesters (Turkey)"
    # unnamed rebels elsewhere are named by their country
    assert cat.resolve("Iraqi insurgents").name == "Rebels (Iraq)"
    # with no theatre, a generic word is not turned into a state's actor
    for text in ("the regime", "insurgents", "soldiers", "troops"):
        a = cat.resolve(text)
        assert not a.known and a.country is None


def test_unknown_actor_keeps_its_text_and_gets_a_kind(cat):
    a = cat.resolve("the bearded gunmen")
    assert (a.name, a.kind, a.known, a.country) == ("bearded gunmen", "political militia", False, None)
    a = cat.resolve("a local opposition commander")
    assert (a.name, a.kind, a.known) == ("local opposition commander", "rebel group", False)
    a = cat.resolve("the soldiers")
    assert (a.name, a.kind, a.known) == ("soldiers", "state forces", False)
    a = cat.resolve("Syrian Kurds")
    assert (a.name, a.known, a.country) == ("Syrian Kurds", False, "SYR")
    a = cat.resolve("a Syrian monitoring group")
    assert (a.name, a.kind, a.known, a.country) == ("Syrian monitoring group", "monitor", False, "SYR")
    a = cat.resolve("Bilal Abdul Kareem")
    assert (a.name, a.kind, a.known) == ("Bilal Abdul Kareem", "unknown", False)
    assert a.text == "Bilal Abdul Kareem"


@pytest.mark.parametrize("text", ["", "   ", "he", "they", "them", "its", "It", "the", "who"])
def test_empty_or_pronoun_gives_none(cat, text):
    assert cat.resolve(text, country="SYR") is None


def test_acronyms_are_case_sensitive(cat):
    assert cat.resolve("IS").name == "Islamic State"
    a = cat.resolve("the group is")
    assert not a.known
    assert cat.resolve("US forces").name == "Military Forces of the United States"
    assert cat.resolve("us") is None  # the pronoun
    assert not cat.resolve("hts fighters").known


def test_common_words_do_not_match_phoenix_groups(cat):
    # Phoenix lists groups called 'Black Star', 'New Order', 'May 15', 'National Front'
    for text in ("a black star", "the new order", "May 15", "the national front", "Tigers"):
        assert not cat.resolve(text).known, text


def test_person_names_with_a_nationality_are_not_nationalities(cat):
    assert not cat.resolve("Abu Osama al-Iraqi").known


# ------------------------------------------------------------------ sources of claims
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the Britain-based Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights"),
        ("The UK-based Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights"),
        ("the Observatory", "Syrian Observatory for Human Rights"),
        ("SANA", "SANA"),
        ("Syria's state news agency, SANA", "SANA"),
        ("state news agency SANA", "SANA"),
        ("State-run Syrian media", "Syrian state media"),
        ("the Turkish Defense Ministry", "Ministry of Defence of Turkey"),
        ("Turkey's Defense Ministry", "Ministry of Defence of Turkey"),
        ("The Russian defence ministry", "Ministry of Defence of Russia"),
        ("Russia's Defense Ministry", "Ministry of Defence of Russia"),
        ("A report on the ministry's Zvezda TV", "Zvezda TV"),
        ("the TASS news agency", "TASS"),
        ("The Syrian military", SYR),
        ("Russian army", RUS),
        ("Turkey's Communications Director Fahrettin Altun", "Government of Turkey"),
        ("Moscow", "Government of Russia"),
        ("The UN", "United Nations"),
        ("UN Syria envoy Staffan de Mistura", "United Nations"),
        ("the Ibaa News Agency, of the al Qaida-linked Levant Liberation Committee", "Ibaa News Agency"),
        ("The Idlib Media Center, an anti-government activist group", "Idlib Media Center"),
        ("according to the Syrian Observatory", "Syrian Observatory for Human Rights"),
        ("The Associated Press", "Associated Press"),
        ("Bloomberg", "Bloomberg"),
    ],
)
def test_source_names(cat, text, name):
    assert cat.source(text) == name


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("a local opposition commander", "local opposition commander"),
        ("activists on the ground", "activists on the ground"),
        ("two opposition sources", "two opposition sources"),
        ("A Syrian militant in the area", "Syrian militant in the area"),
        ("the witness", "witness"),
        ("Analysts", "Analysts"),
    ],
)
def test_unknown_sources_keep_their_text(cat, text, cleaned):
    assert cat.source(text) == cleaned


# ------------------------------------------------------------------ the catalog files
def test_catalog_loads_fast():
    t = time.perf_counter()
    ActorCatalog.load()
    assert time.perf_counter() - t < 0.6  # about 0.1 s on the development machine


def test_resolve_is_fast(cat):
    texts = [t for t, *_ in SEED_ACTORS]
    cat._cache.clear()
    t = time.perf_counter()
    for _ in range(20):
        for text in texts:
            cat._analyse(text, "SYR", False)
    per_call = (time.perf_counter() - t) / (20 * len(texts))
    assert per_call < 0.002


def test_actor_catalog_is_cached():
    assert actor_catalog() is actor_catalog()


def test_hand_catalog_is_well_formed():
    hand = yaml.safe_load(HAND_PATH.read_text("utf-8"))
    kinds = {spec["kind"] for spec in hand["classes"].values()} | {
        "state forces",
        "rebel group",
        "political militia",
        "identity militia",
        "rioters",
        "protesters",
        "civilians",
        "external/other forces",
        "news agency",
        "monitor",
        "government",
        "political organization",
    }
    names = [e["name"] for e in hand["actors"]]
    assert len(names) == len(set(names))
    for e in hand["actors"]:
        assert e["kind"] in kinds, e
        assert e.get("country") is None or e["country"] in hand["countries"] or len(e["country"]) == 3
        if e.get("parent"):
            assert e["parent"] in names or e["parent"].startswith(("Military Forces of", "Government of")), e


def test_hand_aliases_do_not_collide(cat):
    """Two hand-written entries claiming the same alias would make one of them unreachable."""
    hand = yaml.safe_load(HAND_PATH.read_text("utf-8"))
    from rashomon.resolve.actors import _expand

    seen: dict[tuple, str] = {}
    clashes = []
    for e in hand["actors"]:
        for alias in e.get("aliases", []):
            for x in _expand(str(alias)):
                k = cat._keys(x)
                if k in seen and seen[k] != e["name"]:
                    clashes.append((x, seen[k], e["name"]))
                seen.setdefault(k, e["name"])
    assert not clashes


def test_hand_entries_win_over_phoenix(cat):
    # Phoenix has JABHAT_AL_NUSRA and FREE_SYRIAN_ARMY: they fold into the hand-written entries
    names = set(cat.names())
    assert "Jabhat al Nusra" not in names
    assert cat.resolve("Jabhat al-Nusrah").name == HTS
    # Phoenix's ASSAD_FORCES [SYRMIL] is an alias of the state's military, not an actor of its own
    assert cat.resolve("Israel Defence Forces").name == "Military Forces of Israel"


def test_phoenix_file_is_compact_and_credited():
    text = PHOENIX_PATH.read_text("utf-8")
    assert len(text) < 400_000
    assert "MIT" in text.splitlines()[1] or "MIT" in text[:500]
    types = {line.split("\t", 1)[0] for line in text.splitlines() if line and not line.startswith("#")}
    assert types == {"country", "agent", "actor"}
    sources = (PHOENIX_PATH.parent / "ACTORS_SOURCES.md").read_text("utf-8")
    assert "Phoenix" in sources and "MIT" in sources


PHOENIX_SRC = ROOT.parent / "shared" / "data" / "phoenix-dictionaries"


@pytest.mark.skipif(not PHOENIX_SRC.exists(), reason="needs ../shared/data/phoenix-dictionaries")
def test_build_script_reproduces_the_committed_file(tmp_path):
    out = tmp_path / "actors_phoenix.tsv"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_actors.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert out.read_text("utf-8") == PHOENIX_PATH.read_text("utf-8")
