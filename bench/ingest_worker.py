"""One phase of the ingestion benchmark, in its own process: prints one JSON line.

Run only by bench/ingest.py, against a throwaway database. Rows are SYNTHETIC benchmark data (labelled so in
their citation), generated lazily so the writer's own memory is what gets measured.
"""

import argparse
import datetime
import json
import resource
import time
from decimal import Decimal

import django

SOURCE_KEY = "bench-synthetic"
INDICATOR_CODE = "bench-synthetic-monthly"
BASELINE_CODE = "bench-synthetic-baseline"
CITATION = "SYNTHETIC benchmark row (bench/ingest_worker.py); not a published figure"
FIRST_PERIOD = datetime.date(1990, 1, 1)


def _rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _period(index: int) -> datetime.date:
    months = FIRST_PERIOD.month - 1 + index
    return datetime.date(FIRST_PERIOD.year + months // 12, months % 12 + 1, 1)


def _value(geography: int, period: int) -> Decimal:
    return Decimal((geography * 1009 + period * 31) % 100000) / 100


def records(geographies: int, periods: int, change_every: int):
    """Geography-major, period-minor; every `change_every`-th row 1.00 higher (0: none changed)."""
    from indicators.ingestion.records import ObservationRecord

    row = 0
    for geography in range(geographies):
        code = f"G{geography:04d}"
        for period in range(periods):
            value = _value(geography, period)
            if change_every and row % change_every == 0:
                value += 1
            row += 1
            yield ObservationRecord(geography_code=code, period=_period(period), value=value, citation=CITATION)


def setup(geographies: int) -> dict:
    from indicators.models import Geography, Indicator, Source

    source, _ = Source.objects.get_or_create(
        key=SOURCE_KEY,
        defaults={"publisher": "Benchmark", "name": "Synthetic benchmark source", "url": "https://example.invalid/"},
    )
    existing = set(Geography.objects.values_list("code", flat=True))
    Geography.objects.bulk_create(
        [
            Geography(code=f"G{i:04d}", name_en=f"Synthetic {i}", name_zh=f"合成 {i}", kind="country")
            for i in range(geographies)
            if f"G{i:04d}" not in existing
        ]
    )
    for code in (INDICATOR_CODE, BASELINE_CODE):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name_en": "Synthetic benchmark series",
                "name_zh": "合成基准序列",
                "definition": "Synthetic rows for the ingestion benchmark only.",
                "unit": "units",
                "frequency": "monthly",
                "aggregation": "level",
                "direction": "increase",
                "arrival": "api",
                "release_lag_days": 30,
                "source": source,
                "source_series_code": "BENCH",
            },
        )
    return {"geographies": Geography.objects.count()}


def reset() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE indicators_disagreement, indicators_observationrevision, indicators_observation, "
            "indicators_ingestrun RESTART IDENTITY CASCADE"
        )
        cursor.execute("VACUUM ANALYZE indicators_observation")
    return {"reset": True}


def load(geographies: int, periods: int, change_every: int) -> dict:
    from indicators.ingestion import runs
    from indicators.ingestion.writer import write_observations
    from indicators.models import Indicator, Observation

    indicator = Indicator.objects.get(code=INDICATOR_CODE)
    rss_before = _rss_kib()
    started = time.perf_counter()
    run = runs.open_run(source=indicator.source, indicator=indicator, trigger="bench")
    result = write_observations(
        indicator=indicator,
        records=records(geographies, periods, change_every),
        run=run,
        origin=Observation.Origin.API,
    )
    runs.succeed(run, result)
    wall = time.perf_counter() - started
    rows = geographies * periods
    return {
        "rows": rows,
        "wall_s": wall,
        "rows_per_s": rows / wall,
        "created": result.created,
        "revised": result.revised,
        "unchanged": result.unchanged,
        "skipped": result.skipped,
        "rss_before_kib": rss_before,
        "rss_peak_kib": _rss_kib(),
    }


def postgres_baseline(geographies: int, periods: int) -> dict:
    """The same number of rows written by PostgreSQL alone: one INSERT ... SELECT over generate_series."""
    from django.db import connection, transaction

    from indicators.models import Indicator

    indicator = Indicator.objects.get(code=BASELINE_CODE)
    sql = """
        INSERT INTO indicators_observation
            (indicator_id, geography_id, period, value, is_provisional, is_estimated, is_break, vintage, version,
             origin, citation, note, revision_count, created_at, updated_at, review_state, rejection_reason,
             withdrawal_reason)
        SELECT %s, g.id, (DATE '1990-01-01' + p * INTERVAL '1 month')::date, ((g.id * 1009 + p * 31) %% 100000) / 100.0,
               false, false, false, '', 1, 'api', %s, '', 0, now(), now(), 'published', '', ''
        FROM (SELECT id FROM indicators_geography WHERE code LIKE 'G%%' ORDER BY code LIMIT %s) AS g
        CROSS JOIN generate_series(0, %s - 1) AS p
    """
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [indicator.pk, CITATION, geographies, periods])
        inserted = cursor.rowcount
    wall = time.perf_counter() - started
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM indicators_observation WHERE indicator_id = %s", [indicator.pk])
    return {"rows": inserted, "wall_s": wall, "rows_per_s": inserted / wall}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["setup", "reset", "load", "baseline"])
    parser.add_argument("--geographies", type=int, default=400)
    parser.add_argument("--periods", type=int, default=500)
    parser.add_argument("--change-every", type=int, default=0)
    args = parser.parse_args()
    django.setup()
    if args.phase == "setup":
        out = setup(args.geographies)
    elif args.phase == "reset":
        out = reset()
    elif args.phase == "load":
        out = load(args.geographies, args.periods, args.change_every)
    else:
        out = postgres_baseline(args.geographies, args.periods)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
