"""`make bench`: the ingestion and page benchmarks on PostgreSQL, each in a throwaway database it drops.

Usage: .venv/bin/python bench/run.py [--only ingest|pages] [--repetitions N]
Prints Markdown tables for BENCHMARKS.md and keeps the raw figures in bench/results/ (not committed).
Benchmarks are not part of the test suite.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys

import ingest
import pages
from common import RESULTS_DIR, log, machine


def _code_version() -> str:
    """The commit measured, and whether the working tree had uncommitted changes to tracked files."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True)
    return f"{head or 'unknown'}{' with uncommitted changes' if dirty.stdout.strip() else ''}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["ingest", "pages"])
    parser.add_argument("--repetitions", type=int, default=3, help="runs per measurement; the median is reported")
    args = parser.parse_args()

    started = datetime.datetime.now(datetime.UTC)
    report: dict = {
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "code": _code_version(),
        "load_average_at_start": os.getloadavg(),
    }
    sections, failures = [], []
    benchmarks = [("ingest", "Ingestion", ingest), ("pages", "Pages", pages)]
    for key, title, module in benchmarks:
        if args.only not in (None, key):
            continue
        try:
            report[key] = module.run(args.repetitions)
        except Exception as exc:  # keep the other benchmark's figures; say what failed
            failures.append(f"{title}: {type(exc).__name__}: {exc}")
            sections.append(f"### {title}\n\nFailed: {type(exc).__name__}: {exc}")
            continue
        sections.append(f"### {title}\n\n" + module.markdown(report[key]))

    report["load_average_at_end"] = os.getloadavg()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"{stamp}.json").write_text(json.dumps(report, indent=2))
    m = report["machine"]
    header = (
        f"Run {report['started']} of {report['code']}: {m['nproc']} CPUs ({m['cpu']}), "
        f"{m['memory_total_gib']} GiB RAM, "
        f"PostgreSQL {m['postgresql']}, Python {m['python']}; medians of {args.repetitions} runs. "
        f"Load average (1 min) {report['load_average_at_start'][0]:.1f} at start, "
        f"{report['load_average_at_end'][0]:.1f} at end: other work on the machine shows up in the figures."
    )
    text = header + "\n\n" + "\n\n".join(sections) + "\n"
    (RESULTS_DIR / f"{stamp}.md").write_text(text)
    print(text)
    log(f"raw figures: {RESULTS_DIR / stamp}.json")
    for failure in failures:
        log(f"FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
