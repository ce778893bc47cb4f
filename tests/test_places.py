"""The gazetteer with the package's real data: transliterations, homonyms, compounds, precision, free text."""

from __future__ import annotations

import time

import pytest

from rashomon.resolve.places import Gazetteer, gazetteer, haversine_km, normalize, skeleton

SARAQIB = (35.8611, 36.8061)
MAARAT = (35.6476, 36.6766)
MASARAN = (35.7076, 36.8021)


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return gazetteer()


def km(place, point) -> float:
    return haversine_km(place.lat, place.lon, point[0], point[1])


@pytest.mark.parametrize(
    "spellings",
    [
        ["Saraqeb", "Saraqib", "Sarakeb"],
        ["Maaret al-Numan", "Ma'arrat al-Nu'man", "Maarat al-Numan", "Maarest al-Numan", "Marat al-Numan",
         "Ma`arrat an Nu`man", "Maarat al-Numaan"],
        ["Tel Mardeekh", "Tell Mardikh", "Tal Mardikh"],
        ["Abu Dhuhur", "Abu al-Duhur", "Abu ad-Duhur"],
        ["Qaminas", "Qmenas", "Qminas"],
        ["Jisr al-Shughour", "Jisr ash-Shughur", "Jisr al-Shughur"],
        ["Maasaran", "Masaran", "Ma'saran"],
        ["Khan Sheikhoun", "Khan Shaykhun", "Khan Sheikhun"],
        ["Deir ez-Zor", "Deir al-Zour", "Dayr az-Zawr"],
    ],
)
def test_transliterations_meet_the_same_point(g, spellings):
    places = [g.lookup(s, country="SYR") for s in spellings]
    assert all(p is not None for p in places), spellings
    first = places[0]
    for s, p in zip(spellings, places, strict=True):
        assert p.iso3 == "SYR", s
        assert km(p, (first.lat, first.lon)) < 5, (s, p)


def test_points_of_the_seed_places(g):
    assert km(g.lookup("Saraqeb", country="SYR"), SARAQIB) < 3
    assert km(g.lookup("Maaret al-Numan", country="SYR"), MAARAT) < 3
    assert km(g.lookup("Maarest al-Numan", country="SYR"), MAARAT) < 3
    assert km(g.lookup("Maasaran", country="SYR"), MASARAN) < 3
    tell_mardikh = g.lookup("Tel Mardeekh", country="SYR")
    assert km(tell_mardikh, (35.80, 36.80)) < 5 and tell_mardikh.admin1 == "Idlib"
    abu_duhur = g.lookup("Abu Dhuhur", country="SYR")
    assert abu_duhur.admin1 == "Idlib" and km(abu_duhur, (35.74, 37.05)) < 8


def test_saraqeb_is_saraqib_in_idlib_never_sorocaba(g):
    for country in ("SYR", None):
        p = g.lookup("Saraqeb", country=country)
        assert (p.iso3, p.admin1, p.geo_precision, p.kind) == ("SYR", "Idlib", 1, "locality")
        assert p.country == "Syria"
    assert all(c.iso3 == "SYR" for c in g.candidates("Saraqeb", country="SYR"))
    assert all("Sorocaba" not in c.name for c in g.candidates("Saraqib", country="SYR", limit=50))
    # the Brazilian city is still there for a report about Brazil
    assert g.lookup("Sorocaba", country="BRA").iso3 == "BRA"


