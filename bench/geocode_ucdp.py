"""Geocoding benchmark on the UCDP GED Syria rows (2016-2017).

    python bench/geocode_ucdp.py [--csv ../shared/data/ucdp-ged-syria-2016-2017.csv] [--years 2017 2016]

UCDP's own place names are one of the gazetteer's sources, so the evaluation is split by year: rows of
year Y are resolved with `Gazetteer.load(holdout_year=Y)`, which drops every name that only UCDP rows of
year Y gave (a place named in both years stays, as it would for a coder who had last year's file).

For the rows whose place UCDP names exactly (where_prec 1-2), it prints:
  (a) `where_coordinates` given alone to `lookup(name, country="SYR")`;
  (b) the same place found inside `source_headline` by `find_names`, then `lookup` with country SYR and
      the other places the headline names as `near` (rows whose headline does not name it are misses);
the share within 10 km and 50 km of UCDP's point, and the share in UCDP's admin1 (adm_1). Then the
gazetteer's load time, memory and look-up speed.
"""

from __future__ import annotations

import argparse
import csv
import gc
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rashomon.resolve.places import (  # noqa: E402
    SYRIA_ADMIN1,
    Gazetteer,
    haversine_km,
    normalize,
    skeleton,
    strip_qualifiers,
    tokens,
)

ADMIN1 = {normalize(a): canon for canon, aliases in SYRIA_ADMIN1.items() for a in [canon, *aliases]}


def name_parts(where: str) -> list[str]:
    """'Tadmur/Palmyra town' -> keys of 'Tadmur', 'Palmyra' (the forms a headline may use)."""
    out = []
    for piece in where.replace("(", "/").replace(")", "/").split("/"):
        core, _ = strip_qualifiers(tokens(piece))
        key = normalize(" ".join(core))
        if key:
            out.append(key)
    return out


def same_name(surface: str, keys: list[str]) -> bool:
    k = normalize(surface)
    if not k:
        return False
    sk = skeleton(k)
    for key in keys:
        if k == key or (sk and sk == skeleton(key)) or fuzz.ratio(k, key) >= 85:
            return True
    return False


def evaluate(g: Gazetteer, rows: list[dict]) -> dict:
    n = len(rows)
    stats = {"a10": 0, "a50": 0, "a_adm": 0, "a_none": 0, "found": 0, "b10": 0, "b50": 0, "b_adm": 0}
    misses: list[str] = []
    t = time.perf_counter()
    lookups = 0
    for r in rows:
        lat, lon = float(r["latitude"]), float(r["longitude"])
        adm = ADMIN1.get(normalize(r["adm_1"]))
        where = r["where_coordinates"]
        p = g.lookup(where, country="SYR")
        lookups += 1
        if p is None:
            stats["a_none"] += 1
            misses.append(f"{where!r}: none")
        else:
            d = haversine_km(lat, lon, p.lat, p.lon)
            stats["a10"] += d <= 10
            stats["a50"] += d <= 50
            stats["a_adm"] += p.admin1 == adm
            if d > 10:
                misses.append(f"{where!r}: {p.name} ({p.admin1}) {d:.0f} km")
        headline = r["source_headline"] or ""
        keys = name_parts(where)
        spans = g.find_names(headline, country="SYR")
        target = next((s for s in spans if same_name(s[2], keys)), None)
        if target is None:
            continue
        stats["found"] += 1
        near = []
        for s in spans:
            if s is target:
                continue
            other = g.lookup(s[2], country="SYR")
            lookups += 1
            if other is not None and other.kind not in ("country", "admin1"):
                near.append((other.lat, other.lon))
        q = g.lookup(target[2], country="SYR", near=near or None)
        lookups += 1
        if q is not None:
            d = haversine_km(lat, lon, q.lat, q.lon)
            stats["b10"] += d <= 10
            stats["b50"] += d <= 50
            stats["b_adm"] += q.admin1 == adm
    stats["n"] = n
    stats["ms_per_lookup"] = (time.perf_counter() - t) * 1000 / max(1, lookups)
    stats["misses"] = misses
    return stats


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "   - "


def report(label: str, s: dict) -> None:
    n, f = s["n"], s["found"]
    print(f"\n{label}: {n} rows")
    print(f"  (a) where_coordinates alone : within 10 km {pct(s['a10'], n)}  within 50 km {pct(s['a50'], n)}"
          f"  right admin1 {pct(s['a_adm'], n)}  unresolved {pct(s['a_none'], n)}")
    print(f"  (b) found in the headline   : {f} rows ({pct(f, n)}); of those within 10 km {pct(s['b10'], f)}"
          f"  within 50 km {pct(s['b50'], f)}  right admin1 {pct(s['b_adm'], f)};"
          f" over all rows within 10 km {pct(s['b10'], n)}")
    print(f"  {s['ms_per_lookup']:.2f} ms per look-up")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", default=str(ROOT.parent / "shared" / "data" / "ucdp-ged-syria-2016-2017.csv"))
    ap.add_argument("--years", nargs="+", type=int, default=[2017, 2016])
    ap.add_argument("--unique", action="store_true", help="also score each distinct (name, point) once")
    ap.add_argument("--misses", type=int, default=0, help="print this many misses of (a) per year")
    args = ap.parse_args(argv)

    # load time and memory of the package gazetteer, as the pipeline loads it
    gc.collect()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    t = time.perf_counter()
    g = Gazetteer.load()
    load_s = time.perf_counter() - t
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = Path(__file__).resolve().parent.parent / "rashomon" / "resolve" / "data" / "gazetteer.npz"
    print(f"gazetteer: {len(g)} entries, file {data.stat().st_size / 1e6:.1f} MB; load {load_s:.2f} s; "
          f"memory {current / 1e6:.0f} MB held ({peak / 1e6:.0f} MB peak, tracemalloc), "
          f"max RSS grew {(rss1 - rss0) / 1024:.0f} MB")
    del g

    with open(args.csv, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["where_prec"] in ("1", "2") and r["latitude"]]
    for year in args.years:
        held = Gazetteer.load(holdout_year=year)
        year_rows = [r for r in rows if int(r["year"]) == year]
        s = evaluate(held, year_rows)
        report(f"UCDP {year} (names seen only in {year} held out)", s)
        if args.unique:
            seen = {}
            for r in year_rows:
                seen.setdefault((r["where_coordinates"], r["latitude"], r["longitude"]), r)
            report(f"UCDP {year}, each distinct place once", evaluate(held, list(seen.values())))
        for line in s["misses"][: args.misses]:
            print("    miss", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
