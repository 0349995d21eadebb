"""The Celery jobs' own decisions: dropped when the indicator is gone, stopped when a job keeps killing workers,
fanned out per indicator by the job module (the service only says which)."""

import io

import pytest
from django.core.management import call_command

from indicators.ingestion.runs import ABANDONED, POISON_THRESHOLD
from indicators.models import IngestRun, Observation
from indicators.tasks import refresh_indicator, refresh_source
from tests.factories import IngestRunFactory
from tests.indicators.ingestion.conftest import WB_PATH
from tests.indicators.ingestion.replay import Reply, recorded

pytestmark = pytest.mark.django_db
BODY = "worldbank/GB.XPD.RSDV.GD.ZS__country-CHN-USA__per_page-1000__page-1.wdi-bulk.built.json"


@pytest.fixture
def served(replay):
    replay.add(WB_PATH.format(countries="CHN;USA", series="GB.XPD.RSDV.GD.ZS"), Reply(body=recorded(BODY)))
    return replay


def abandoned_runs(indicator, count: int) -> None:
    for _ in range(count):
        IngestRunFactory(
            source=indicator.source, indicator=indicator, outcome=IngestRun.Outcome.FAILED, error=ABANDONED
        )


def test_a_job_for_a_deleted_indicator_is_dropped(db):
    assert refresh_indicator.apply(args=[987654]).get() == "missing"


def test_a_fan_out_for_an_unknown_source_sends_nothing(monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(refresh_indicator, "delay", lambda *args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert refresh_source.apply(args=["no-such-source"]).get() == 0

    assert (callbacks, queued) == ([], [])


def test_a_job_that_keeps_killing_its_worker_stops(served, worldbank_rd):
    abandoned_runs(worldbank_rd, POISON_THRESHOLD)

    assert refresh_indicator.apply(args=[worldbank_rd.pk]).get() == "failed"

    run = IngestRun.objects.order_by("-pk").first()
    assert "died mid-batch" in run.error and "refresh_indicators --indicator rd-expenditure" in run.error
    assert served.requests == []
    assert not Observation.objects.exists()


def test_fewer_deaths_than_the_threshold_still_run(served, worldbank_rd):
    abandoned_runs(worldbank_rd, POISON_THRESHOLD - 1)

    assert refresh_indicator.apply(args=[worldbank_rd.pk]).get() == IngestRun.Outcome.SUCCESS


def test_a_person_can_still_run_it_in_the_foreground(served, worldbank_rd):
    abandoned_runs(worldbank_rd, POISON_THRESHOLD)

    call_command("refresh_indicators", "--indicator", "rd-expenditure", stdout=io.StringIO())

    assert Observation.objects.filter(indicator=worldbank_rd).count() == 56
