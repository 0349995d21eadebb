"""The page benchmark's scaled SYNTHETIC dataset, written into a throwaway database only.

7 tasks with 6 commitments each, 40 sectors, 10 geographies, 300 indicators (100 annual, 200 monthly), a target on
every third indicator, an analyst assessment per commitment, and 500,000 observations. Every name says
"synthetic" and every value is generated: none of it is a published figure. Run by bench/pages.py.
"""

import datetime
import json

import django

TASKS = 7
COMMITMENTS_PER_TASK = 6
SECTORS = 40
GEOGRAPHIES = 10
ANNUAL_INDICATORS = 100
MONTHLY_INDICATORS = 200
ANNUAL_PERIODS = 50  # 1974..2023: 100 x 10 x 50 = 50,000
MONTHLY_PERIODS = 225  # 2006-01..2024-09: 200 x 10 x 225 = 450,000
CITATION = "SYNTHETIC benchmark row (bench/pages_data.py); not a published figure"
STATUSES = ["on_track", "progressing", "stalled", "regressing", "achieved", "not_assessable"]


def indicator_code(number: int) -> str:
    return f"synthetic-{number:03d}"


def sector_slug(number: int) -> str:
    return f"synthetic-sector-{number:02d}"


def build() -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from indicators.models import CommitmentIndicator, Geography, Indicator, Source, Target
    from tasks.models import Assessment, Commitment, Sector, Task

    with transaction.atomic():
        source = Source.objects.create(
            key="synthetic",
            publisher="Synthetic benchmark publisher",
            name="Synthetic benchmark source",
            url="https://example.invalid/",
            connector="worldbank",
        )
        geographies = Geography.objects.bulk_create(
            [
                Geography(
                    code=f"SY{i}", iso3="", name_en=f"Synthetic geography {i}", name_zh=f"合成地区 {i}", kind="country"
                )
                for i in range(GEOGRAPHIES)
            ]
        )
        sectors = Sector.objects.bulk_create(
            [
                Sector(slug=sector_slug(i), name_en=f"Synthetic sector {i}", name_zh=f"合成行业 {i}")
                for i in range(1, SECTORS + 1)
            ]
        )
        tasks = Task.objects.bulk_create(
            [
                Task(
                    number=n,
                    slug=f"synthetic-task-{n}",
                    title_en=f"Synthetic task {n}",
                    title_zh=f"合成任务 {n}",
                    summary_en="Synthetic summary for the page benchmark.",
                    summary_zh="页面基准测试的合成摘要。",
                    article_text="Synthetic article text for the page benchmark. " * 20,
                )
                for n in range(1, TASKS + 1)
            ]
        )
        commitments = Commitment.objects.bulk_create(
            [
                Commitment(
                    task=task,
                    code=f"{task.number}.{position}",
                    position=position,
                    title_en=f"Synthetic commitment {task.number}.{position}",
                    title_zh=f"合成承诺 {task.number}.{position}",
                    article_quote="Synthetic quote for the page benchmark.",
                    kind="measured",
                )
                for task in tasks
                for position in range(1, COMMITMENTS_PER_TASK + 1)
            ]
        )
        for index, commitment in enumerate(commitments):
            commitment.sectors.set([sectors[(index + k) % SECTORS] for k in range(3)])
        Assessment.objects.bulk_create(
            [
                Assessment(
                    commitment=commitment,
                    status=STATUSES[index % len(STATUSES)],
                    note="Synthetic assessment for the page benchmark.",
                    assessed_on=datetime.date(2024, 6, 1),
                )
                for index, commitment in enumerate(commitments)
            ]
        )
        total = ANNUAL_INDICATORS + MONTHLY_INDICATORS
        now = timezone.now()
        indicators = Indicator.objects.bulk_create(
            [
                Indicator(
                    code=indicator_code(n),
                    name_en=f"Synthetic indicator {n}",
                    name_zh=f"合成指标 {n}",
                    definition="Synthetic series for the page benchmark.",
                    unit="units",
                    frequency="annual" if n <= ANNUAL_INDICATORS else "monthly",
                    aggregation=["level", "level", "rate", "index"][n % 4],
                    # What a figure measures, matching its aggregation; an index states its neutral line.
                    kind=["level", "level", "share", "index_prev_year_100"][n % 4],
                    neutral_value=100 if n % 4 == 3 else None,
                    direction=["increase", "decrease", "increase"][n % 3],
                    arrival="api",
                    release_lag_days=60,
                    source=source,
                    source_series_code=f"SYN.{n:03d}",
                    headline_for=tasks[n - 1] if n <= TASKS else None,
                    last_success_at=now,
                    data_version=1,
                )
                for n in range(1, total + 1)
            ]
        )
        CommitmentIndicator.objects.bulk_create(
            [
                CommitmentIndicator(
                    commitment=commitments[(index + offset) % len(commitments)],
                    indicator=indicator,
                    reason="Synthetic link for the page benchmark.",
                )
                for index, indicator in enumerate(indicators)
                for offset in (0, 7)
            ]
        )
        sector_links = Indicator.sectors.through.objects.bulk_create(
            [
                Indicator.sectors.through(indicator=indicator, sector=sectors[(index + k) % SECTORS])
                for index, indicator in enumerate(indicators)
                for k in (0, 13)
            ]
        )
        Indicator.geographies.through.objects.bulk_create(
            [
                Indicator.geographies.through(indicator=indicator, geography=geography)
                for indicator in indicators
                for geography in geographies
            ]
        )
        Target.objects.bulk_create(
            [
                Target(
                    indicator=indicator,
                    geography=geographies[0],
                    kind="level",
                    value=400,
                    base_year=2015,
                    target_year=2030,
                    document_title="Synthetic target document (benchmark)",
                    document_issuer="Synthetic issuer",
                    document_date=datetime.date(2021, 3, 1),
                    clause_quote="Synthetic clause for the page benchmark.",
                )
                for index, indicator in enumerate(indicators)
                if index % 3 == 0
            ]
        )
        annual_ids = [i.pk for i in indicators if i.frequency == "annual"]
        monthly_ids = [i.pk for i in indicators if i.frequency == "monthly"]
        observation_sql = """
            INSERT INTO indicators_observation
                (indicator_id, geography_id, period, value, is_provisional, is_estimated, is_break, vintage, version,
                 origin, citation, note, revision_count, created_at, updated_at, review_state, rejection_reason,
                 withdrawal_reason)
            SELECT ind, geo, ({start}::date + p * INTERVAL '{step}')::date,
                   100 + ((ind * 7 + geo * 13 + p * 3) %% 500) / 10.0,
                   false, false, false, 'synthetic', 1, 'api', %s, '', 0, now(), now(), 'published', '', ''
            FROM unnest(%s::bigint[]) AS ind
            CROSS JOIN unnest(%s::bigint[]) AS geo
            CROSS JOIN generate_series(0, %s - 1) AS p
        """
        geography_ids = [g.pk for g in geographies]
        with connection.cursor() as cursor:
            cursor.execute(
                observation_sql.format(start="DATE '1974-01-01'", step="1 year"),
                [CITATION, annual_ids, geography_ids, ANNUAL_PERIODS],
            )
            cursor.execute(
                observation_sql.format(start="DATE '2006-01-01'", step="1 month"),
                [CITATION, monthly_ids, geography_ids, MONTHLY_PERIODS],
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM indicators_observation")
        observations = cursor.fetchone()[0]
    return {
        "tasks": len(tasks),
        "commitments": len(commitments),
        "sectors": len(sectors),
        "geographies": len(geographies),
        "indicators": len(indicators),
        "indicator_sector_links": len(sector_links),
        "observations": observations,
        "task_url": "/tasks/1/",
        "sector_url": f"/sectors/{sector_slug(1)}/",
        "indicator_url": f"/indicators/{indicator_code(ANNUAL_INDICATORS + 1)}/",
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(build()))
