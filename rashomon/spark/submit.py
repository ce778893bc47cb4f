"""Entry point for spark-submit: `spark-submit [options] submit.py INPUT... OUTPUT [--partitions N]
[--overwrite]`. The master and resources come from spark-submit's own options."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rashomon.spark.submit", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", metavar="INPUT... OUTPUT")
    parser.add_argument("--partitions", type=int, default=None)
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args(argv)
    if len(args.paths) < 2:
        parser.error("give at least one INPUT and the OUTPUT folder")
    from rashomon.spark import run

    report = run(args.paths[:-1], args.paths[-1], partitions=args.partitions, overwrite=args.overwrite,
                 log=lambda message: print(message, file=sys.stderr))
    print(f"{report.added} documents, {report.mentions} mentions, {report.events} events, "
          f"{report.stories} stories; {len(report.problems)} inputs skipped; tables in {args.paths[-1]}",
          file=sys.stderr)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
