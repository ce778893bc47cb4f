"""The analyst's workbench: a read-only REST API over a Rashomon database, and the web page that uses it.

`create_app(db_path)` gives a FastAPI app. Everything is GET; the database is opened read-only. The page at
`/` and its files under `/static` need no internet: the basemap ships in the package. Report text is sent as
JSON data and the page only ever puts it into the DOM as text; a strict Content-Security-Policy (no inline
script, nothing from elsewhere) backs that up.
"""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from rashomon.api.db import Database, EventFilter

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"
MAX_LIMIT = 5000
log = logging.getLogger("rashomon.api")

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
     b"font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Pure ASGI middleware: the same protective headers on every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- response shapes (for the OpenAPI schema) -------------------------------------------------------------
class Location(BaseModel):
    name: str | None = None
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class EventBrief(BaseModel):
    id: str
    story: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    date: str | None = None
    date_precision: str | None = None
    location: Location
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int | None = None
    disputed: bool
    conflicts: list[str]
    confidence: float | None = None
    summary: str | None = None
    mentions: int


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]
    """Event records as `rashomon events --format jsonl` prints them, or EventBrief items with view=brief."""


class EventDetail(BaseModel):
    event: dict[str, Any]
    documents: list[dict[str, Any]]
    story: dict[str, Any] | None = None


class Story(BaseModel):
    id: str
    title: str | None = None
    start: str | None = None
    end: str | None = None
    doc_ids: list[str]
    event_ids: list[str]


class StoryPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Story]


class StoryDetail(Story):
    events: list[EventBrief]
    documents: list[dict[str, Any]]


class DocumentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class Error(BaseModel):
    detail: Any


ERRORS = {404: {"model": Error, "description": "Unknown id"},
          422: {"model": Error, "description": "Bad parameter"}}


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4:
        raise _bad("bbox", text, "expected four numbers: min_lon,min_lat,max_lon,max_lat")
    minlon, minlat, maxlon, maxlat = values
    lons_ok = all(-180 <= v <= 180 for v in (minlon, maxlon))
    if not lons_ok or not all(-90 <= v <= 90 for v in (minlat, maxlat)):
        raise _bad("bbox", text, "longitudes must lie in [-180, 180] and latitudes in [-90, 90]")
    if minlat > maxlat:
        raise _bad("bbox", text, "min_lat is greater than max_lat")
    return minlon, minlat, maxlon, maxlat


def _bad(name: str, value, message: str) -> HTTPException:
    return HTTPException(422, detail=[{"loc": ["query", name], "msg": message, "input": value,
                                       "type": "value_error"}])


