"""A real Celery worker process on Redis writes to PostgreSQL; a worker killed mid-batch leaves no partial batch.

Runs only against real PostgreSQL and Redis (`.ci/run`'s second pass). The worker is `celery -A config worker`
started as a subprocess on the test database, so the test data is committed (transactional tests).
"""

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from indicators.ingestion.runs import ABANDONED
from indicators.models import IngestRun, Observation
from indicators.tasks import refresh_indicator
from tests.indicators.ingestion.conftest import WB_PATH
from tests.indicators.ingestion.replay import ReplayServer, Reply, recorded

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]
SERIES = "GB.XPD.RSDV.GD.ZS"
ROUTE = WB_PATH.format(countries="CHN;USA", series=SERIES)
VISIBILITY_TIMEOUT = 10  # seconds before Redis re-delivers a job whose worker died without acknowledging it


def built(per_page: int, page: int) -> bytes:
    return recorded(f"worldbank/{SERIES}__country-CHN-USA__per_page-{per_page}__page-{page}.wdi-bulk.built.json")


class Worker:
    """`celery -A config worker` in its own process group, on the test database and this test's replay server."""

    def __init__(self, replay: ReplayServer, log: Path, **env: str):
        database = connection.settings_dict  # pytest-django's test database (test_<name>), not the configured one
        credentials = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "REDIS_URL": settings.REDIS_URL,
            "WORLDBANK_API_URL": f"{replay.url}/v2",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CELERY_TASK_SOFT_TIME_LIMIT": "50",
            "CELERY_TASK_TIME_LIMIT": "60",
            "HTTP_TIMEOUT_SECONDS": "60",
            "HTTP_RETRY_BACKOFF_SECONDS": "1",
            **env,
        }
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"ingest-{time.time_ns()}@%h"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def broker():
    """This test's Redis database, emptied so no job from another run is waiting."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def workers(replay, tmp_path, broker):
    started: list[Worker] = []

    def start(**env) -> Worker:
        worker = Worker(replay, tmp_path / "worker.log", **env).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{tail}")


def open_transactions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state LIKE 'idle in transaction%%'",
            [connection.settings_dict["NAME"]],
        )
        return cursor.fetchone()[0]


def test_a_worker_process_runs_a_refresh_job_into_postgresql(replay, workers, worldbank_rd, tmp_path):
    replay.add(ROUTE, Reply(body=built(1000, 1)))
    workers()

    refresh_indicator.delay(worldbank_rd.pk, "schedule")

    run = wait_for(
        lambda: IngestRun.objects.filter(outcome=IngestRun.Outcome.SUCCESS).first(),
        60,
        "the job",
        tmp_path / "worker.log",
    )
    assert (run.trigger, run.rows_created) == ("schedule", 56)
    china_2021 = Observation.objects.get(
        indicator=worldbank_rd, geography__code="CHN", period=datetime.date(2021, 1, 1)
    )
    assert china_2021.value == Decimal("2.381650")


def test_a_worker_killed_mid_batch_leaves_no_partial_batch_and_a_new_worker_finishes(
    replay, workers, worldbank_rd, tmp_path
):
    released = threading.Event()
    for page in (1, 3):
        replay.add(ROUTE, Reply(body=built(50, page)), page=str(page))
    # Page 2 is held the first time, so the kill lands after page 1's rows were written inside the batch.
    replay.add(ROUTE, Reply(body=built(50, 2), hold=released), Reply(body=built(50, 2)), page="2")
    chunked = {"WORLDBANK_PER_PAGE": "50", "INGEST_CHUNK_SIZE": "10"}
    first = workers(**chunked)

    refresh_indicator.delay(worldbank_rd.pk, "schedule")
    delivered_at = time.monotonic()
    assert replay.wait_for_requests(2, timeout=60), (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    wait_for(open_transactions, 10, "the batch's open transaction")
    first.kill()
    killed_at = time.monotonic()
    released.set()

    assert not Observation.objects.exists()  # the batch died with its transaction: nothing half-written
    assert IngestRun.objects.get().outcome == IngestRun.Outcome.RUNNING  # the dead worker never closed it

    # A new worker looks for jobs whose worker died when it starts (and then every ~100 s): start it once the
    # job's visibility timeout has passed, as a restarted or standby worker would find it.
    time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
    workers(**chunked)
    run = wait_for(
        lambda: IngestRun.objects.filter(outcome=IngestRun.Outcome.SUCCESS).first(),
        120,
        "the re-delivered job on a new worker",
        tmp_path / "worker.log",
    )

    assert time.monotonic() - killed_at < 120
    assert run.rows_created == Observation.objects.count() == 56
    abandoned = IngestRun.objects.get(outcome=IngestRun.Outcome.FAILED)
    assert abandoned.error == ABANDONED
    assert [query["page"] for _, query in replay.requests] == ["1", "2", "1", "2", "3"]
