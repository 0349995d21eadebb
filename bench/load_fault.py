"""`make bench-faults`: 16 clients on every public page, Redis stopped, PostgreSQL restarted (issue 12 item 13).

Everything runs on loopback and is private to this run: its own PostgreSQL cluster (initdb into a temporary folder,
as the `postgres` user when run as root, a free port), its own redis-server on a free port, gunicorn with production
settings (DEBUG off, ALLOWED_HOSTS=127.0.0.1) and a real Celery worker. The shared services on 5432/6379 are never
touched. Refresh jobs are sent to a local stand-in for the World Bank API that replays the recorded replies in
tests/recorded/worldbank/ slowly, so jobs are in flight when PostgreSQL goes down.

Usage: .venv/bin/python bench/load_fault.py [--clients 16] [--baseline 60] [--redis-down 20] [--postgres-down 5]
Prints a Markdown report and keeps it with the raw figures in bench/results/ (not committed).
"""

import argparse
import datetime
import itertools
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

from common import RESULTS_DIR, log
from load_services import (
    CeleryWorker,
    PostgresCluster,
    RedisServer,
    StandIn,
    WebServer,
    enqueue_refreshes,
    job_outcomes,
    prepare_database,
    public_pages,
)
from load_stats import Sample, by_phase, job_events

REQUEST_TIMEOUT_S = 10
WORLDBANK_SERIES = ("GB.XPD.RSDV.GD.ZS", "IP.PAT.RESD", "SP.POP.SCIE.RD.P6")


def _machine_load() -> dict:
    """The figures' context: /proc/loadavg and nproc at this moment."""
    return {"loadavg": open("/proc/loadavg").read().strip(), "nproc": os.cpu_count()}


def _fetch(url: str) -> tuple[int | None, str | None]:
    """One GET: its status, or the error that came instead of one (refused, reset, timed out)."""
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_S) as response:
            response.read()
            return response.status, None
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, type(reason).__name__


def drive(url, pages: list[str], clients: int, stop, phase) -> list[Sample]:
    """`clients` threads, each walking the pages in turn (from its own offset) until `stop()`; every request kept."""
    samples: list[Sample] = []

    def client(offset: int) -> None:
        for path in itertools.islice(itertools.cycle(pages), offset, None):
            if stop():
                return
            started = time.monotonic()
            status, error = _fetch(url(path))
            samples.append(Sample(phase(started), path, started, time.monotonic(), status, error))

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def _faults(cluster, redis, marks: dict, outages: list, timings: argparse.Namespace, env: dict) -> None:
    """The fault schedule, run beside the clients; every moment is noted in `marks` (monotonic seconds)."""
    time.sleep(timings.baseline)
    marks["redis_stopped"] = time.monotonic()
    redis.stop()
    time.sleep(timings.redis_down)
    redis.start()
    marks["redis_started"] = time.monotonic()
    time.sleep(timings.recover)
    marks["jobs_sent"] = time.monotonic()
    enqueue_refreshes(env, WORLDBANK_SERIES, copies=timings.jobs)
    time.sleep(1)
    down = time.monotonic()
    marks["postgres_stopping"] = down
    cluster.stop()
    time.sleep(timings.postgres_down)
    cluster.start()
    up = time.monotonic()
    marks["postgres_ready"] = up
    outages.append((down, up))
    time.sleep(timings.recover)
    marks["end"] = time.monotonic()


def _phase_of(marks: dict):
    """Names the phase a request started in, from the fault marks set so far."""

    def phase(now: float) -> str:
        if "postgres_stopping" in marks and now >= marks["postgres_stopping"]:
            return "4 PostgreSQL restarted" if "postgres_ready" in marks else "3 PostgreSQL down"
        if "redis_started" in marks:
            return "2b Redis back"
        if "redis_stopped" in marks:
            return "2 Redis stopped"
        return "1 baseline"

    return phase


