"""The `rashomon` command line (see DESIGN.md, 'The contract')."""

from __future__ import annotations

import os
import sys

import click

from rashomon.store import DEFAULT_DB, Store, StoreError

EXIT_SKIPPED = 1  # the run finished, but some inputs were skipped (each named on stderr)

db_option = click.option(
    "--db", "db", default=DEFAULT_DB, show_default=True, metavar="FILE", help="DuckDB database file."
)


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
            raise click.BadParameter(
                f"'{value}': expected FIELD=COLUMN with FIELD one of text, html, title, "
                "published, id, outlet, url",
                param_hint="--csv-column",
            )
        columns[field] = column
    return columns


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option(
    "--csv-column",
    "csv_columns",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="For CSV input: the column holding a field, e.g. --csv-column text=article_content. "
    "Columns named text/content/body, title/headline, date/published, id, source/outlet, url "
    "are found without it.",
)
@click.option("--encoding", default=None, help="Read every input in this encoding instead of detecting it.")
@click.option(
    "--max-bytes",
    default=20_000_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Skip single-report files larger than this.",
)
@click.option("--workers", default=os.cpu_count() or 1, show_default="all cores",
              type=click.IntRange(min=1),
              help="Processes extracting events in parallel (each loads the language model, about 260 MB); "
              "the events are the same for any number.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def analyze(paths, db, csv_columns, encoding, max_bytes, workers, quiet):
    """Ingest reports and find their events.

    PATHS are files or folders (searched recursively) of .txt, .html/.htm, .json/.jsonl and .csv reports.
    Re-running on the same input adds nothing twice. Exit status 1 means some inputs were skipped.
    """
    from rashomon.ingest import ReadOptions
    from rashomon.pipeline import analyze as run

    options = ReadOptions(max_bytes=max_bytes, encoding=encoding, csv_columns=_parse_columns(csv_columns))
    store = open_store(db, read_only=False)
    try:
        report = run(
            paths,
            store,
            options=options,
            progress=not quiet,
            workers=workers,
            on_problem=lambda p: click.echo(f"skipped {p}", err=True),
        )
    except KeyboardInterrupt:
        click.echo(
            "interrupted: everything committed so far is kept; run the same command again to finish", err=True
        )
        sys.exit(130)
    finally:
        store.close()
    click.echo(
        f"{report.added} documents added ({report.already} already stored, {report.duplicates} "
        f"near-duplicates linked, {report.reused_sentences} reused sentences), "
        f"{report.mentions} event mentions, {report.events} events; "
        f"{len(report.problems)} inputs skipped; database {db}",
        err=True,
    )
    if report.problems:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@db_option
def docs(db):
    """List the ingested documents: id, outlet, published, title, words, duplicate-of."""
    from rashomon.export import table

    with open_store(db) as store:
        rows = store.documents()
    click.echo(
        table(
            rows,
            ["id", "outlet", "published", "title", "words", "mentions", "duplicate_of"],
            widths={"title": 50},
        )
    )


@cli.command()
@click.argument("doc_id")
@db_option
def mentions(doc_id, db):
    """The event mentions found in one report: type, trigger, actors, place, date, counts, source."""
    from rashomon.export import table

    with open_store(db) as store:
        if store.document(doc_id) is None:
            raise click.ClickException(
                f"no document '{doc_id}' in {db}; 'rashomon docs --db {db}' lists them"
            )
        rows = store.mentions(doc_id)
    for r in rows:
        r["type"] = r["sub_event_type"]
        r["sentence"] = r["sentence_index"]
    click.echo(
        table(
            rows,
            [
                "id",
                "sentence",
                "type",
                "trigger",
                "date",
                "place",
                "actor1",
                "actor2",
                "fatalities",
                "attributed_to",
                "hedged",
                "event_id",
            ],
            widths={"place": 24, "actor1": 28, "actor2": 28, "attributed_to": 30},
        )
    )


FORMATS = ("table", "jsonl", "csv", "geojson")


def _write(text: str, out: str | None) -> None:
    """Write all or nothing: a partial export never replaces a complete one."""
    if out is None:
        click.echo(text, nl=False)
        return
    import os
    import tempfile

    folder = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".rashomon-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise
    click.echo(f"wrote {out}", err=True)


@cli.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for reading; jsonl the full records (DESIGN.md); csv ACLED-like columns; geojson points.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout."
)
def events(db, fmt, out):
    """The event records: one per incident, every field with its claims (see 'rashomon show')."""
    from rashomon.export import event_table, geojson, jsonl, to_csv

    with open_store(db) as store:
        records = store.event_records()
        warn_stale(len(store.stale_events()), db)
    if fmt == "jsonl":
        text = jsonl(records)
    elif fmt == "csv":
        text = to_csv(records)
    elif fmt == "geojson":
        text = geojson(records)
    else:
        text = event_table(records) + "\n"
    _write(text, out)


def warn_stale(count: int, db: str) -> None:
    """`count` records a stopped `analyze` left lagging their reports (pipeline.refresh_stale_events)."""
    if count:
        click.echo(f"note: {count} event record(s) do not yet count every report that joined them "
                   f"(an 'analyze' run into {db} stopped before its end): run that command again to rewrite "
                   "them", err=True)


