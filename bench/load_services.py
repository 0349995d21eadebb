"""The load-and-fault run's private services: a PostgreSQL cluster, a redis-server, gunicorn, a Celery worker and a
stand-in for the World Bank API, each on a free loopback port and stopped by its own pid or data folder.
"""

import contextlib
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from common import PYTHON, ROOT, django_env, log
from pages import Server

RECORDED_WORLDBANK = ROOT / "tests" / "recorded" / "worldbank"
JOB_TRIGGER = "bench-faults"
POSTGRES_USER = "postgres"  # initdb refuses to run as root; the cluster then belongs to this system user


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {seconds:.0f} s")


class PostgresCluster:
    """A throwaway cluster (initdb into a temporary folder), trust auth on 127.0.0.1 only, removed on exit."""

    def __init__(self):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.folder = tempfile.mkdtemp(prefix="bench-faults-pg-")
        self.data = os.path.join(self.folder, "data")
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/tracker"

    def _run(self, *args: str) -> None:
        command = [os.path.join(self.bin, args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", POSTGRES_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def __enter__(self) -> "PostgresCluster":
        if os.geteuid() == 0:
            user = pwd.getpwnam(POSTGRES_USER)
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()
        subprocess.run(
            [os.path.join(self.bin, "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "tracker"],
            check=True,
        )
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.folder, "log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class RedisServer:
    """redis-server on a free loopback port, no persistence; `stop` and `start` keep the same port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
        _wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def __enter__(self) -> "RedisServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class StandIn:
    """Answers `/v2/country/<codes>/indicator/<series>` with the recorded reply for the series, after `delay` s."""

    def __init__(self, series: tuple[str, ...], delay: float):
        replies = {
            code: RECORDED_WORLDBANK / f"{code}__country-CHN-USA__per_page-1000__page-1.wdi-bulk.built.json"
            for code in series
        }
        self.requests = 0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                stand_in.requests += 1
                reply = replies.get(self.path.split("?")[0].rstrip("/").rsplit("/", 1)[-1])
                time.sleep(delay)
                body = reply.read_bytes() if reply else b"[]"
                self.send_response(200 if reply else 404)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v2"

    def __enter__(self) -> "StandIn":
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class WebServer(Server):
    """bench/pages.py's gunicorn (3 sync workers, production settings), logging to a file, not the terminal."""

    def __init__(self, env: dict[str, str], log_path):
        super().__init__(env)
        self.log_path = log_path

    def __enter__(self) -> "WebServer":
        saved = os.dup(2)
        with open(self.log_path, "w") as log_file:
            os.dup2(log_file.fileno(), 2)  # gunicorn inherits this stderr; ours is put back at once
            try:
                super().__enter__()
            finally:
                os.dup2(saved, 2)
                os.close(saved)
        return self


class CeleryWorker:
    """A real worker (2 processes, as docker-compose.yml runs it) in its own process group, logging to a file."""

    def __init__(self, env: dict[str, str], log_path):
        self.env = env | {"LOG_LEVEL": "INFO"}
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "CeleryWorker":
        celery = str(ROOT / ".venv" / "bin" / "celery")
        command = [celery, "-A", "config", "worker", "--concurrency", "2", "--loglevel", "INFO", "-n", "faults@%h"]
        with open(self.log_path, "w") as log_file:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _manage(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return completed.stdout


def prepare_database(cluster: PostgresCluster, redis: RedisServer, stand_in: StandIn) -> dict[str, str]:
    """Production-like environment on the private services; migrate, load the catalog and the bundled snapshot."""
    env = django_env(
        "tracker",
        DATABASE_URL=cluster.url,
        REDIS_URL=redis.url,
        ALLOWED_HOSTS="127.0.0.1",
        WORLDBANK_API_URL=stand_in.url,
        HTTP_RETRY_BACKOFF_SECONDS="1",
        HTTP_RETRY_BACKOFF_MAX_SECONDS="5",
    )
    log("faults: migrating, loading the catalog and the snapshot into the private cluster")
    for command in (["migrate", "--no-input", "-v", "0"], ["load_catalog"], ["load_snapshot"]):
        _manage(env, *command)
    _manage(env, "collectstatic", "--no-input", "-v", "0")
    return env


_PAGES_QUERY = """
import json
from indicators.models import Indicator
from tasks.models import Sector
sector = Sector.objects.order_by("slug").values_list("slug", flat=True).first()
codes = list(Indicator.objects.order_by("code").values_list("code", flat=True)[:{count}])
print(json.dumps({{"sector": sector, "indicators": codes}}))
"""


def public_pages(env: dict[str, str], indicator_pages: int = 5) -> list[str]:
    """Every public page: /, the 7 tasks, the sectors and one, the indicators and several, sources, method."""
    found = json.loads(_manage(env, "shell", "-c", _PAGES_QUERY.format(count=indicator_pages)).strip().splitlines()[-1])
    return [
        "/",
        *(f"/tasks/{number}/" for number in range(1, 8)),
        "/sectors/",
        f"/sectors/{found['sector']}/",
        "/indicators/",
        *(f"/indicators/{code}/" for code in found["indicators"]),
        "/sources/",
        "/method/",
    ]


_ENQUEUE = """
from indicators.models import Indicator
from indicators.tasks import refresh_indicator
for indicator_id in Indicator.objects.filter(source_series_code__in={series!r}).values_list("pk", flat=True):
    for _ in range({copies}):
        refresh_indicator.delay(indicator_id, trigger={trigger!r})
"""


def enqueue_refreshes(env: dict[str, str], series: tuple[str, ...], copies: int) -> None:
    """Send refresh jobs through Redis to the worker, for the indicators the stand-in can answer."""
    _manage(env, "shell", "-c", _ENQUEUE.format(series=list(series), copies=copies, trigger=JOB_TRIGGER))


_OUTCOMES = """
import json
from django.db.models import Count
from indicators.models import IngestRun
runs = IngestRun.objects.filter(trigger={trigger!r})
print(json.dumps({{
    "outcomes": dict(runs.values_list("outcome").annotate(n=Count("pk")).order_by()),
    "attempts": sorted(runs.values_list("attempt", flat=True)),
    "errors": sorted(set(runs.exclude(error="").values_list("error", flat=True)))[:5],
}}))
"""


def job_outcomes(env: dict[str, str]) -> dict:
    """The outcome of each run the jobs opened, as recorded in PostgreSQL."""
    return json.loads(_manage(env, "shell", "-c", _OUTCOMES.format(trigger=JOB_TRIGGER)).strip().splitlines()[-1])
