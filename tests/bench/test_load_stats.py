"""bench/load_stats.py: the load-and-fault run's counting, on worked examples (no servers)."""

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "bench" / "load_stats.py"
_spec = importlib.util.spec_from_file_location("load_stats", _PATH)
load_stats = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load_stats)
Sample = load_stats.Sample


def sample(started: float, ended: float, status: int | None = 200, error: str | None = None, phase: str = "1"):
    return Sample(phase, "/", started, ended, status, error)


def test_latency_is_the_request_time_in_milliseconds():
    assert sample(1.0, 1.25).latency_ms == pytest.approx(250.0)


@pytest.mark.parametrize("fraction, expected", [(0.5, 20), (0.95, 40), (1.0, 40), (0.0, 10), (0.25, 10), (0.26, 20)])
def test_percentile_is_the_nearest_rank(fraction, expected):
    assert load_stats.percentile([40, 10, 30, 20], fraction) == expected


def test_percentile_of_nothing_is_none():
    assert load_stats.percentile([], 0.95) is None


@pytest.mark.parametrize(
    "started, ended, inside",
    [(0.0, 0.9, False), (0.0, 1.0, True), (1.5, 1.6, True), (1.9, 3.0, True), (2.1, 3.0, False)],
    ids=["ends-before", "ends-at-start", "within", "starts-inside", "starts-after"],
)
def test_a_request_overlaps_an_outage_when_in_flight_at_any_moment_of_it(started, ended, inside):
    assert load_stats.overlaps(sample(started, ended), [(1.0, 2.0)]) is inside


def test_summarize_counts_5xx_and_errors_outside_the_outage_only():
    samples = [
        sample(0.0, 0.1, 200),
        sample(0.2, 0.5, 200),
        sample(1.2, 1.3, 500),  # during the outage: expected
        sample(3.0, 3.1, 502),  # after it: counts against the aim
        sample(3.2, 3.3, None, "ConnectionResetError"),
        sample(3.4, 3.5, 404),
    ]

    summary = load_stats.summarize(samples, [(1.0, 2.0)])

    assert summary["requests"] == 6
    assert (summary["2xx"], summary["5xx"], summary["other"]) == (2, 2, 2)
    assert (summary["5xx_outside_outage"], summary["other_outside_outage"]) == (1, 2)
    assert summary["p50_ms"] == pytest.approx(100.0) and summary["p95_ms"] == pytest.approx(300.0)
    assert summary["errors_seen"] == ["ConnectionResetError", "HTTP 404", "HTTP 500", "HTTP 502"]


def test_by_phase_keeps_the_order_phases_appear_in_and_adds_the_whole_run():
    samples = [
        sample(0, 0.1, phase="1 baseline"),
        sample(1, 1.1, 500, phase="3 down"),
        sample(2, 2.1, phase="1 baseline"),
    ]

    report = load_stats.by_phase(samples, [])

    assert list(report) == ["1 baseline", "3 down", "whole run"]
    assert (report["1 baseline"]["requests"], report["3 down"]["5xx"], report["whole run"]["requests"]) == (2, 1, 3)


def test_job_events_count_the_refresh_jobs_lines_of_the_worker_log():
    log = "\n".join(
        [
            "[07:39:50: INFO/ForkPoolWorker-1] Task indicators.refresh_indicator[a1] succeeded in 3.2s: 'success'",
            "[07:39:51: INFO/ForkPoolWorker-2] Task indicators.refresh_indicator[b2] retry: Retry in 1s: "
            "OperationalError('the database system is shutting down')",
            "[07:39:52: ERROR] Task indicators.refresh_indicator[c3] raised unexpected: ProgrammingError()",
            "[07:39:53: INFO/ForkPoolWorker-2] Task indicators.refresh_source[d4] succeeded in 0.1s: 3",
        ]
    )

    assert load_stats.job_events(log) == {"succeeded": 1, "retry scheduled": 1, "raised (not retried)": 1}
