"""A small database with hand-made event records, for the API's tests, the page's tests and the benchmark.

Three reports of the Su-25 downing of 2018-02-03 (disagreeing on the place and on who shot it down), a
Turkish downing of a Syrian L-39, an air strike on Qaminas with a fatality count, and an event with neither
date nor place. One report carries markup in its title and text, to prove that the page shows it as text.
`extra_events` adds synthetic events (spread over Syria and over 2016-2020) for load tests.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from rashomon.store import Store

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"

DOCS = [
    {
        "id": "doc-ap-su25",
        "source": "corpus/seeds/000_d682d0b4069b6ded.txt",
        "outlet": "Associated Press",
        "published": "2018-02-03",
        "title": "Al Qaida-linked militants down Russian jet in Syria",
        "paragraphs": [
            "Al Qaida-linked militants in Syria have downed a Russian fighter jet and killed its pilot "
            "after he ejected from the plane.",
            "The Russian defence ministry confirmed the downing of the Su-25 and said the pilot was "
            "killed in fighting with \u201cterrorists\u201d.",
            "The Britain-based Syrian Observatory for Human Rights said the plane was downed on Saturday "
            "afternoon near the rebel-held town of Saraqeb.",
        ],
    },
    {
        "id": "doc-aa-su25",
        "source": "corpus/seeds/001_7a9f1f2f1cb3dd00.txt",
        "outlet": "Anadolu Agency",
        "published": "2018-02-03",
        "title": "Syrian opposition downs Russian warplane in Idlib",
        "paragraphs": [
            "Syrian opposition fighters said Saturday they had shot down a Russian warplane and captured its "
            "pilots in a opposition stronghold in Idlib province.",
            "The Su25 aircraft was allegedly downed by opposition fire near the town of Maaret al-Numan "
            "in the north-western province of Idlib, a local opposition commander said.",
        ],
    },
    {
        "id": "doc-hostile",
        "source": "corpus/web/fsa-group-shoots-down-jet.html",
        "outlet": "Worldwide News",
        "published": "2018-02-04",
        "title": f"Backed Free Syrian Army Group Shoots Down Russian Jet {HOSTILE}",
        "paragraphs": [
            "A Free Syrian Army group shot down a Russian jet near Saraqeb on Saturday, the witness said. "
            f"{HOSTILE}",
            "More news: <b>not bold</b> & \"quoted\" 'text'.",
        ],
    },
    {
        "id": "doc-ap-l39",
        "source": "corpus/seeds/003_2548e44f84e219d9.txt",
        "outlet": "Associated Press",
        "published": "2020-03-03",
        "title": "Turkey downs Syrian fighter jet in northwest Idlib",
        "paragraphs": [
            "ANKARA, Turkey (AP) \u2014 Turkey shot down a Syrian fighter jet in Syria\u2019s Idlib province "
            "Tuesday, marking the third such incident in as many days.",
            "The Syrian military said Turkish forces targeted a warplane with a missile, causing it to crash "
            "northwest of the town of Maaret al-Numan.",
        ],
    },
    {
        "id": "doc-qaminas",
        "source": "corpus/seeds/004_751a1e32f3fb7b38.txt",
        "outlet": None,
        "published": None,
        "title": "Turkish and Syrian soldiers killed in fighting as Ankara launches operation",
        "paragraphs": [
            "Two Turkish soldiers were killed and five wounded in an air strike thought to have hit Qaminas, "
            "near Idlib city, on Thursday.",
            "Activists on the ground reported that the jet that carried out the strike was Russian.",
        ],
    },
]

SU25_LOCATION = {
    "name": "Saraqib",
    "admin1": "Idlib",
    "country": "Syria",
    "iso3": "SYR",
    "lat": 35.8611,
    "lon": 36.8061,
    "geo_precision": 2,
}
MAARET = {
    "name": "Ma'arrat al-Nu'man",
    "admin1": "Idlib",
    "country": "Syria",
    "iso3": "SYR",
    "lat": 35.6476,
    "lon": 36.6766,
    "geo_precision": 2,
}
QAMINAS = {
    "name": "Qaminas",
    "admin1": "Idlib",
    "country": "Syria",
    "iso3": "SYR",
    "lat": 35.8817,
    "lon": 36.6497,
    "geo_precision": 1,
}
HTS = {"name": "Hay'at Tahrir al-Sham", "kind": "rebel group", "country": "SYR"}
OPPOSITION = {"name": "Syrian opposition", "kind": "rebel group", "country": "SYR"}
FSA = {"name": "Free Syrian Army", "kind": "rebel group", "country": "SYR"}
RUSSIA = {"name": "Military Forces of Russia", "kind": "state forces", "country": "RUS"}
SYRIA = {"name": "Military Forces of Syria", "kind": "state forces", "country": "SYR"}
TURKEY = {"name": "Military Forces of Turkey", "kind": "state forces", "country": "TUR"}


def _text(doc: dict) -> str:
    return "\n\n".join(doc["paragraphs"])


def _sentences(doc: dict) -> list[tuple[int, int, str]]:
    text, out, pos = _text(doc), [], 0
    for p in doc["paragraphs"]:
        start = text.index(p, pos)
        out.append((start, start + len(p), p))
        pos = start + len(p)
    return out


def _mention(doc: dict, idx: int, attributed_to: str | None = None, hedged: bool = False) -> dict:
    start, end, sentence = _sentences(doc)[idx]
    return {
        "id": f"m-{doc['id']}-{idx}",
        "doc_id": doc["id"],
        "source": doc["source"],
        "outlet": doc["outlet"],
        "published": doc["published"],
        "sentence": sentence,
        "start": start,
        "end": end,
        "attributed_to": attributed_to,
        "hedged": hedged,
        "_idx": idx,
    }


def _claim(value, label: str, mentions: list[dict]) -> dict:
    return {
        "value": value,
        "label": label,
        "doc_ids": list(dict.fromkeys(m["doc_id"] for m in mentions)),
        "attributed_to": [m["attributed_to"] for m in mentions if m["attributed_to"]],
        "support": len(mentions),
        "mention_ids": [m["id"] for m in mentions],
        "hedged": all(m["hedged"] for m in mentions),
    }


def _events() -> list[dict]:
    d = {doc["id"]: doc for doc in DOCS}
    ap0 = _mention(d["doc-ap-su25"], 0)
    ap1 = _mention(d["doc-ap-su25"], 1, "Russian defence ministry")
    ap2 = _mention(d["doc-ap-su25"], 2, "Syrian Observatory for Human Rights")
    aa0 = _mention(d["doc-aa-su25"], 0, "Syrian opposition fighters")
    aa1 = _mention(d["doc-aa-su25"], 1, "a local opposition commander", hedged=True)
    ho0 = _mention(d["doc-hostile"], 0, "the witness")
    l0 = _mention(d["doc-ap-l39"], 0)
    l1 = _mention(d["doc-ap-l39"], 1, "The Syrian military")
    q0 = _mention(d["doc-qaminas"], 0)
    q1 = _mention(d["doc-qaminas"], 1, "Activists", hedged=True)
    su25 = {
        "id": "ev-su25",
        "story": "st-su25",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "date": "2018-02-03",
        "date_precision": "day",
        "location": SU25_LOCATION,
        "actor1": HTS,
        "actor2": RUSSIA,
        "fatalities": {"best": 1, "low": 1, "high": 1},
        "summary": "A Russian Su-25 was shot down over Idlib and its pilot killed after he ejected.",
        "mentions": [ap0, ap1, ap2, aa0, aa1, ho0],
        "claims": {
            "event_type": [
                _claim(
                    {"event_type": "Battles", "sub_event_type": "Armed clash"}, "Armed clash", [ap0, aa0, ho0]
                )
            ],
            "location": [
                _claim(SU25_LOCATION, "Saraqib", [ap2, ho0]),
                _claim(MAARET, "Ma'arrat al-Nu'man", [aa1]),
            ],
            "actor1": [
                _claim(HTS, "Hay'at Tahrir al-Sham", [ap0]),
                _claim(OPPOSITION, "Syrian opposition", [aa0]),
                _claim(FSA, "Free Syrian Army", [ho0]),
            ],
            "actor2": [_claim(RUSSIA, "Military Forces of Russia", [ap0, ap1, aa0, ho0])],
            "date": [_claim({"date": "2018-02-03", "precision": "day"}, "2018-02-03", [ap2, aa0, ho0])],
            "fatalities": [_claim({"best": 1, "low": 1, "high": 1}, "1", [ap0, ap1])],
        },
        "conflicts": ["location", "actor1"],
        "confidence": 0.8,
    }
    l39 = {
        "id": "ev-l39",
        "story": "st-idlib-2020",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "date": "2020-03-03",
        "date_precision": "day",
        "location": MAARET,
        "actor1": TURKEY,
        "actor2": SYRIA,
        "fatalities": None,
        "summary": "Turkey shot down a Syrian L-39 warplane northwest of Maaret al-Numan.",
        "mentions": [l0, l1],
        "claims": {
            "location": [_claim(MAARET, "Ma'arrat al-Nu'man", [l1])],
            "actor1": [_claim(TURKEY, "Military Forces of Turkey", [l0, l1])],
        },
        "conflicts": [],
        "confidence": 0.7,
    }
    qaminas = {
        "id": "ev-qaminas",
        "story": "st-idlib-2020",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "date": "2020-02-20",
        "date_precision": "day",
        "location": QAMINAS,
        "actor1": SYRIA,
        "actor2": TURKEY,
        "fatalities": {"best": 2, "low": 2, "high": 2},
        "summary": "An air strike near Qaminas killed two Turkish soldiers.",
        "mentions": [q0, q1],
        "claims": {
            "actor1": [
                _claim(SYRIA, "Military Forces of Syria", [q0]),
                _claim(RUSSIA, "Military Forces of Russia", [q1]),
            ],
            "fatalities": [_claim({"best": 2, "low": 2, "high": 2}, "2", [q0])],
        },
        "conflicts": ["actor1"],
        "confidence": 0.6,
    }
    vague = {
        "id": "ev-vague",
        "story": "st-idlib-2020",
        "event_type": "Strategic developments",
        "sub_event_type": "Other",
        "date": None,
        "date_precision": None,
        "location": {
            "name": None,
            "admin1": None,
            "country": None,
            "iso3": None,
            "lat": None,
            "lon": None,
            "geo_precision": None,
        },
        "actor1": None,
        "actor2": None,
        "fatalities": None,
        "summary": "Activists reported a Russian jet.",
        "mentions": [q1],
        "claims": {},
        "conflicts": [],
        "confidence": 0.2,
    }
    return [su25, l39, qaminas, vague]


def _synthetic(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    kinds = [
        ("Battles", "Armed clash"),
        ("Explosions/Remote violence", "Air/drone strike"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Violence against civilians", "Attack"),
        ("Protests", "Peaceful protest"),
        ("Strategic developments", "Arrests"),
    ]
    actors = [SYRIA, RUSSIA, TURKEY, HTS, OPPOSITION, FSA]
    doc = DOCS[0]
    m = _mention(doc, 0)
    out = []
    for i in range(n):
        event_type, sub = rng.choice(kinds)
        day = date(2016, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        lat, lon = round(rng.uniform(32.5, 37.0), 4), round(rng.uniform(35.8, 42.0), 4)
        place = {
            "name": f"Village {i}",
            "admin1": rng.choice(["Idlib", "Aleppo", "Hama", "Deir ez-Zor"]),
            "country": "Syria",
            "iso3": "SYR",
            "lat": lat,
            "lon": lon,
            "geo_precision": 1,
        }
        a1, a2 = rng.sample(actors, 2)
        best = rng.choice([None, 0, 1, 2, 5, 12, 40])
        disputed = rng.random() < 0.2
        other = dict(place, name=f"Town {i}", lat=round(lat + 0.1, 4))
        claims = {
            "location": [_claim(place, place["name"], [m])]
            + ([_claim(other, other["name"], [m])] if disputed else [])
        }
        out.append(
            {
                "id": f"ev-syn-{i:06d}",
                "story": f"st-syn-{i // 10:05d}",
                "event_type": event_type,
                "sub_event_type": sub,
                "date": day.isoformat(),
                "date_precision": "day",
                "location": place,
                "actor1": a1,
                "actor2": a2,
                "fatalities": None if best is None else {"best": best, "low": best, "high": best + best // 2},
                "summary": f"Synthetic {sub.lower()} near {place['name']}.",
                "mentions": [m],
                "claims": claims,
                "conflicts": ["location"] if disputed else [],
                "confidence": round(rng.uniform(0.3, 0.95), 2),
            }
        )
    return out


def build_sample_db(path: str | Path, extra_events: int = 0, seed: int = 7) -> str:
    """Write the sample database at `path` (which must not exist yet) and return its path."""
    path = str(path)
    if Path(path).exists():
        raise FileExistsError(path)
    events = _events() + _synthetic(extra_events, seed)
    with Store.open(path) as store, store.transaction():
        con = store.con
        for doc in DOCS:
            text = _text(doc)
            con.execute(
                "INSERT INTO documents (id, seq, source, url, title, outlet, published, text, words, "
                "content_hash) VALUES (?, nextval('document_seq'), ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    doc["id"],
                    doc["source"],
                    None,
                    doc["title"],
                    doc["outlet"],
                    doc["published"],
                    text,
                    len(text.split()),
                    doc["id"],
                ],
            )
            con.execute("INSERT INTO document_sources VALUES (?, ?)", [doc["id"], doc["source"]])
            for idx, (start, end, sentence) in enumerate(_sentences(doc)):
                con.execute(
                    "INSERT INTO sentences (doc_id, idx, start_char, end_char, text) VALUES (?, ?, ?, ?, ?)",
                    [doc["id"], idx, start, end, sentence],
                )
        stories: dict[str, list[dict]] = {}
        mention_ids: dict[tuple[str, int], str] = {}
        mention_rows, event_mentions, claim_rows, event_rows = [], [], [], []
        for ev in events:
            stories.setdefault(ev["story"], []).append(ev)
            for m in ev["mentions"]:
                key = (m["doc_id"], m["_idx"])
                if key not in mention_ids:
                    mention_ids[key] = m["id"]
                    mention_rows.append(
                        {
                            "id": mention_ids[key],
                            "doc_id": m["doc_id"],
                            "sentence_index": m["_idx"],
                            "start_char": m["start"],
                            "end_char": m["end"],
                            "event_type": ev["event_type"],
                            "sub_event_type": ev["sub_event_type"],
                            "trigger": None,
                            "date": ev["date"],
                            "date_precision": ev["date_precision"],
                            "place": ev["location"]["name"],
                            "lat": ev["location"]["lat"],
                            "lon": ev["location"]["lon"],
                            "actor1": None,
                            "actor2": None,
                            "fatalities": None,
                            "attributed_to": m["attributed_to"],
                            "hedged": m["hedged"],
                            "origin": m["doc_id"],
                            "data": "{}",
                        }
                    )
                    event_mentions.append({"event_id": ev["id"], "mention_id": mention_ids[key]})
            for fld, claims in ev["claims"].items():
                for c in claims:
                    claim_rows.append(
                        {
                            "event_id": ev["id"],
                            "field": fld,
                            "label": c["label"],
                            "value": json.dumps(c["value"]),
                            "support": c["support"],
                            "doc_ids": json.dumps(c["doc_ids"]),
                            "attributed_to": json.dumps(c["attributed_to"]),
                        }
                    )
            record = dict(ev, mentions=[{k: v for k, v in m.items() if k != "_idx"} for m in ev["mentions"]])
            loc, fat = ev["location"], ev["fatalities"]
            event_rows.append(
                {
                    "id": ev["id"],
                    "story_id": ev["story"],
                    "event_type": ev["event_type"],
                    "sub_event_type": ev["sub_event_type"],
                    "date": ev["date"],
                    "date_precision": ev["date_precision"],
                    "location_name": loc["name"],
                    "admin1": loc["admin1"],
                    "country": loc["country"],
                    "lat": loc["lat"],
                    "lon": loc["lon"],
                    "actor1": (ev["actor1"] or {}).get("name"),
                    "actor2": (ev["actor2"] or {}).get("name"),
                    "fatalities": fat["best"] if fat else None,
                    "disputed": bool(ev["conflicts"]),
                    "confidence": ev["confidence"],
                    "summary": ev["summary"],
                    "record": json.dumps(record, ensure_ascii=False),
                }
            )
        store.insert_rows("mentions", mention_rows)
        store.insert_rows("event_mentions", event_mentions)
        store.insert_rows("claims", claim_rows)
        store.insert_rows("events", event_rows)
        story_docs: dict[str, str] = {}
        for sid, evs in stories.items():
            dates = sorted(e["date"] for e in evs if e["date"])
            title = {
                "st-su25": "Russian Su-25 shot down over Idlib",
                "st-idlib-2020": "Turkish-Syrian clashes in Idlib, 2020",
            }.get(sid, f"Synthetic story {sid}")
            con.execute(
                "INSERT INTO stories VALUES (?, ?, ?, ?, ?)",
                [sid, title, dates[0] if dates else None, dates[-1] if dates else None, "{}"],
            )
            for e in evs:
                for m in e["mentions"]:
                    story_docs.setdefault(m["doc_id"], sid)
        store.insert_rows("story_documents", [{"story_id": s, "doc_id": d} for d, s in story_docs.items()])
    return path
