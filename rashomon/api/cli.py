"""`rashomon serve`: the REST API and the web page over a database, on this machine only unless told."""

from __future__ import annotations

import ipaddress

import click

from rashomon.store import DEFAULT_DB, StoreError


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, metavar="FILE",
              help="DuckDB database file.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback lets other machines read the database.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
def serve(db, host, port):
    """Serve the web page (map, timeline, event cards) and the read-only REST API over a database.

    The OpenAPI schema is at /openapi.json. Stop with Ctrl+C.
    """
    import uvicorn

    from rashomon.api import create_app
    from rashomon.cli import warn_stale

    try:
        app = create_app(db)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    warn_stale(app.state.db.summary()["stale"], db)  # the count the page shows, from the app's own connection
    if not _is_loopback(host):
        click.echo(f"warning: listening on {host}: other machines on the network can read {db}", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Rashomon: http://{shown}:{port}/ over {db} (read-only; Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
