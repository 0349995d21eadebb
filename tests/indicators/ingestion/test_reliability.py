"""Issue 12, ingestion: the faults a fault-injecting stand-in, a killed worker and concurrent runs found."""

import datetime
import json
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse

from indicators.ingestion import runs, service
from indicators.ingestion.errors import RetryableFetchError
from indicators.ingestion.records import ObservationRecord, SkippedRecord
from indicators.ingestion.retries import RetryPolicy
from indicators.ingestion.writer import write_observations
from indicators.models import IngestRun, Observation, ObservationRevision
from indicators.tasks import refresh_indicator as refresh_indicator_job
from tests.factories import GeographyFactory, IndicatorFactory, IngestRunFactory, ObservationFactory
from tests.indicators.ingestion.conftest import WB_PATH
from tests.indicators.ingestion.replay import Reply

pytestmark = pytest.mark.django_db
SERIES = "GB.XPD.RSDV.GD.ZS"
# China, R&D expenditure (% of GDP), from the World Bank bulk file wb_bulk_API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv
# (Last Updated 2026-07-13), as in test_concurrency.
CHN_2021, CHN_2022 = Decimal("2.38165"), Decimal("2.4945")


def wb_body(rows: list[tuple[str, str, object]]) -> bytes:
    """A World Bank v2 reply in its documented shape for (iso3, year, value) rows; values are written as given."""
    meta = {"page": 1, "pages": 1, "per_page": 1000, "total": len(rows), "lastupdated": "2026-07-13"}
    body = [
        {
            "indicator": {"id": SERIES, "value": "Research and development expenditure (% of GDP)"},
            "countryiso3code": iso3,
            "date": year,
            "value": value,
            "obs_status": "",
        }
        for iso3, year, value in rows
    ]
    return json.dumps([meta, body], default=str).encode()


def serve(replay, *replies):
    replay.add(WB_PATH.format(countries="CHN;USA", series=SERIES), *replies)


