"""`make bench`: the ingestion and page benchmarks on PostgreSQL, each in a throwaway database it drops.

Usage: .venv/bin/python bench/run.py [--only ingest|pages] [--repetitions N]
Prints Markdown tables for BENCHMARKS.md and keeps the raw figures in bench/results/ (not committed).
Benchmarks are not part of the test suite.
"""

import argparse
import datetime
import json
import os
import sys

import ingest
import pages
from common import RESULTS_DIR, log, machine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["ingest", "pages"])
    parser.add_argument("--repetitions", type=int, default=3, help="runs per measurement; the median is reported")
    args = parser.parse_args()

    started = datetime.datetime.now(datetime.UTC)
    report: dict = {
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_at_start": os.getloadavg(),
    }
    sections = []
    if args.only in (None, "ingest"):
        report["ingest"] = ingest.run(args.repetitions)
        sections.append("### Ingestion\n\n" + ingest.markdown(report["ingest"]))
    if args.only in (None, "pages"):
        pages.ensure_wrk()
        report["pages"] = pages.run(args.repetitions)
        sections.append("### Pages\n\n" + pages.markdown(report["pages"]))

    report["load_average_at_end"] = os.getloadavg()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"{stamp}.json").write_text(json.dumps(report, indent=2))
    m = report["machine"]
    header = (
        f"Run {report['started']}: {m['nproc']} CPUs ({m['cpu']}), {m['memory_total_gib']} GiB RAM, "
        f"PostgreSQL {m['postgresql']}, Python {m['python']}; medians of {args.repetitions} runs. "
        f"Load average (1 min) {report['load_average_at_start'][0]:.1f} at start, "
        f"{report['load_average_at_end'][0]:.1f} at end: other work on the machine shows up in the figures."
    )
    text = header + "\n\n" + "\n\n".join(sections) + "\n"
    (RESULTS_DIR / f"{stamp}.md").write_text(text)
    print(text)
    log(f"raw figures: {RESULTS_DIR / stamp}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
