"""Ingestion benchmark: 200,000 synthetic observations through the shared writer, in a throwaway database.

Per repetition: an empty table, a first load, an unchanged re-run, a re-run with 1% of values changed; and a
first load of 50,000 rows to show that peak memory does not grow with the row count. Beside them, PostgreSQL's
own time for the same 200,000 rows with one INSERT ... SELECT. Each phase runs in a fresh process so its peak
resident memory (ru_maxrss) is its own.
"""

from common import django_env, log, median, run_json, throwaway_database

WORKER = "bench/ingest_worker.py"
PERIODS = 500  # monthly periods per geography
FULL_GEOGRAPHIES = 400  # 400 x 500 = 200,000 rows, one indicator, one writer batch
SMALL_GEOGRAPHIES = 100  # 100 x 500 = 50,000 rows
CHANGE_EVERY = 100  # 1% of values changed


def _summary(samples: list[dict]) -> dict:
    keys = ("wall_s", "rows_per_s")
    out = {key: median([s[key] for s in samples]) for key in keys}
    for key in ("rows", "created", "revised", "unchanged", "skipped"):
        if key in samples[0]:
            out[key] = samples[0][key]
    if "rss_peak_kib" in samples[0]:
        out["rss_peak_mib"] = median([s["rss_peak_kib"] / 1024 for s in samples])
        out["rss_growth_mib"] = median([(s["rss_peak_kib"] - s["rss_before_kib"]) / 1024 for s in samples])
    out["samples_wall_s"] = [round(s["wall_s"], 3) for s in samples]
    return out


def run(repetitions: int) -> dict:
    phases: dict[str, list[dict]] = {"first_load": [], "unchanged": [], "changed_1pct": [], "first_load_50k": []}
    baseline: list[dict] = []
    with throwaway_database("ingest") as database:
        env = django_env(database)
        run_json([WORKER, "setup", "--geographies", str(FULL_GEOGRAPHIES)], env)
        full = ["--geographies", str(FULL_GEOGRAPHIES), "--periods", str(PERIODS)]
        small = ["--geographies", str(SMALL_GEOGRAPHIES), "--periods", str(PERIODS)]
        for repetition in range(1, repetitions + 1):
            log(f"ingest: repetition {repetition}/{repetitions}")
            run_json([WORKER, "reset"], env)
            phases["first_load_50k"].append(run_json([WORKER, "load", *small], env))
            run_json([WORKER, "reset"], env)
            phases["first_load"].append(run_json([WORKER, "load", *full], env))
            phases["unchanged"].append(run_json([WORKER, "load", *full], env))
            phases["changed_1pct"].append(run_json([WORKER, "load", *full, "--change-every", str(CHANGE_EVERY)], env))
            baseline.append(run_json([WORKER, "baseline", *full], env))
            log(
                "  first {first:.1f}s, unchanged {unchanged:.1f}s, 1% changed {changed:.1f}s, "
                "INSERT...SELECT {pg:.2f}s".format(
                    first=phases["first_load"][-1]["wall_s"],
                    unchanged=phases["unchanged"][-1]["wall_s"],
                    changed=phases["changed_1pct"][-1]["wall_s"],
                    pg=baseline[-1]["wall_s"],
                )
            )
    result = {name: _summary(samples) for name, samples in phases.items()}
    result["postgres_insert_select"] = _summary(baseline)
    result["repetitions"] = repetitions
    return result


def _count(row: dict, key: str) -> str:
    return f"{row[key]:,}" if key in row else ""


def markdown(result: dict) -> str:
    rows = [
        "| phase | rows | created | revised | unchanged | wall time (median) | rows/s | peak RSS | RSS growth |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    labels = {
        "first_load": "first load",
        "unchanged": "unchanged re-run",
        "changed_1pct": "re-run, 1% changed",
        "first_load_50k": "first load, 50,000 rows",
        "postgres_insert_select": "PostgreSQL alone: INSERT ... SELECT",
    }
    for key, label in labels.items():
        r = result[key]
        rss = f"{r['rss_peak_mib']:.0f} MiB" if "rss_peak_mib" in r else "n/a"
        growth = f"{r['rss_growth_mib']:.0f} MiB" if "rss_growth_mib" in r else "n/a"
        rows.append(
            f"| {label} | {r['rows']:,} | {_count(r, 'created')} | {_count(r, 'revised')} | {_count(r, 'unchanged')} "
            f"| {r['wall_s']:.2f} s | {r['rows_per_s']:,.0f} | {rss} | {growth} |"
        )
    writer = result["first_load"]["wall_s"]
    postgres = result["postgres_insert_select"]["wall_s"]
    rows.append("")
    rows.append(f"First load through the writer / PostgreSQL's INSERT ... SELECT: {writer / postgres:.1f}x.")
    return "\n".join(rows)
