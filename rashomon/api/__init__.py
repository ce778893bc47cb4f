"""REST API (FastAPI) and the web page over a Rashomon database: `create_app(db_path)`."""

from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    # FastAPI and pydantic take a third of a second to import: only `serve` and the tests need them, not
    # every `rashomon` command (nor the extraction workers, which import the CLI's module when spawned)
    if name == "create_app":
        from rashomon.api.app import create_app

        return create_app
    raise AttributeError(f"module 'rashomon.api' has no attribute {name!r}")
