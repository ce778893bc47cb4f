"""REST API (FastAPI) and the web page over a Rashomon database: `create_app(db_path)`."""

from rashomon.api.app import create_app

__all__ = ["create_app"]