def create_app(db_path: str) -> FastAPI:
    """The REST API and the web page over the database at `db_path`, opened read-only."""
    db = Database(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        db.close()

    app = FastAPI(
        title="Rashomon",
        version="0.1.0",
        summary="Sourced event records from many conflict reports: every field with its claims and sources.",
        description="Read-only. Dates are ISO `YYYY-MM-DD`; errors are JSON `{\"detail\": ...}` with 404 for "
                    "unknown ids and 422 for bad parameters.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load their scripts from a CDN: the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.db = db
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type", "input")} for e in exc.errors()]
        return JSONResponse({"detail": json.loads(json.dumps(errors, default=str))}, status_code=422)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        log.exception("error while answering %s", request.url.path)
        return JSONResponse({"detail": f"internal error: {type(exc).__name__}"}, status_code=500)

    # -- API ---------------------------------------------------------------------------------------------
    @app.get("/api/health", tags=["meta"])
    def health() -> dict:
        """The server is up and the database answers."""
        s = db.summary()
        return {"status": "ok", "database": Path(db_path).name, "events": s["events"],
                "documents": s["documents"], "stories": s["stories"]}

    @app.get("/api/summary", tags=["meta"])
    def summary() -> dict:
        """Counts, the date range and the event types present (with their sub-event types)."""
        return db.summary()

    @app.get("/api/events", response_model=EventPage, responses=ERRORS, tags=["events"])
    def events(
        start: Annotated[date | None, Query(description="Events on or after this date (YYYY-MM-DD)")] = None,
        end: Annotated[date | None, Query(description="Events on or before this date (YYYY-MM-DD)")] = None,
        bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat",
                                          examples=["35.5,35.0,37.5,36.7"])] = None,
        type: Annotated[list[str] | None, Query(description="ACLED event type or sub-event type; repeat for "
                                                            "several")] = None,
        actor: Annotated[str | None, Query(max_length=200,
                                           description="Part of an actor's name, as recorded or as claimed")
                         ] = None,
        disputed: Annotated[bool | None, Query(description="true: only events whose sources disagree on "
                                                           "some field; false: only the others")] = None,
        q: Annotated[str | None, Query(max_length=200,
                                       description="Words that must all occur in the event's summary, "
                                                   "places, actors, claims or source sentences")] = None,
        story: Annotated[str | None, Query(description="Only this story's events")] = None,
        sort: Annotated[Literal["date", "-date", "fatalities", "-fatalities"],
                        Query(description="Order; '-' for descending")] = "date",
        view: Annotated[Literal["full", "brief"],
                        Query(description="full: the event records; brief: a few columns for maps")] = "full",
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ):
        """Event records matching every filter given, with the total count for paging."""
        if start and end and start > end:
            raise _bad("end", end.isoformat(), "end is before start")
        types = [t.strip() for t in type or [] if t.strip()]
        if types:
            known = db.known_types()
            unknown = [t for t in types if t.lower() not in known]
            if unknown:
                raise _bad("type", unknown, "unknown event type; see /api/summary for the types present")
        flt = EventFilter(start=start, end=end, bbox=parse_bbox(bbox) if bbox else None, types=types,
                          actor=(actor or "").strip() or None, disputed=disputed,
                          q=(q or "").strip() or None, story=story)
        total = db.count_events(flt)
        # the items come as JSON text (stored records, or made by DuckDB): splice them in, no re-encoding
        items = (db.event_briefs if view == "brief" else db.event_records)(flt, limit, offset, sort)
        body = f'{{"total":{total},"limit":{limit},"offset":{offset},"items":[{",".join(items)}]}}'
        return Response(body, media_type="application/json")

    @app.get("/api/events/{event_id}", response_model=EventDetail, responses=ERRORS, tags=["events"])
    def event(event_id: Annotated[str, PathParam(max_length=200)]):
        """One event record with the documents its mentions and claims cite, and its story."""
        found = db.event(event_id)
        if found is None:
            raise HTTPException(404, detail=f"no event with id {event_id!r}")
        return found

    @app.get("/api/stories", response_model=StoryPage, responses=ERRORS, tags=["stories"])
    def stories(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
                offset: Annotated[int, Query(ge=0)] = 0):
        """Stories (documents about one developing situation), earliest first."""
        return {"total": db.count_stories(), "limit": limit, "offset": offset,
                "items": db.stories(limit, offset)}

    @app.get("/api/stories/{story_id}", response_model=StoryDetail, responses=ERRORS, tags=["stories"])
    def story(story_id: Annotated[str, PathParam(max_length=200)]):
        """One story with its documents and its events in time order."""
        found = db.story(story_id)
        if found is None:
            raise HTTPException(404, detail=f"no story with id {story_id!r}")
        return found

    @app.get("/api/documents", response_model=DocumentPage, responses=ERRORS, tags=["documents"])
    def documents(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
                  offset: Annotated[int, Query(ge=0)] = 0):
        """Documents in ingestion order, without their text."""
        return {"total": db.count_documents(), "limit": limit, "offset": offset,
                "items": db.documents(limit, offset)}

    @app.get("/api/documents/{doc_id}", responses=ERRORS, tags=["documents"])
    def document(doc_id: Annotated[str, PathParam(max_length=200)]) -> dict:
        """One document: its text, its sentences (with character offsets into the text) and, for each
        sentence, whether event mentions use it and which events they belong to."""
        found = db.document(doc_id)
        if found is None:
            raise HTTPException(404, detail=f"no document with id {doc_id!r}")
        return found

    @app.get("/api/{rest:path}", include_in_schema=False)
    def no_such_endpoint(rest: str):
        raise HTTPException(404, detail=f"no API endpoint /api/{rest}")

    # -- the page ----------------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
