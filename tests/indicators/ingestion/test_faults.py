"""Every fault a publisher can throw, for each connector: retried or refused, recorded, old data intact."""

from dataclasses import dataclass

import pytest

from indicators.ingestion import service
from indicators.ingestion.errors import PermanentFetchError, RetryableFetchError
from indicators.models import IngestRun, Observation
from indicators.tasks import refresh_indicator as refresh_indicator_job
from tests.indicators.ingestion.conftest import NBS_PATH, OWID_PATH, WB_PATH
from tests.indicators.ingestion.replay import Reply, recorded

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    indicator: str  # the fixture's name
    path: str
    query: dict
    recorded: str
    malformed_error: str


CASES = {
    "worldbank": Case(
        "worldbank_rd",
        WB_PATH.format(countries="CHN;USA", series="GB.XPD.RSDV.GD.ZS"),
        {},
        "worldbank/GB.XPD.RSDV.GD.ZS__country-CHN-USA__per_page-1000__page-1.wdi-bulk.built.json",
        "malformed JSON",
    ),
    "nbs": Case(
        "nbs_real_estate", NBS_PATH, {"dbcode": "hgyd"}, "nbs/QueryData__dbcode-hgyd__zb-A0601.json", "malformed JSON"
    ),
    "owid": Case(
        "owid_co2",
        OWID_PATH.format(dataset="co2-data"),
        {},
        "owid/co2-data__master__owid-co2-data.csv.china-rows.csv",
        "has no column",
    ),
}
MAINTENANCE_PAGE = b"<html><body>Service temporarily unavailable</body></html>\n"


@pytest.fixture(params=sorted(CASES))
def loaded(request, replay):
    """An indicator already filled by one good pull, and the case that describes its connector."""
    case = CASES[request.param]
    indicator = request.getfixturevalue(case.indicator)
    replay.add(case.path, Reply(body=recorded(case.recorded)), **case.query)
    service.refresh_indicator(indicator_id=indicator.pk, trigger="first load")
    before = snapshot(indicator)
    assert before
    return case, indicator, before


def snapshot(indicator) -> dict:
    return {
        (o.geography_id, o.period): (o.value, o.version, o.updated_at)
        for o in Observation.objects.filter(indicator=indicator)
    }


@pytest.fixture(autouse=True)
def _jobs_fail_like_on_a_worker():
    """In-process jobs keep their exceptions in the result, as on a worker, so retries re-run them at once."""
    conf = refresh_indicator_job.app.conf
    propagates = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = propagates


def run_job(*args):
    return refresh_indicator_job.apply(args=args)


def latest_run() -> IngestRun:
    return IngestRun.objects.order_by("-pk").first()


def fault(replay, case, *replies):
    replay.add(case.path, *replies, **case.query)


def test_a_5xx_then_success_is_retried_by_the_job(loaded, replay):
    case, indicator, before = loaded
    fault(replay, case, Reply(status=503, body=b"Service Unavailable"), Reply(body=recorded(case.recorded)))

    outcome = run_job(indicator.pk, "schedule").get()

    assert outcome == IngestRun.Outcome.SUCCESS
    failed, succeeded = IngestRun.objects.filter(trigger="schedule").order_by("pk")
    assert (failed.outcome, failed.attempt) == (IngestRun.Outcome.FAILED, 1)
    assert "503" in failed.error and failed.error.startswith("Retryable fault")
    assert (succeeded.outcome, succeeded.attempt, succeeded.rows_unchanged) == (
        IngestRun.Outcome.SUCCESS,
        2,
        len(before),
    )
    assert snapshot(indicator) == before


def test_retries_are_bounded(loaded, replay, settings):
    case, indicator, before = loaded
    settings.HTTP_MAX_RETRIES = 2
    configured, refresh_indicator_job.max_retries = refresh_indicator_job.max_retries, 2
    fault(replay, case, Reply(status=502, body=b"Bad Gateway"))
    try:
        with pytest.raises(RetryableFetchError, match="502"):
            run_job(indicator.pk, "schedule").get()
    finally:
        refresh_indicator_job.max_retries = configured
    assert list(IngestRun.objects.filter(trigger="schedule").values_list("attempt", flat=True).order_by("pk")) == [
        1,
        2,
        3,
    ]
    assert snapshot(indicator) == before


