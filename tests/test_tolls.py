"""A report's toll for one event, through the whole pipeline (real spaCy model, real DuckDB file): counts
told in parts add up, a group told twice counts once, sources set against each other give the lower figure
(ACLED), and words that are no deaths (ages, vehicles, unknown numbers) add nothing."""

from __future__ import annotations

import json

import pytest

from rashomon.pipeline import analyze
from rashomon.store import Store

CLASH, IED, DRONE = "Armed clash", "Remote explosive/landmine/IED", "Air/drone strike"
NOTES = {
    # both sides' dead, told in two clauses of one sentence
    "sum-two-sides": ("Boko Haram militants ambushed a Nigerian Army patrol near Damboa, Borno. Troops "
                      "returned fire and killed 11 insurgents; 2 soldiers lost their lives.", CLASH, 13),
    # a second sentence adds one more, whose age is no count
    "sum-next-sentence": ("Pakistani security forces exchanged fire with TTP militants in Tirah valley, "
                          "Khyber. 4 militants were killed. A 24-year-old sepoy also died in the exchange.",
                          CLASH, 5),
    # the army and the group disagree in one sentence: the lower figure stands, both are claims
    "competing-sources": ("JNIM militants stormed an army post in Boulkessi, Mopti. The army said 6 soldiers "
                          "were killed, while JNIM claimed to have killed more than 30.", CLASH, 6),
    # bodies found are the dead; burned-out trucks beside them are not
    "bodies": ("Armed confrontation between CJNG gunmen and Carteles Unidos members in Aguililla, Michoacan. "
               "Authorities later recovered the bodies of 8 gunmen and 3 burned-out trucks.", CLASH, 8),
    # a note's shorthand passive
    "shorthand": ("An IED planted by ISIS militants went off against a PMF vehicle near Tuz Khurmatu, Salah "
                  "al-Din. Two PMF members killed, 3 wounded.", IED, 2),
    # 'his wife' hurt beside the man killed is no domestic crime
    "not-domestic": ("Russian forces dropped an explosive from a drone onto a car in Kherson city. A "
                     "64-year-old man was killed and his wife injured.", DRONE, 1),
    # a note's label line gives the toll of the act before it
    "label": ("HTS fighters and members of the Third Legion clashed near Kafr Jannah, Afrin, using heavy "
              "machine guns. Fatalities: 5.", CLASH, 5),
    # the parser gives each victim its own head; 'martyred' is killed; 'the loss of two fighters'
    "two-heads": ("Ambazonian separatists attacked the gendarmerie post in Bamessing. A gendarme and two "
                  "separatist fighters were killed in the ensuing exchange of fire.", CLASH, 3),
    "martyred": ("Five civilians were martyred on Tuesday when terrorists fired rocket shells on "
                 "al-Hamdaniyah neighbourhood in Aleppo city.", "Shelling/artillery/missile attack", 5),
    "loss-of": ("NRF fighters ambushed a Taliban patrol in the Dara valley, Panjshir. The NRF claimed to "
                "have killed 13 Taliban, while a Taliban spokesman acknowledged the loss of two fighters.",
                CLASH, 2),
    # the arrests that followed kill nobody: the toll is the attack's
    "not-the-arrests": ("TTP militants stormed a Frontier Corps check post in Kulachi. A soldier was killed "
                        "before the attackers fled; 6 suspects were later arrested in the area.", CLASH, 1),
    # farmland set on fire by the shelling is part of it, and so is the shepherd it killed
    "absorbed": ("Israeli forces shelled the outskirts of Aita al-Shaab with artillery, setting fire to "
                 "farmland and killing a 70-year-old shepherd.", "Shelling/artillery/missile attack", 1),
    "unknown-number": ("The Arakan Army overran a junta battalion base in Kyauktaw township, Rakhine state. "
                       "An unknown number of junta soldiers were killed.",
                       "Non-state actor overtakes territory", 0),
}


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, list[dict]]:
    tmp = tmp_path_factory.mktemp("tolls")
    feed = tmp / "notes.jsonl"
    lines = [json.dumps({"id": key, "text": text}) + "\n" for key, (text, _, _) in NOTES.items()]
    feed.write_text("".join(lines), "utf-8")
    with Store.open(tmp / "notes.duckdb") as store:
        analyze([str(feed)], store, progress=False)
        events = store.event_records()
    by_doc: dict[str, list[dict]] = {}
    for ev in events:
        for doc in {m["doc_id"] for m in ev["mentions"]}:
            by_doc.setdefault(doc, []).append(ev)
    return by_doc


@pytest.mark.parametrize("key", list(NOTES))
def test_the_record_of_a_note_carries_its_whole_toll(records, key):
    _, sub_event_type, killed = NOTES[key]
    events = [e for e in records.get(key, []) if e["sub_event_type"] == sub_event_type]
    assert events, [(e["sub_event_type"], e["fatalities"]) for e in records.get(key, [])]
    tolls = [e["claims"].get("fatalities") for e in events]
    assert max(e["fatalities"]["best"] for e in events) == killed, tolls


def test_competing_sources_are_both_claims_and_a_conflict(records):
    event = next(e for e in records["competing-sources"] if e["sub_event_type"] == "Armed clash")
    assert sorted(c["value"]["best"] for c in event["claims"]["fatalities"]) == [6, 30]
    assert "fatalities" in event["conflicts"]
