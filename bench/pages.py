"""Page benchmark: p50 and p95 latency of the dashboard's pages through gunicorn, beside a static file.

A throwaway database gets the scaled synthetic dataset (bench/pages_data.py). gunicorn serves the project with
production settings (DEBUG off, Redis cache, WhiteNoise, manifest static files) exactly as docker-compose.yml
starts it (3 sync workers). For each page, a static file of the page's exact size is served by the same server in
the same run. Load comes from Debian's `wrk` at 1 and 16 concurrent connections.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from common import PYTHON, ROOT, django_env, log, median, run_json, throwaway_database

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"
STATIC_DIR = ROOT / "staticfiles" / "bench-same-size"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKERS = 3  # as docker-compose.yml runs gunicorn
CONCURRENCY = (1, 16)
DURATION_S = int(os.environ.get("BENCH_WRK_SECONDS", "10"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group, stopped by its own pid."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=2).read()
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _fetch(url: str) -> tuple[int, int]:
    """Status and body size of one GET (no compression asked for, as with wrk)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, len(exc.read())


def _wrk(url: str, connections: int, headers: tuple[str, ...] = ()) -> dict:
    threads = min(connections, 2)
    completed = subprocess.run(
        [
            "wrk",
            *(argument for header in headers for argument in ("-H", header)),
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{DURATION_S}s",
            "--timeout",
            "10s",
            "-s",
            str(WRK_SCRIPT),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _flush_bench_redis() -> None:
    """Empty the benchmark's own Redis database (BENCH_REDIS_URL), never another."""
    from urllib.parse import urlparse

    parsed = urlparse(REDIS_URL)
    database = parsed.path.lstrip("/") or "0"
    subprocess.run(
        ["redis-cli", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 6379), "-n", database, "FLUSHDB"],
        check=True,
        capture_output=True,
    )


def run(repetitions: int) -> dict:
    ensure_wrk()
    with throwaway_database("pages") as database:
        env = django_env(database, REDIS_URL=REDIS_URL)
        log("pages: building the synthetic dataset")
        dataset = run_json(["bench/pages_data.py"], env)
        signed_in = (f"Cookie: {run_json(['bench/pages_session.py'], env)['cookie']}",)
        pages = {
            "/": "/",
            "task page": dataset["task_url"],
            "sector page": dataset["sector_url"],
            "indicator page": dataset["indicator_url"],
            "sector matrix": "/sectors/",
            "indicator list": "/indicators/",
            "sources": "/sources/",
            "method": "/method/",
        }
        subprocess.run(
            [str(PYTHON), "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        _flush_bench_redis()
        # First start: learn each page's status and size, to write static files of the same sizes.
        with Server(env) as server:
            probes = {name: _fetch(server.url(path)) for name, path in pages.items()}
        STATIC_DIR.mkdir(parents=True, exist_ok=True)
        statics = {}
        for name, (status, size) in probes.items():
            if status == 200:
                file = STATIC_DIR / f"{name.replace(' ', '-').strip('/') or 'home'}.html"
                file.write_bytes(b"<!doctype html>" + b"x" * max(size - 15, 0))
                statics[name] = "/static/" + str(file.relative_to(ROOT / "staticfiles"))
        try:
            with Server(env) as server:
                results = _measure(server, pages, probes, statics, repetitions, signed_in)
        finally:
            shutil.rmtree(STATIC_DIR, ignore_errors=True)
            _flush_bench_redis()
    return {"dataset": dataset, "workers": WORKERS, "duration_s": DURATION_S, "repetitions": repetitions, **results}


def _measure(server: Server, pages: dict, probes: dict, statics: dict, repetitions: int, signed_in: tuple) -> dict:
    """Each page anonymous (the whole-page cache) and signed in (the view runs: page data, then rendering), beside
    the static file of its size."""
    measured: dict[str, dict] = {}
    for name, path in pages.items():
        status, size = probes[name]
        entry = {"path": path, "status": status, "bytes": size}
        measured[name] = entry
        if status != 200:
            entry["not_measurable"] = f"answered HTTP {status}: the page does not exist yet"
            log(f"pages: {path} answered {status}; recorded as not yet measurable")
            continue
        status = _fetch(server.url(path))[0]  # warm the cache, as a page that anyone has visited is
        if status != 200:
            entry["not_measurable"] = f"answered HTTP {status} during the run"
            log(f"pages: {path} answered {status}; recorded as not measurable")
            continue
        try:
            targets = (("page", ()), ("signed_in", signed_in), ("static", ()))
            for target, headers in targets:
                url = server.url(statics[name] if target == "static" else path)
                if target == "signed_in":
                    _fetch_signed_in(url, headers)  # warm the page's data, as the anonymous warm-up does
                for connections in CONCURRENCY:
                    entry[f"{target}_c{connections}"] = _percentiles(
                        name, target, url, connections, repetitions, headers
                    )
        except _LoadError as exc:
            entry["not_measurable"] = str(exc)
            log(f"pages: {exc}; recorded as not measurable")
    return {"pages": measured}


class _LoadError(Exception):
    """A page that failed under load: recorded as not measurable rather than given a number."""


def _fetch_signed_in(url: str, headers: tuple[str, ...]) -> None:
    request = urllib.request.Request(url, headers=dict(header.split(": ", 1) for header in headers))
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def _percentiles(name: str, target: str, url: str, connections: int, repetitions: int, headers=()) -> dict:
    samples = []
    for repetition in range(repetitions):
        sample = _wrk(url, connections, headers)
        if sample["errors"] or sample["non_2xx_3xx"]:
            raise _LoadError(
                f"{url} failed under load: {sample['errors']} socket errors, {sample['non_2xx_3xx']} error statuses"
            )
        samples.append(sample)
        log(
            f"pages: {name} {target} c={connections} run {repetition + 1}: "
            f"p50 {sample['p50_us'] / 1000:.1f} ms, p95 {sample['p95_us'] / 1000:.1f} ms"
        )
    return {
        "p50_ms": median([s["p50_us"] / 1000 for s in samples]),
        "p95_ms": median([s["p95_us"] / 1000 for s in samples]),
        "requests_per_s": median([s["requests"] / (s["duration_us"] / 1e6) for s in samples]),
        "samples_p95_ms": [round(s["p95_us"] / 1000, 2) for s in samples],
    }


def markdown(result: dict) -> str:
    return _table(result, "page") + "\n\nSigned in (the view runs on every request):\n\n" + _table(result, "signed_in")


def _table(result: dict, target: str) -> str:
    rows = [
        "| page | bytes | clients | page p50 | page p95 | page req/s | static p50 | static p95 | p95 page/static |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, entry in result["pages"].items():
        label = f"{name} (`{entry['path']}`)"
        if "not_measurable" in entry:
            rows.append(f"| {label} | | | not measurable: {entry['not_measurable']} | | | | | |")
            continue
        for connections in CONCURRENCY:
            page, static = entry[f"{target}_c{connections}"], entry[f"static_c{connections}"]
            rows.append(
                f"| {label} | {entry['bytes']:,} | {connections} | {page['p50_ms']:.1f} ms | {page['p95_ms']:.1f} ms "
                f"| {page['requests_per_s']:,.0f} | {static['p50_ms']:.2f} ms | {static['p95_ms']:.2f} ms "
                f"| {page['p95_ms'] / static['p95_ms']:.1f}x |"
            )
    return "\n".join(rows)


def ensure_wrk() -> None:
    """Debian's wrk, installed with apt-get when missing (as root, or through sudo)."""
    if shutil.which("wrk"):
        return
    log("pages: installing Debian's wrk")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=apt_env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=apt_env)