def run(timings: argparse.Namespace, stamp: str) -> dict:
    load_at_start = _machine_load()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    web_log, worker_log = RESULTS_DIR / f"faults-{stamp}-gunicorn.log", RESULTS_DIR / f"faults-{stamp}-worker.log"
    with PostgresCluster() as cluster, RedisServer() as redis, StandIn(WORLDBANK_SERIES, delay=3.0) as stand_in:
        env = prepare_database(cluster, redis, stand_in)
        pages = public_pages(env)
        with WebServer(env, web_log) as web, CeleryWorker(env, worker_log):
            marks: dict = {"start": time.monotonic()}
            outages: list = []
            faults = threading.Thread(target=_faults, args=(cluster, redis, marks, outages, timings, env))
            faults.start()
            samples = drive(web.url, pages, timings.clients, stop=lambda: "end" in marks, phase=_phase_of(marks))
            faults.join()
            time.sleep(timings.job_wait)
            jobs = job_outcomes(env)
        requests_to_stand_in = stand_in.requests
    start = marks["start"]
    return {
        "started": stamp,
        "timings": vars(timings),
        "pages": pages,
        "load_at_start": load_at_start,
        "load_at_end": _machine_load(),
        "marks_s": {name: round(moment - start, 2) for name, moment in marks.items()},
        "outage_s": [(round(a - start, 2), round(b - start, 2)) for a, b in outages],
        "phases": by_phase(samples, outages),
        "jobs": jobs | {"worker_log": job_events(worker_log.read_text(errors="replace"))},
        "logs": [str(web_log), str(worker_log)],
        "stand_in_requests": requests_to_stand_in,
    }


def markdown(report: dict) -> str:
    """The report as BENCHMARKS.md shows it."""
    rows = [
        "| phase | requests | 2xx | 5xx | other errors | p50 | p95 | 5xx outside the outage |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, figures in report["phases"].items():
        p50 = f"{figures['p50_ms']:.0f} ms" if figures["p50_ms"] is not None else "n/a"
        p95 = f"{figures['p95_ms']:.0f} ms" if figures["p95_ms"] is not None else "n/a"
        rows.append(
            f"| {name} | {figures['requests']:,} | {figures['2xx']:,} | {figures['5xx']:,} | {figures['other']:,} "
            f"| {p50} | {p95} | {figures['5xx_outside_outage']} |"
        )
    errors = {name: figures["errors_seen"] for name, figures in report["phases"].items() if figures["errors_seen"]}
    return "\n".join(
        [
            f"Run {report['started']}: load {report['load_at_start']['loadavg']} at start, "
            f"{report['load_at_end']['loadavg']} at end (/proc/loadavg), nproc {report['load_at_start']['nproc']}.",
            f"Fault moments (s from start): {report['marks_s']}; PostgreSQL down {report['outage_s']}.",
            "",
            *rows,
            "",
            f"Errors seen: {errors or 'none'}",
            f"Jobs (IngestRun outcomes after the run): {report['jobs']}; "
            f"requests the World Bank stand-in answered: {report['stand_in_requests']}.",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--baseline", type=float, default=60, help="seconds with every service up")
    parser.add_argument("--redis-down", type=float, default=20, help="seconds Redis is stopped")
    parser.add_argument("--postgres-down", type=float, default=5, help="seconds PostgreSQL is stopped")
    parser.add_argument("--recover", type=float, default=20, help="seconds of load after each service returns")
    parser.add_argument("--jobs", type=int, default=4, help="refresh jobs sent per indicator before the restart")
    parser.add_argument("--job-wait", type=float, default=30, help="seconds the worker gets to finish after load")
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    report = run(parser.parse_args(), stamp)
    text = markdown(report)
    (RESULTS_DIR / f"faults-{stamp}.json").write_text(json.dumps(report, indent=2))
    (RESULTS_DIR / f"faults-{stamp}.md").write_text(text + "\n")
    print(text)
    outside = report["phases"]["whole run"]["5xx_outside_outage"]
    log(f"5xx outside the PostgreSQL outage: {outside} (aim: 0)")
    return 0 if outside == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
