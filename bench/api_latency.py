"""Latency of the event list under a bounded loopback load.

Starts `rashomon serve` (uvicorn, one process) on a free 127.0.0.1 port over a database, then sends a fixed
number of GET requests from a few client threads (keep-alive connections, bounded concurrency) and prints
p50/p90/p99/max latency and throughput per query. Without --db it builds the sample database with
--events synthetic events (rashomon.api.sample) in a temporary folder.

    python bench/api_latency.py                       # 4 threads x 250 requests per query, 5,000 events
    python bench/api_latency.py --db rashomon.duckdb --threads 4 --requests 250

All traffic goes to 127.0.0.1; the run stops by itself after threads x requests requests per query or after
--max-seconds, whichever comes first.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

QUERIES = {
    "list limit=50": {"limit": 50},
    "list limit=50 offset=2000": {"limit": 50, "offset": 2000},
    "filtered (dates, bbox, type, disputed)": {"start": "2017-01-01", "end": "2018-12-31",
                                               "bbox": "35.5,34.5,38,37", "type": "Battles",
                                               "disputed": "false", "limit": 50},
    "text search q=idlib limit=50": {"q": "idlib", "limit": 50},
    "brief view limit=1000 (map)": {"view": "brief", "limit": 1000},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    code = ("import sys; from rashomon.api.cli import serve; "
            "serve(['--db', sys.argv[1], '--host', '127.0.0.1', '--port', sys.argv[2]])")
    proc = subprocess.Popen([sys.executable, "-c", code, db, str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("server did not start in 30 s")


def run_load(port: int, path: str, threads: int, requests: int, max_seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + max_seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        try:
            for _ in range(requests):
                if time.monotonic() > stop_at:
                    break
                t0 = time.perf_counter()
                conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
                resp = conn.getresponse()
                body = resp.read()
                mine.append((time.perf_counter() - t0) * 1000)
                if resp.status != 200:
                    with lock:
                        errors.append(f"{resp.status} {body[:200]!r}")
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    # warm up: one request, not counted
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    warm.request("GET", path)
    first = warm.getresponse()
    total = json.loads(first.read()).get("total")
    warm.close()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]

    return {"requests": len(latencies), "errors": len(errors), "matching": total,
            "p50_ms": round(pct(50), 2), "p90_ms": round(pct(90), 2), "p99_ms": round(pct(99), 2),
            "max_ms": round(latencies[-1], 2), "mean_ms": round(statistics.fmean(latencies), 2),
            "req_per_s": round(len(latencies) / wall, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database to serve (default: build the sample with --events events)")
    parser.add_argument("--events", type=int, default=5000, help="synthetic events in the built sample")
    parser.add_argument("--threads", type=int, default=4, help="concurrent client connections")
    parser.add_argument("--requests", type=int, default=250, help="requests per thread and query")
    parser.add_argument("--max-seconds", type=float, default=120, help="time limit per query")
    parser.add_argument("--only", help="run only the queries whose name contains this")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if args.threads < 1 or args.threads > 16 or args.requests < 1 or args.requests > 10_000:
        raise SystemExit("keep the load bounded: 1-16 threads, 1-10000 requests per thread")

    load_before = [round(x, 2) for x in os.getloadavg()]  # other work on the machine skews the figures
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from rashomon.api.sample import build_sample_db

            db = build_sample_db(Path(tmp) / "bench.duckdb", extra_events=args.events)
        port = free_port()
        proc = start_server(db, port)
        results = {}
        try:
            for name, params in QUERIES.items():
                if args.only and args.only not in name:
                    continue
                path = "/api/events?" + urlencode(params)
                results[name] = run_load(port, path, args.threads, args.requests, args.max_seconds)
        finally:
            proc.terminate()
            proc.wait(10)
    meta = {"db": args.db or f"sample with {args.events} synthetic events", "threads": args.threads,
            "requests_per_thread": args.requests, "cpus": os.cpu_count(), "python": sys.version.split()[0],
            "load_before": load_before, "load_after": [round(x, 2) for x in os.getloadavg()]}
    if args.json:
        print(json.dumps({"setup": meta, "results": results}, indent=2))
        return
    print(f"# {meta['db']}; {args.threads} threads x {args.requests} requests per query on 127.0.0.1; "
          f"{meta['cpus']} CPUs; one uvicorn process; load average before {load_before[0]}, after "
          f"{meta['load_after'][0]}")
    columns = ["matching", "p50_ms", "p90_ms", "p99_ms", "max_ms", "req_per_s", "errors"]
    print(f"{'query':42}" + "".join(f"{c:>10}" for c in columns))
    for name, r in results.items():
        print(f"{name:42}" + "".join(f"{r[c]!s:>10}" for c in columns))


if __name__ == "__main__":
    main()
