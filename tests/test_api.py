"""The REST API over a hand-made database (rashomon.api.sample): filters, paging, detail views, errors,
read-only access and the page's safety rules."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from rashomon.api import create_app
from rashomon.api.cli import serve
from rashomon.api.sample import HOSTILE, build_sample_db
from rashomon.store import StoreError

STATIC = Path(__file__).resolve().parents[1] / "rashomon" / "web" / "static"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> str:
    return build_sample_db(tmp_path_factory.mktemp("api") / "sample.duckdb")


@pytest.fixture(scope="module")
def client(db_path):
    with TestClient(create_app(db_path)) as c:
        yield c


def ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


def get_ok(client, url: str, **params) -> dict:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


# -- overview ------------------------------------------------------------------------------------------------
def test_health_and_summary(client):
    assert get_ok(client, "/api/health") == {"status": "ok", "database": "sample.duckdb", "events": 4,
                                             "documents": 5, "stories": 2}
    s = get_ok(client, "/api/summary")
    assert (s["events"], s["disputed"], s["undated"], s["unlocated"]) == (4, 2, 1, 1)
    assert (s["date_min"], s["date_max"]) == ("2018-02-03", "2020-03-03")
    assert s["stale"] == 0  # every record counts its reports
    battles = next(t for t in s["types"] if t["event_type"] == "Battles")
    assert battles["count"] == 2
    assert battles["sub_event_types"] == [{"sub_event_type": "Armed clash", "count": 2}]


def test_openapi_schema_lists_the_endpoints(client):
    schema = get_ok(client, "/openapi.json")
    for path in ("/api/events", "/api/events/{event_id}", "/api/stories", "/api/stories/{story_id}",
                 "/api/documents", "/api/documents/{doc_id}", "/api/health"):
        assert "get" in schema["paths"][path], path
    params = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"start", "end", "bbox", "type", "actor", "disputed", "q", "limit", "offset"} <= params


# -- event list and filters ----------------------------------------------------------------------------------
def test_events_are_full_records_in_date_order(client, db_path):
    page = get_ok(client, "/api/events")
    assert page["total"] == 4 and page["limit"] == 100 and page["offset"] == 0
    assert ids(page) == ["ev-su25", "ev-qaminas", "ev-l39", "ev-vague"]  # undated last
    with duckdb.connect(db_path, read_only=True) as con:
        stored = json.loads(con.execute("SELECT record FROM events WHERE id = 'ev-su25'").fetchone()[0])
    assert page["items"][0] == stored
    assert {c["label"] for c in stored["claims"]["location"]} == {"Saraqib", "Ma'arrat al-Nu'man"}


def test_paging_keeps_the_total(client):
    first = get_ok(client, "/api/events", limit=2)
    second = get_ok(client, "/api/events", limit=2, offset=2)
    beyond = get_ok(client, "/api/events", limit=2, offset=10)
    assert first["total"] == second["total"] == beyond["total"] == 4
    assert ids(first) + ids(second) == ["ev-su25", "ev-qaminas", "ev-l39", "ev-vague"]
    assert beyond["items"] == []


def test_sort_orders(client):
    assert ids(get_ok(client, "/api/events", sort="-date")) == ["ev-l39", "ev-qaminas", "ev-su25", "ev-vague"]
    assert ids(get_ok(client, "/api/events", sort="-fatalities"))[:2] == ["ev-qaminas", "ev-su25"]


@pytest.mark.parametrize(("params", "expected"), [
    ({"start": "2020-01-01"}, ["ev-qaminas", "ev-l39"]),
    ({"end": "2019-12-31"}, ["ev-su25"]),
    ({"start": "2018-02-03", "end": "2018-02-03"}, ["ev-su25"]),
    ({"bbox": "36,35,37,36.5"}, ["ev-su25", "ev-qaminas", "ev-l39"]),
    ({"bbox": "36.6,35.85,36.7,35.9"}, ["ev-qaminas"]),
    ({"bbox": "170,-10,-170,10"}, []),  # across the antimeridian: nothing in Syria
    ({"bbox": "30,30,-170,40"}, ["ev-su25", "ev-qaminas", "ev-l39"]),  # eastward from 30E round to 170W
    ({"type": "Battles"}, ["ev-su25", "ev-l39"]),
    ({"type": "air/drone strike"}, ["ev-qaminas"]),
    ({"type": ["Battles", "Strategic developments"]}, ["ev-su25", "ev-l39", "ev-vague"]),
    ({"type": "Riots"}, []),
    ({"actor": "turkey"}, ["ev-qaminas", "ev-l39"]),
    ({"actor": "Free Syrian"}, ["ev-su25"]),  # claimed by one source only: found through the claims
    ({"actor": "Russia"}, ["ev-su25", "ev-qaminas"]),
    ({"disputed": "true"}, ["ev-su25", "ev-qaminas"]),
    ({"disputed": "false"}, ["ev-l39", "ev-vague"]),
    ({"q": "saraqeb"}, ["ev-su25"]),  # a word of a source sentence, not of the record's own fields
    ({"q": "SU-25 idlib"}, ["ev-su25"]),
    ({"q": "Maaret"}, ["ev-su25", "ev-l39"]),
    ({"q": "Anadolu"}, ["ev-su25"]),
    ({"q": "location"}, []),  # the record's JSON keys are not text
    ({"q": "100%_"}, []),
    ({"q": "", "actor": "  "}, ["ev-su25", "ev-qaminas", "ev-l39", "ev-vague"]),  # empty form fields
    ({"story": "st-idlib-2020"}, ["ev-qaminas", "ev-l39", "ev-vague"]),
    ({"type": "Battles", "disputed": "true", "start": "2018-01-01"}, ["ev-su25"]),
])
def test_event_filters(client, params, expected):
    page = get_ok(client, "/api/events", **params)
    assert ids(page) == expected
    assert page["total"] == len(expected)


def test_brief_view_for_the_map(client):
    page = get_ok(client, "/api/events", view="brief", disputed="true")
    su25 = page["items"][0]
    assert su25 == {
        "id": "ev-su25", "story": "st-su25", "event_type": "Battles", "sub_event_type": "Armed clash",
        "date": "2018-02-03", "date_precision": "day",
        "location": {"name": "Saraqib", "admin1": "Idlib", "country": "Syria",
                     "lat": 35.8611, "lon": 36.8061},
        "actor1": "Hay'at Tahrir al-Sham", "actor2": "Military Forces of Russia", "fatalities": 1,
        "disputed": True, "conflicts": ["location", "actor1"], "confidence": 0.8,
        "summary": su25["summary"], "mentions": 6}


@pytest.mark.parametrize(("params", "name"), [
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "a,b,c,d"}, "bbox"),
    ({"bbox": "0,0,200,10"}, "bbox"),
    ({"bbox": "0,10,5,0"}, "bbox"),
    ({"start": "2018-02-31"}, "start"),
    ({"end": "yesterday"}, "end"),
    ({"start": "2020-01-01", "end": "2019-01-01"}, "end"),
    ({"limit": "0"}, "limit"),
    ({"limit": "100000"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"disputed": "maybe"}, "disputed"),
    ({"type": "Picnic"}, "type"),
    ({"sort": "random"}, "sort"),
    ({"view": "everything"}, "view"),
    ({"q": "x" * 201}, "q"),
])
def test_bad_parameters_are_422_json(client, params, name):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/json")
    detail = r.json()["detail"]
    assert any(d["loc"][-1] == name for d in detail), detail


def test_other_lists_reject_bad_paging(client):
    for url in ("/api/stories", "/api/documents"):
        assert client.get(url, params={"limit": 0}).status_code == 422
        assert client.get(url, params={"offset": -5}).status_code == 422


# -- one event, stories, documents ---------------------------------------------------------------------------
def test_one_event_with_its_sources_and_story(client):
    detail = get_ok(client, "/api/events/ev-su25")
    ev = detail["event"]
    assert ev["id"] == "ev-su25" and ev["conflicts"] == ["location", "actor1"]
    assert [d["id"] for d in detail["documents"]] == ["doc-ap-su25", "doc-aa-su25", "doc-hostile"]
    assert detail["documents"][1]["outlet"] == "Anadolu Agency"
    assert detail["story"] == {"id": "st-su25", "title": "Russian Su-25 shot down over Idlib",
                               "start": "2018-02-03", "end": "2018-02-03"}
    maaret = next(c for c in ev["claims"]["location"] if c["label"] == "Ma'arrat al-Nu'man")
    assert maaret["doc_ids"] == ["doc-aa-su25"]
    assert maaret["attributed_to"] == ["a local opposition commander"]


def test_mention_offsets_point_into_the_document_text(client):
    ev = get_ok(client, "/api/events/ev-su25")["event"]
    for m in ev["mentions"]:
        doc = get_ok(client, f"/api/documents/{m['doc_id']}")
        assert doc["text"][m["start"]:m["end"]] == m["sentence"]


def test_unknown_ids_are_404_json(client):
    for url in ("/api/events/ev-nope", "/api/stories/st-nope", "/api/documents/doc-nope",
                "/api/nothing/here"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.headers["content-type"].startswith("application/json")
        assert "detail" in r.json()


def test_ids_with_odd_characters(client):
    r = client.get("/api/events/" + "%2F..%2F..%2Fetc%2Fpasswd")
    assert r.status_code == 404
    assert client.get("/api/events/" + "x" * 300).status_code == 422


def test_stories(client):
    page = get_ok(client, "/api/stories")
    assert page["total"] == 2
    assert [s["id"] for s in page["items"]] == ["st-su25", "st-idlib-2020"]
    assert page["items"][0]["doc_ids"] == ["doc-ap-su25", "doc-aa-su25", "doc-hostile"]
    story = get_ok(client, "/api/stories/st-idlib-2020")
    assert [e["id"] for e in story["events"]] == ["ev-qaminas", "ev-l39", "ev-vague"]  # time order
    assert story["event_ids"] == ["ev-qaminas", "ev-l39", "ev-vague"]
    assert {d["id"] for d in story["documents"]} == {"doc-ap-l39", "doc-qaminas"}
    assert (story["start"], story["end"]) == ("2020-02-20", "2020-03-03")


def test_document_with_its_text_and_used_sentences(client):
    doc = get_ok(client, "/api/documents/doc-hostile")
    assert HOSTILE in doc["text"] and HOSTILE in doc["title"]  # data stays data; the page escapes it
    assert doc["story"] == "st-su25" and doc["event_ids"] == ["ev-su25"]
    assert doc["sources"] == ["corpus/web/fsa-group-shoots-down-jet.html"]
    used = [s for s in doc["sentences"] if s["used"]]
    assert [s["idx"] for s in used] == [0] and used[0]["event_ids"] == ["ev-su25"]
    assert not doc["sentences"][1]["used"] and doc["sentences"][1]["event_ids"] == []
    for s in doc["sentences"]:
        assert doc["text"][s["start"]:s["end"]] == s["text"]


def test_document_list(client):
    page = get_ok(client, "/api/documents", limit=2)
    assert page["total"] == 5 and [d["id"] for d in page["items"]] == ["doc-ap-su25", "doc-aa-su25"]
    assert "text" not in page["items"][0]
    assert page["items"][0]["story"] == "st-su25"


# -- read-only, safety ---------------------------------------------------------------------------------------
def test_nothing_writes(client):
    for method in ("post", "put", "patch", "delete"):
        r = getattr(client, method)("/api/events")
        assert r.status_code == 405, method
    with pytest.raises(duckdb.Error):
        client.app.state.db.cursor().execute("CREATE TABLE intruder (i INTEGER)")


def test_security_headers_on_page_and_api(client):
    for url in ("/", "/api/events", "/static/app.js", "/api/events/nope"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_page_and_static_files(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/app.js"' in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text), "inline script would break the CSP"
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text), "the page must load nothing from elsewhere"
    for name in ("app.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200
    geo = client.get("/static/countries.geo.json", headers={"accept-encoding": "gzip"})
    assert geo.status_code == 200
    names = {f["properties"]["name"] for f in geo.json()["features"]}
    assert {"Syria", "Turkey", "Lebanon", "Iraq"} <= names and len(names) > 200


def test_page_script_never_parses_data_as_html():
    script = re.sub(r"^\s*//.*$", "", (STATIC / "app.js").read_text("utf-8"), flags=re.M)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "DOMParser", "createContextualFragment", "srcdoc"):
        assert sink not in script, sink
    assert "http://" not in script.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in script


def test_concurrent_readers(client):
    def one(i: int) -> tuple[int, int]:
        r = client.get("/api/events", params={"limit": 1 + i % 3, "q": "idlib" if i % 2 else None})
        return r.status_code, r.json()["total"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(64)))
    assert all(code == 200 for code, _ in results)
    assert {total for _, total in results} == {4, 3}  # 'idlib' is in three events' texts


def test_many_events_page_through(tmp_path):
    path = build_sample_db(tmp_path / "big.duckdb", extra_events=700)
    with TestClient(create_app(path)) as c:
        seen = []
        for offset in range(0, 800, 250):
            page = get_ok(c, "/api/events", view="brief", limit=250, offset=offset)
            seen += ids(page)
        assert len(seen) == len(set(seen)) == 704
        dated = get_ok(c, "/api/events", start="2017-01-01", end="2017-12-31", view="brief", limit=5000)
        assert dated["total"] == len(dated["items"]) > 0
        assert all("2017-01-01" <= e["date"] <= "2017-12-31" for e in dated["items"])


# -- opening and the command ---------------------------------------------------------------------------------
def test_missing_database(tmp_path):
    with pytest.raises(StoreError):
        create_app(str(tmp_path / "none.duckdb"))
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code != 0 and "no database" in result.output


def test_serve_help_and_defaults():
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "--port" in result.output and "--db" in result.output
