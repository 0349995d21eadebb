"""What both benchmarks share: throwaway PostgreSQL databases, the environment, the machine, medians.

Every database the benchmarks touch is created here with a `bench_` name and dropped here; the product's
databases are never opened.
"""

import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
RESULTS_DIR = ROOT / "bench" / "results"
THROWAWAY_PREFIX = "bench_"


def django_env(database: str, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off, manifest static files) pointed at a throwaway database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": f"{POSTGRES_URL}/{database}",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


@contextmanager
def throwaway_database(purpose: str):
    """Create `bench_<purpose>_<random>`, migrate it, yield its name, and drop it whatever happens."""
    name = f"{THROWAWAY_PREFIX}{purpose}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(
            [str(PYTHON), "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=django_env(name),
            check=True,
        )
        yield name
    finally:
        drop_database(name)


def drop_database(name: str) -> None:
    if not name.startswith(THROWAWAY_PREFIX):
        raise ValueError(f"refusing to drop {name!r}: the benchmarks only drop their own bench_ databases")
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_json(args: list[str], env: dict[str, str]) -> dict:
    """Run a worker script in its own process (so its peak memory is its own) and read its JSON line."""
    completed = subprocess.run([str(PYTHON), *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> dict[str, str]:
    """The machine the figures come from, as BENCHMARKS.md notes it."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    with psycopg.connect(f"{POSTGRES_URL}/postgres") as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    free = subprocess.run(["free", "-g"], capture_output=True, text=True, check=True).stdout.strip()
    return {
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip(),
        "cpu": cpu,
        "memory_total_gib": free.splitlines()[1].split()[1],
        "free_g": free,
        "postgresql": pg_version,
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