def dead_worker() -> str:
    """host:pid of a process that has exited."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{runs.socket.gethostname()}:{process.pid}"


@pytest.fixture
def indicator():
    indicator = IndicatorFactory(unit="% of GDP")
    indicator.geographies.set([GeographyFactory(code="CHN", iso3="CHN")])
    return indicator


def record(year: int, value: Decimal, **flags) -> ObservationRecord:
    return ObservationRecord("CHN", datetime.date(year, 1, 1), value, citation=f"World Bank WDI {SERIES}", **flags)


def write(indicator, records, run=None):
    run = run or IngestRunFactory(source=indicator.source, indicator=indicator)
    return write_observations(indicator=indicator, records=records, run=run, origin="api")


# 1. Concurrent runs: a run waiting for the lock is alive; only a run whose worker is gone is abandoned.
def test_a_run_waiting_for_the_lock_is_not_abandoned(indicator):
    waiting = runs.open_run(source=indicator.source, indicator=indicator, trigger="manual")

    write(
        indicator,
        [record(2021, CHN_2021)],
        run=runs.open_run(source=indicator.source, indicator=indicator, trigger="manual"),
    )

    waiting.refresh_from_db()
    assert (waiting.outcome, waiting.error) == (IngestRun.Outcome.RUNNING, "")


def test_a_run_whose_worker_is_gone_is_abandoned(indicator):
    gone = IngestRunFactory(source=indicator.source, indicator=indicator, worker=dead_worker())

    write(indicator, [record(2021, CHN_2021)])

    gone.refresh_from_db()
    assert (gone.outcome, gone.error) == (IngestRun.Outcome.FAILED, runs.ABANDONED)


def test_a_run_that_finished_after_being_taken_for_abandoned_is_no_death(indicator):
    for _ in range(runs.POISON_THRESHOLD):
        run = IngestRunFactory(source=indicator.source, indicator=indicator, error=runs.ABANDONED)
        runs.succeed(run, write(indicator, [record(2021, CHN_2021)]))
        assert IngestRun.objects.get(pk=run.pk).error == ""
    IngestRun.objects.filter(indicator=indicator).update(error=runs.ABANDONED)  # as the old code left them
    current = IngestRunFactory(source=indicator.source, indicator=indicator)

    assert not runs.died_repeatedly(indicator_id=indicator.pk, before=current)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_run_open_in_another_live_connection_is_kept_and_closed_once_it_dies(indicator):
    opened, finish = threading.Event(), threading.Event()
    holder = {}

    def other_worker():
        holder["run"] = runs.open_run(source=indicator.source, indicator=indicator, trigger="schedule")
        opened.set()
        finish.wait(timeout=30)
        connection.close()  # the worker dies: its connection, and the run's lock, go with it

    thread = threading.Thread(target=other_worker, daemon=True)
    thread.start()
    assert opened.wait(timeout=30)
    write(
        indicator,
        [record(2021, CHN_2021)],
        run=runs.open_run(source=indicator.source, indicator=indicator, trigger="manual"),
    )
    assert IngestRun.objects.get(pk=holder["run"].pk).outcome == IngestRun.Outcome.RUNNING
    finish.set()
    thread.join(timeout=30)

    write(
        indicator,
        [record(2021, CHN_2021)],
        run=runs.open_run(source=indicator.source, indicator=indicator, trigger="manual"),
    )

    assert IngestRun.objects.get(pk=holder["run"].pk).error == runs.ABANDONED


# 2. A non-numeric value is skipped, counted, naming series, geography and period.
def test_a_non_numeric_value_is_skipped_naming_series_geography_and_period(replay, worldbank_rd):
    serve(replay, Reply(body=wb_body([("CHN", "2021", ".."), ("CHN", "2022", str(CHN_2022)), ("USA", "2022", "")])))

    assert refresh_indicator_job.apply(args=[worldbank_rd.pk]).get() == IngestRun.Outcome.SUCCESS

    run = IngestRun.objects.get()
    (skipped,) = run.skipped_reasons
    assert skipped["count"] == 2 and "not a number" in skipped["reason"]
    assert skipped["examples"] == [f"{SERIES} CHN 2021: '..'", f"{SERIES} USA 2022: ''"]
    assert worldbank_rd.observations.get().value == CHN_2022


# 3. A total deadline per request.
def test_a_dripping_server_is_cut_off_at_the_request_deadline(replay, worldbank_rd, settings):
    settings.HTTP_DEADLINE_SECONDS = 0.5
    serve(replay, Reply(body=wb_body([("CHN", "2022", str(CHN_2022))]), drip=(10, 0.05)))
    started = time.monotonic()

    with pytest.raises(RetryableFetchError, match=r"did not finish within the 0\.5 s deadline"):
        service.refresh_indicator(indicator_id=worldbank_rd.pk, trigger="test")

    assert time.monotonic() - started < 0.5 + settings.HTTP_TIMEOUT_SECONDS


# 4. Retry-After is capped, and the run records that the cap applied.
def test_a_long_retry_after_is_capped_and_the_run_says_so(replay, worldbank_rd, settings):
    settings.HTTP_RETRY_AFTER_MAX_SECONDS = 30
    serve(replay, Reply(status=429, headers={"Retry-After": "7200"}), Reply(body=wb_body([("CHN", "2022", "2.4945")])))
    waits = []

    run = service.refresh_indicator_now(indicator_id=worldbank_rd.pk, trigger="test", sleep=waits.append)

    assert waits == [30.0] and run.outcome == IngestRun.Outcome.SUCCESS
    refused = IngestRun.objects.get(attempt=1)
    assert refused.retry_after_capped_from == 7200.0
    assert "Retry-After 7200 s capped to 30 s" in refused.error
    assert service.retry_delay(retries=0, retry_after=7200.0) == 30.0  # the job's countdown


# 5. Citations name the publisher's URL; the run keeps the mirror's.
def test_citations_name_the_publisher_and_the_run_keeps_the_fetched_url(replay, worldbank_rd):
    serve(replay, Reply(body=wb_body([("CHN", "2022", "2.4945")])))

    run = service.refresh_indicator(indicator_id=worldbank_rd.pk, trigger="test")

    citation = worldbank_rd.observations.get().citation
    assert citation.endswith(f"https://api.worldbank.org/v2/country/CHN/indicator/{SERIES}")
    assert "127.0.0.1" not in citation
    assert run.fetched_urls == [f"{replay.url}/v2/country/CHN;USA/indicator/{SERIES}?format=json&per_page=1000&page=1"]


# 6. A flag-only change keeps the flag it replaced, and the page says so.
def test_a_flag_only_revision_keeps_the_old_flag_and_the_page_says_flag_changed(indicator, client):
    write(indicator, [record(2021, CHN_2021, is_provisional=True)])

    write(indicator, [record(2021, CHN_2021)])

    revision = ObservationRevision.objects.get()
    assert (revision.old_value, revision.new_value, revision.old_is_provisional) == (CHN_2021, CHN_2021, True)
    assert revision.only_flags_changed
    response = client.get(reverse("indicators:detail", args=[indicator.code]))
    assert "Flag changed" in response.content.decode()


# 7. A figure the source withdraws is marked so, kept in history, and left out of the public series.
def test_a_figure_the_source_withdraws_is_marked_kept_and_not_public(indicator):
    write(indicator, [record(2021, CHN_2021), record(2022, CHN_2022)])
    null = SkippedRecord(
        "the World Bank publishes no value (null)",
        "CHN 2021",
        geography_code="CHN",
        period=datetime.date(2021, 1, 1),
        withdrawn=True,
    )

    result = write(indicator, [null, record(2022, CHN_2022)])
    again = write(indicator, [null, record(2022, CHN_2022)])

    withdrawn = indicator.observations.get(period=datetime.date(2021, 1, 1))
    assert withdrawn.withdrawn_by_source_at is not None and withdrawn.value == CHN_2021
    assert result.withdrawn == 1 and again.withdrawn == 0
    revision = ObservationRevision.objects.get()
    assert revision.reason == ObservationRevision.Reason.SOURCE_WITHDRAWAL
    from indicators import selectors

    assert [p.value for p in selectors.home_series([indicator.pk])[indicator.pk]] == [float(CHN_2022)]


def test_a_withdrawn_figure_published_again_is_current_again(indicator):
    write(indicator, [record(2021, CHN_2021)])
    write(
        indicator,
        [SkippedRecord("null", "CHN 2021", geography_code="CHN", period=datetime.date(2021, 1, 1), withdrawn=True)],
    )

    write(indicator, [record(2021, CHN_2021)])

    assert indicator.observations.get().withdrawn_by_source_at is None


def test_an_analysts_figure_is_never_withdrawn_by_a_null(indicator):
    ObservationFactory(
        indicator=indicator,
        geography=indicator.geographies.get(),
        period=datetime.date(2021, 1, 1),
        value=CHN_2021,
        origin=Observation.Origin.ANALYST,
    )

    write(
        indicator,
        [SkippedRecord("null", "CHN 2021", geography_code="CHN", period=datetime.date(2021, 1, 1), withdrawn=True)],
    )

    assert indicator.observations.get().withdrawn_by_source_at is None


# 8. Celery's own autoretry, backoff and jitter; the command uses the same policy.
def test_the_job_retries_through_celerys_autoretry_with_backoff_and_jitter(settings):
    policy = RetryPolicy.from_settings()

    assert refresh_indicator_job.autoretry_for == (RetryableFetchError, OperationalError, InterfaceError)
    assert refresh_indicator_job.retry_jitter is True
    assert refresh_indicator_job.retry_backoff == policy.backoff_seconds
    assert refresh_indicator_job.max_retries == policy.max_retries


def test_the_foreground_command_waits_as_the_policy_says(replay, worldbank_rd, monkeypatch):
    serve(replay, Reply(status=503, body=b"Service Unavailable"), Reply(body=wb_body([("CHN", "2022", "2.4945")])))
    asked = []
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, retries: asked.append(retries) or 0.0)

    service.refresh_indicator_now(indicator_id=worldbank_rd.pk, trigger="test", sleep=lambda seconds: None)

    assert asked == [0]


# 9. The visibility timeout fits the longest a job is held, and no more.
def test_the_default_visibility_timeout_fits_the_job_limits():
    from tests.config.test_settings import PROD, _settings

    values = _settings({**PROD, "REDIS_URL": "redis://127.0.0.1:6379/3"})
    longest_hold = max(600, 600) + values["TIME_LIMIT"]  # backoff cap, Retry-After cap, hard limit (defaults)
    assert longest_hold < values["VISIBILITY_TIMEOUT"] <= longest_hold + 120


# The load-and-fault run: a job in flight when PostgreSQL restarts is recorded failed and retried.
def test_a_job_whose_database_connection_drops_records_the_run_failed_and_retries(replay, worldbank_rd, monkeypatch):
    serve(replay, Reply(body=wb_body([("CHN", "2022", "2.4945")])))
    writes = []

    def connection_lost_once(**kwargs):
        writes.append(kwargs["run"].pk)
        if len(writes) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return write_observations(**kwargs)

    monkeypatch.setattr(service, "write_observations", connection_lost_once)
    monkeypatch.setitem(refresh_indicator_job.app.conf, "task_eager_propagates", False)  # keep it, as a worker does

    assert refresh_indicator_job.apply(args=[worldbank_rd.pk, "schedule"]).get() == IngestRun.Outcome.SUCCESS

    lost, retried = IngestRun.objects.filter(indicator=worldbank_rd).order_by("pk")
    assert (lost.outcome, lost.attempt, lost.finished_at is not None) == (IngestRun.Outcome.FAILED, 1, True)
    assert lost.error.startswith("Database unavailable (the job retries): OperationalError")
    assert (retried.outcome, retried.attempt) == (IngestRun.Outcome.SUCCESS, 2)


@pytest.mark.django_db(transaction=True)  # outside a test transaction, as on a worker, so it may reconnect
def test_closing_a_run_reconnects_when_the_first_save_finds_the_database_gone(indicator, monkeypatch):
    run = IngestRunFactory(source=indicator.source, indicator=indicator)
    saves, original_save = [], IngestRun.save

    def gone_once(self, *args, **kwargs):
        saves.append(kwargs.get("update_fields"))
        if len(saves) == 1:
            raise InterfaceError("connection already closed")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(IngestRun, "save", gone_once)
    monkeypatch.setattr(runs.time, "sleep", lambda seconds: None)

    runs.fail(run, "Retryable fault: HTTP 503")

    run.refresh_from_db()
    assert (len(saves), run.outcome, run.error) == (2, IngestRun.Outcome.FAILED, "Retryable fault: HTTP 503")


# The load-and-fault run's sibling on the embedded default: SQLite keeps 15 significant digits.
def test_rerunning_a_figure_with_more_digits_than_the_database_keeps_revises_nothing(indicator):
    gdp = Decimal("17734062645371.396")  # 17 significant digits, as the World Bank publishes current-dollar GDP
    write(indicator, [record(2021, gdp)])

    again = write(indicator, [record(2021, gdp)])

    assert (again.revised, again.unchanged) == (0, 1)
    assert abs(indicator.observations.get().value - gdp) < Decimal("0.01")