@pytest.mark.parametrize(
    "name, iso3, admin1",
    [
        ("Saraqeb", "SYR", "Idlib"), ("Maaret al-Numan", "SYR", "Idlib"), ("Tell Mardikh", "SYR", "Idlib"),
        ("Maasaran", "SYR", "Idlib"), ("Qaminas", "SYR", "Idlib"), ("Nayrab", "SYR", None),
        ("Idlib", "SYR", "Idlib"), ("Aleppo", "SYR", "Aleppo"), ("Damascus", "SYR", "Damascus"),
        ("Ankara", "TUR", "Ankara"), ("Turkey", "TUR", None), ("Syria", "SYR", None),
        ("Hatay", "TUR", "Hatay"),
        ("Abu Dhuhur", "SYR", "Idlib"), ("Hama", "SYR", "Hama"), ("Afrin", "SYR", "Aleppo"),
        ("Moscow", "RUS", None), ("Sochi", "RUS", None), ("Tel Tokan", "SYR", "Idlib"),
    ],
)
def test_seed_places_resolve(g, name, iso3, admin1):
    p = g.lookup(name, country="SYR")
    assert p is not None, name
    assert p.iso3 == iso3, (name, p)
    if admin1:
        assert p.admin1 == admin1, (name, p)
    assert p.lat is not None and p.lon is not None
    assert p.gazetteer_id


def test_countries_and_cities_are_what_they_say(g):
    syria = g.lookup("Syria")
    assert (syria.kind, syria.geo_precision, syria.admin1, syria.country) == ("country", 3, None, "Syria")
    aleppo = g.lookup("Aleppo", country="SYR")
    assert aleppo.kind == "locality" and aleppo.geo_precision == 1 and km(aleppo, (36.20, 37.15)) < 10
    idlib = g.lookup("Idlib", country="SYR")
    assert idlib.kind == "locality" and km(idlib, (35.93, 36.63)) < 10  # the city, not the province


def test_homonyms_follow_the_documents_context(g):
    idlib_nayrab = (35.8696, 36.7187)
    aleppo_nayrab = (36.1757, 37.2280)
    assert km(g.lookup("Nayrab", country="SYR", admin1="Idlib"), idlib_nayrab) < 3
    assert km(g.lookup("Nayrab", country="SYR", admin1="Idlib province"), idlib_nayrab) < 3
    assert km(g.lookup("Nayrab", country="SYR", near=[SARAQIB]), idlib_nayrab) < 3
    assert km(g.lookup("Nayrab", country="SYR", admin1="Aleppo"), aleppo_nayrab) < 3
    assert km(g.lookup("Aleppo - Nayrab", country="SYR"), aleppo_nayrab) < 3


def test_a_foreign_capital_stays_foreign_in_a_report_about_syria(g):
    for name, iso3 in [("Ankara", "TUR"), ("Moscow", "RUS"), ("Beirut", "LBN"), ("Baghdad", "IRQ"),
                       ("Istanbul", "TUR"), ("Tehran", "IRN"), ("Gaziantep", "TUR")]:
        assert g.lookup(name, country="SYR").iso3 == iso3, name


def test_compound_names_resolve_to_their_most_specific_known_part(g):
    t4 = g.lookup("Tiyas - Airbase", country="SYR")
    assert t4.admin1 == "Homs" and km(t4, (34.5225, 37.6297)) < 8 and t4.geo_precision == 1
    saraqib = g.lookup("Idlib - Saraqeb", country="SYR")
    assert km(saraqib, SARAQIB) < 3 and saraqib.geo_precision == 1
    assert km(g.lookup("Saraqeb, Idlib", country="SYR"), SARAQIB) < 3
    assert km(g.lookup("Tadmur/Palmyra", country="SYR"), (34.56, 38.28)) < 10
    # a part the gazetteer does not know: the known part, as a wider area (geo_precision 2)
    jobar = g.lookup("Damascus - Jobarx", country="SYR")
    assert jobar.admin1 == "Damascus" and jobar.geo_precision == 2
    damascus = g.lookup("Damascus - Jobar", country="SYR")
    assert damascus.admin1 in ("Damascus", "Rural Damascus") and km(damascus, (33.51, 36.29)) < 10


