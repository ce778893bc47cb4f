"""The `rashomon` command line (see DESIGN.md, 'The contract')."""

from __future__ import annotations

import sys

import click

from rashomon.store import DEFAULT_DB, Store, StoreError

EXIT_SKIPPED = 1  # the run finished, but some inputs were skipped (each named on stderr)

db_option = click.option("--db", "db", default=DEFAULT_DB, show_default=True, metavar="FILE",
                         help="DuckDB database file.")


def open_store(path: str, read_only: bool = True) -> Store:
    try:
        return Store.open(path, read_only=read_only)
    except StoreError as err:
        raise click.ClickException(str(err)) from err


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rashomon")
def cli() -> None:
    """Rashomon: many news reports about armed conflict in, one sourced event record per incident out.

    Typical use: 'rashomon analyze reports/' then 'rashomon events' and 'rashomon show EVENT_ID'.
    """


def _parse_columns(values: tuple[str, ...]) -> dict[str, str]:
    columns = {}
    for value in values:
        field, sep, column = value.partition("=")
        if not sep or field not in ("text", "html", "title", "published", "id", "outlet", "url"):
            raise click.BadParameter(f"'{value}': expected FIELD=COLUMN with FIELD one of text, html, title, "
                                     "published, id, outlet, url", param_hint="--csv-column")
        columns[field] = column
    return columns


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--csv-column", "csv_columns", multiple=True, metavar="FIELD=COLUMN",
              help="For CSV input: the column holding a field, e.g. --csv-column text=article_content. "
                   "Columns named text/content/body, title/headline, date/published, id, source/outlet, url "
                   "are found without it.")
@click.option("--encoding", default=None, help="Read every input in this encoding instead of detecting it.")
@click.option("--max-bytes", default=20_000_000, show_default=True, type=click.IntRange(min=1),
              help="Skip single-report files larger than this.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def analyze(paths, db, csv_columns, encoding, max_bytes, quiet):
    """Ingest reports and find their events.

    PATHS are files or folders (searched recursively) of .txt, .html/.htm, .json/.jsonl and .csv reports.
    Re-running on the same input adds nothing twice. Exit status 1 means some inputs were skipped.
    """
    from rashomon.ingest import ReadOptions
    from rashomon.pipeline import analyze as run

    options = ReadOptions(max_bytes=max_bytes, encoding=encoding, csv_columns=_parse_columns(csv_columns))
    store = open_store(db, read_only=False)
    try:
        report = run(paths, store, options=options, progress=not quiet,
                     on_problem=lambda p: click.echo(f"skipped {p}", err=True))
    except KeyboardInterrupt:
        click.echo("interrupted: everything committed so far is kept; run the same command again to finish",
                   err=True)
        sys.exit(130)
    finally:
        store.close()
    click.echo(f"{report.added} documents added ({report.already} already stored, {report.duplicates} "
               f"near-duplicates linked, {report.reused_sentences} reused sentences), "
               f"{report.mentions} event mentions, {report.events} events; "
               f"{len(report.problems)} inputs skipped; database {db}", err=True)
    if report.problems:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@db_option
def docs(db):
    """List the ingested documents: id, outlet, published, title, words, duplicate-of."""
    from rashomon.export import table

    with open_store(db) as store:
        rows = store.documents()
    click.echo(table(rows, ["id", "outlet", "published", "title", "words", "mentions", "duplicate_of"],
                     widths={"title": 50}))


def main() -> None:
    cli(prog_name="rashomon")


if __name__ == "__main__":
    main()