def test_a_timeout_is_retryable_and_keeps_the_data(loaded, replay, settings):
    case, indicator, before = loaded
    settings.HTTP_TIMEOUT_SECONDS = 0.2
    fault(replay, case, Reply(body=recorded(case.recorded), delay=0.6))

    with pytest.raises(RetryableFetchError, match=r"timed out after 0\.2 s"):
        service.refresh_indicator(indicator_id=indicator.pk, trigger="test")

    assert latest_run().outcome == IngestRun.Outcome.FAILED
    assert "timed out" in latest_run().error
    assert snapshot(indicator) == before


def test_a_429_waits_as_long_as_retry_after_says(loaded, replay):
    case, indicator, before = loaded
    fault(replay, case, Reply(status=429, headers={"Retry-After": "7"}), Reply(body=recorded(case.recorded)))
    waits = []

    run = service.refresh_indicator_now(indicator_id=indicator.pk, trigger="test", sleep=waits.append)

    assert waits == [7.0]
    assert (run.outcome, run.attempt) == (IngestRun.Outcome.SUCCESS, 2)
    assert "429" in IngestRun.objects.get(trigger="test", attempt=1).error
    assert snapshot(indicator) == before


def test_the_job_passes_retry_after_to_its_countdown(loaded, replay, monkeypatch):
    case, indicator, _ = loaded
    fault(replay, case, Reply(status=429, headers={"Retry-After": "11"}), Reply(body=recorded(case.recorded)))
    asked = []
    real_delay = service.retry_delay
    monkeypatch.setattr(service, "retry_delay", lambda **kw: asked.append(kw) or real_delay(**kw))

    assert run_job(indicator.pk).get() == IngestRun.Outcome.SUCCESS
    assert asked == [{"retries": 0, "retry_after": 11.0}]


@pytest.mark.parametrize(
    ("name", "reply", "error"),
    [
        ("empty body", lambda case: Reply(body=b""), "empty body"),
        ("malformed body", lambda case: Reply(body=MAINTENANCE_PAGE), None),
        ("body cut off mid-way", lambda case: Reply(body=recorded(case.recorded)[:4000]), None),
        ("not found", lambda case: Reply(status=404, body=b"Not Found"), "404"),
    ],
)
def test_permanent_faults_are_recorded_and_not_retried(loaded, replay, name, reply, error):
    case, indicator, before = loaded
    fault(replay, case, reply(case))
    requests_before = len(replay.requests)

    assert run_job(indicator.pk).get() == "failed"

    expected = error or ("cut off" if name == "body cut off mid-way" and case.indicator == "owid_co2" else None)
    run = latest_run()
    assert run.outcome == IngestRun.Outcome.FAILED
    assert run.error.startswith("Permanent fault")
    assert (expected or case.malformed_error) in run.error
    assert len(replay.requests) == requests_before + 1  # not retried
    assert snapshot(indicator) == before


def test_a_dropped_connection_is_retryable(loaded, replay):
    case, indicator, before = loaded
    fault(replay, case, Reply(body=recorded(case.recorded), close_after=2000))

    with pytest.raises(RetryableFetchError, match="could not be read"):
        service.refresh_indicator(indicator_id=indicator.pk, trigger="test")

    assert snapshot(indicator) == before


def test_an_unchanged_rerun_writes_nothing(loaded, replay):
    _case, indicator, before = loaded

    run = service.refresh_indicator(indicator_id=indicator.pk, trigger="test")

    assert (run.rows_created, run.rows_revised, run.rows_unchanged) == (0, 0, len(before))
    assert snapshot(indicator) == before


def test_permanent_errors_are_not_retryable():
    assert not issubclass(PermanentFetchError, RetryableFetchError)