def test_context_inside_the_name(g):
    idlib_nayrab = (35.8696, 36.7187)
    assert km(g.lookup("Nayrab, Idlib province", country="SYR"), idlib_nayrab) < 3
    assert km(g.lookup("Nayrab in Idlib province", country="SYR"), idlib_nayrab) < 3
    assert km(g.lookup("Nayrab near Saraqeb", country="SYR"), idlib_nayrab) < 3
    qaminas = g.lookup("Qaminas, near Idlib city", country="SYR")
    assert qaminas.geo_precision == 1 and km(qaminas, (35.885, 36.678)) < 3


def test_names_the_sources_get_wrong_or_write_otherwise(g):
    assert g.lookup("Syrian", country="SYR").kind == "country"
    assert km(g.lookup("Kobani", country="SYR"), (36.89, 38.35)) < 10  # Ayn al-Arab, not Afrin
    ghouta = g.lookup("East Ghouta", country="SYR")
    assert ghouta.admin1 == "Rural Damascus" and ghouta.geo_precision == 1
    assert km(g.lookup("Palmyra", country="SYR"), (34.56, 38.28)) < 5


def test_relation_near_gives_precision_2_and_province_gives_3(g):
    assert g.lookup("Saraqeb", country="SYR").geo_precision == 1
    assert g.lookup("Saraqeb", country="SYR", relation="in").geo_precision == 1
    for relation in ("near", "outskirts", "north of", "northwest of"):
        p = g.lookup("Maaret al-Numan", country="SYR", relation=relation)
        assert p.geo_precision == 2 and km(p, MAARAT) < 3, relation
    assert g.lookup("outskirts of Aleppo", country="SYR").geo_precision == 2
    province = g.lookup("Idlib province", country="SYR")
    assert (province.kind, province.geo_precision) == ("admin1", 3)
    assert province.admin1 == province.name == "Idlib"
    assert g.lookup("Idlib province", country="SYR", relation="near").geo_precision == 3


@pytest.mark.parametrize(
    "text, admin1",
    [
        ("Idlib province", "Idlib"), ("Idleb governorate", "Idlib"), ("Rif Dimashq", "Rural Damascus"),
        ("Damascus countryside", "Rural Damascus"), ("Deir al-Zour governorate", "Deir ez-Zor"),
        ("Raqqa province", "Ar-Raqqa"), ("Hasakah", "Al-Hasakeh"), ("Daraa", "Dar'a"),
        ("Sweida", "As-Sweida"),
        ("Latakia", "Lattakia"), ("Tartus", "Tartous"), ("Quneitra", "Quneitra"), ("Homs", "Homs"),
        ("Hama province", "Hama"), ("Aleppo province", "Aleppo"), ("Saraqeb", "Idlib"),
    ],
)
def test_admin1_of(g, text, admin1):
    p = g.admin1_of(text, "SYR")
    assert p is not None and p.admin1 == admin1 and p.name == admin1
    assert p.kind == "admin1" and p.geo_precision == 3 and p.iso3 == "SYR"


def test_admin1_outside_syria(g):
    hatay = g.admin1_of("Hatay province", "TUR")
    assert hatay.admin1 == "Hatay" and hatay.iso3 == "TUR" and hatay.geo_precision == 3


@pytest.mark.parametrize(
    "word, expected",
    [
        ("Syria", ("Syria", "SYR")), ("Syrian", ("Syria", "SYR")), ("Syrians", ("Syria", "SYR")),
        ("Turkey", ("Turkey", "TUR")), ("Turkish", ("Turkey", "TUR")), ("Russian", ("Russia", "RUS")),
        ("Russia", ("Russia", "RUS")), ("Iranian", ("Iran", "IRN")), ("U.S.", ("United States", "USA")),
        ("American", ("United States", "USA")), ("British", ("United Kingdom", "GBR")),
        ("Army", None), ("Idlib", None), ("", None),
    ],
)
def test_country(g, word, expected):
    assert g.country(word) == expected