@cli.command()
@click.argument("event_id")
@db_option
def show(event_id, db):
    """One event with every claim, its sentence and its source."""
    from rashomon.export import show_event

    with open_store(db) as store:
        record = store.event_record(event_id)
        warn_stale(int(event_id in store.stale_events()), db)
    if record is None:
        raise click.ClickException(f"no event '{event_id}' in {db}; 'rashomon events --db {db}' lists them")
    click.echo(show_event(record, color=sys.stdout.isatty()))


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(("table", "jsonl")), default="table", show_default=True)
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout."
)
def stories(db, fmt, out):
    """Stories: the documents about one developing situation, with their events."""
    from rashomon.export import jsonl, table

    with open_store(db) as store:
        rows = store.story_rows()
    records = [
        {
            "id": r["id"],
            "title": r["title"],
            "doc_ids": list(r["doc_ids"] or []),
            "event_ids": list(r["event_ids"] or []),
            "start": r["start_date"],
            "end": r["end_date"],
        }
        for r in rows
    ]
    if fmt == "jsonl":
        text = jsonl(records)
    else:
        text = (
            table(
                [dict(r, docs=len(r["doc_ids"]), events=len(r["event_ids"])) for r in records],
                ["id", "start", "end", "docs", "events", "title"],
                widths={"title": 60},
            )
            + "\n"
        )
    _write(text, out)


@cli.command()
@click.option(
    "--db",
    "db",
    default=None,
    metavar="FILE",
    help="Keep the demo database here (default: a temporary file, removed afterwards).",
)
def demo(db):
    """Analyze the bundled sample reports (five real reports of 2018 and 2020) into a fresh database and
    print their events, then one disputed event in full."""
    import tempfile
    from importlib import resources
    from pathlib import Path

    from rashomon.export import event_table, show_event
    from rashomon.pipeline import analyze as run

    samples = resources.files("rashomon.samples").joinpath("seeds")
    with tempfile.TemporaryDirectory() as tmp:
        path = db or str(Path(tmp) / "demo.duckdb")
        if Path(path).exists():
            raise click.ClickException(f"{path} exists; the demo writes a fresh database")
        with resources.as_file(samples) as folder:
            store = open_store(path, read_only=False)
            try:
                report = run([str(folder)], store, progress=sys.stderr.isatty())
                records = store.event_records()
            finally:
                store.close()
        click.echo(
            f"{report.added} sample reports, {report.mentions} event mentions, {len(records)} events\n"
        )
        click.echo(event_table(records))
        disputed = sorted((r for r in records if r.get("conflicts")), key=lambda r: -len(r["mentions"]))
        if disputed:
            click.echo("\n" + show_event(disputed[0], color=sys.stdout.isatty()))
        if db:
            click.echo(f"\ndatabase kept at {db}: try 'rashomon serve --db {db}'", err=True)


@cli.group()
def spark() -> None:
    """The Spark path, for corpora beyond one machine: 'spark run' analyzes JSONL or Parquet on a Spark
    cluster (or local Spark) into Parquet tables, 'spark load' puts those into a database for 'events',
    'show', 'stories' and 'serve'. Needs PySpark (pip install 'rashomon[spark]') and Java 17 or later."""


@spark.command("run")
@click.argument("paths", nargs=-1, required=True, metavar="INPUT... OUTPUT")
@click.option("--master", default=None, metavar="URL",
              help="Spark master, e.g. local[2] or spark://host:7077 "
              "(default: spark-submit's, else local[*]).")
@click.option("--partitions", default=None, type=click.IntRange(min=1),
              help="Partitions for reading, and at least that many for the later stages, which take one "
              "per 1,000 reports if that is more (default: twice the cores).")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
def spark_run(paths, master, partitions, overwrite):
    """Analyze INPUT files or folders (.jsonl with the fields id, url, title, text|html, published, outlet;
    or .parquet with those columns; any path Spark reads: file:, hdfs:, s3a: ...) into Parquet tables
    documents, mentions, events, claims and stories under the folder OUTPUT.

    The events are those 'rashomon analyze' gives on the same input. OUTPUT appears only when the run
    succeeds. Exit status 1 means some inputs were skipped (each named on stderr)."""
    if len(paths) < 2:
        raise click.UsageError("give at least one INPUT and the OUTPUT folder")
    from rashomon.spark import SparkOutOfMemory, SparkUnavailable, run
    from rashomon.spark.job import SparkInputError

    try:
        report = run(list(paths[:-1]), paths[-1], master=master, partitions=partitions, overwrite=overwrite,
                     log=lambda message: click.echo(message, err=True))
    except (SparkUnavailable, SparkInputError, SparkOutOfMemory) as err:
        raise click.ClickException(str(err)) from err
    for location, message in report.problems:
        click.echo(f"skipped {location}: {message}", err=True)
    click.echo(
        f"{report.added} documents ({report.already} repeated ids, {report.duplicates} near-duplicates "
        "linked, "
        f"{report.reused_sentences} reused sentences), {report.mentions} event mentions, {report.events} "
        f"events, {report.stories} stories; {len(report.problems)} inputs skipped; tables in {paths[-1]} "
        f"(load them with 'rashomon spark load {paths[-1]} --db FILE')",
        err=True,
    )
    if report.problems:
        sys.exit(EXIT_SKIPPED)


@spark.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@db_option
def spark_load(folder, db):
    """Load the Parquet tables of 'rashomon spark run' (a local FOLDER) into a new database."""
    from rashomon.store.parquet import load_parquet

    store = open_store(db, read_only=False)
    try:
        counts = load_parquet(store, folder)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    click.echo(f"{counts['documents']} documents, {counts['mentions']} mentions, {counts['events']} events, "
               f"{counts['stories']} stories loaded into {db}", err=True)


def _register_serve() -> None:
    from rashomon.api.cli import serve

    cli.add_command(serve)


_register_serve()


def main() -> None:
    cli(prog_name="rashomon")


if __name__ == "__main__":
    main()