def surfaces(g, text, country="SYR"):
    spans = g.find_names(text, country=country)
    for start, end, surface in spans:
        assert text[start:end] == surface
    return [s for _, _, s in spans]


def test_find_names_in_the_seed_sentences(g):
    text = ("Syria's state news agency, SANA, said Syrian troops captured the village of Maasaran as well as "
            "the Tel Tokan hill, cutting links between Saraqeb and the rebel stronghold of Maarest al-Numan.")
    found = surfaces(g, text)
    for name in ("Maasaran", "Tel Tokan", "Saraqeb", "Maarest al-Numan", "Syria"):
        assert name in found, (name, found)
    assert "SANA" not in found and "Syrian" not in found
    text = ("A ministry statement said Turkey's military is responding to the attack, thought to have hit "
            "Qaminas, near Idlib city. Turkey launched an operation to recapture Nayrab and Saraqeb.")
    found = surfaces(g, text)
    for name in ("Qaminas", "Idlib", "Nayrab", "Saraqeb", "Turkey"):
        assert name in found, (name, found)
    found = surfaces(g, "Warplanes have been pounding Saraqeb and the village of Tell Mardikh in Idlib.")
    assert found == ["Saraqeb", "Tell Mardikh", "Idlib"]
    found = surfaces(g, "The Ibaa News Agency said warplanes pounded Tel Mardeekh since Saturday.")
    assert found == ["Tel Mardeekh"]


def test_find_names_takes_the_longest_name_and_skips_common_words(g):
    found = surfaces(g, "The Army shelled Bab al-Hawa, Tal Abyad and Al-Bab; the Bab and the Tal were quiet.")
    assert found == ["Bab al-Hawa", "Tal Abyad", "Al-Bab"]
    found = surfaces(g, "Hassan said The Free Syrian Army met Assad's envoy on Monday; Bashar met Putin in "
                        "Sochi.")
    assert found == ["Sochi"]
    assert surfaces(g, "The Observatory, the Media Center and the Ministry of Defense said on Friday.") == []
    found = surfaces(g, "Clashes continued in Eastern Ghouta and in Jisr al-Shughour, in the countryside of "
                        "Hama.")
    assert found == ["Eastern Ghouta", "Jisr al-Shughour", "Hama"]


def test_normalisation_keys():
    assert normalize("Ma'arrat al-Nu'man") == normalize("Maaret al-Numan") == "maarat numan"
    assert normalize("Jisr ash-Shughur") == "jisr shughur"
    assert skeleton(normalize("Saraqeb")) == skeleton(normalize("Saraqib"))
    assert skeleton(normalize("Saraqeb")) != skeleton(normalize("Sorocaba"))
    assert skeleton(normalize("Abu Dhuhur")) == skeleton(normalize("Abu al-Duhur"))
    assert skeleton(normalize("Qaminas")) == skeleton(normalize("Qmenas"))


def test_unknown_names_give_none(g):
    assert g.lookup("Xqzvwplk", country="SYR") is None
    assert g.lookup("", country="SYR") is None
    assert g.lookup("   ") is None


def test_holdout_drops_names_only_ucdp_gave_in_that_year():
    full = gazetteer()
    # 'Abu al-Duhur mountain' (Homs) is named by UCDP rows of 2017 only
    mountain = (34.51, 37.45)
    assert km(full.lookup("Abu al-Duhur mountain", country="SYR"), mountain) < 3
    held = Gazetteer.load(holdout_year=2017)
    p = held.lookup("Abu al-Duhur mountain", country="SYR")
    assert p is None or km(p, mountain) > 10
    # names other sources give stay
    assert km(held.lookup("Saraqeb", country="SYR"), SARAQIB) < 3


def test_loads_fast_and_is_cached():
    t = time.perf_counter()
    Gazetteer.load()
    assert time.perf_counter() - t < 2.5  # under a second on a quiet machine; CI gets slack
    assert gazetteer() is gazetteer()
