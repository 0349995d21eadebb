"""The load-and-fault run's arithmetic: per-phase counts, latency percentiles, 5xx outside the outage window.

Kept apart from bench/load_fault.py (which starts servers) so the counting can be tested without them.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    """One request: when it started and ended (monotonic seconds), its status, or the error that replaced one."""

    phase: str
    path: str
    started: float
    ended: float
    status: int | None = None
    error: str | None = None

    @property
    def latency_ms(self) -> float:
        return (self.ended - self.started) * 1000


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (the value at or below which `fraction` of the values fall); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(round(fraction * len(ordered), 9)))
    return ordered[min(rank, len(ordered)) - 1]


def overlaps(sample: Sample, windows: list[tuple[float, float]]) -> bool:
    """Whether the request was in flight at any moment of a window (start and end inclusive)."""
    return any(sample.started <= window_end and sample.ended >= window_start for window_start, window_end in windows)


def summarize(samples: list[Sample], outages: list[tuple[float, float]]) -> dict:
    """Requests, 2xx, 5xx, other errors, p50/p95 of the 2xx, and the 5xx and errors outside every outage window."""
    ok = [s for s in samples if s.status is not None and 200 <= s.status < 300]
    server_errors = [s for s in samples if s.status is not None and s.status >= 500]
    other = [s for s in samples if s.status is None or (300 <= s.status < 500) or s.status < 200]
    latencies = [s.latency_ms for s in ok]
    return {
        "requests": len(samples),
        "2xx": len(ok),
        "5xx": len(server_errors),
        "other": len(other),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "5xx_outside_outage": sum(not overlaps(s, outages) for s in server_errors),
        "other_outside_outage": sum(not overlaps(s, outages) for s in other),
        "errors_seen": sorted({s.error or f"HTTP {s.status}" for s in server_errors + other}),
    }


def by_phase(samples: list[Sample], outages: list[tuple[float, float]]) -> dict[str, dict]:
    """`summarize` per phase, in the order the phases first appear, and for the whole run."""
    phases: dict[str, list[Sample]] = {}
    for sample in samples:
        phases.setdefault(sample.phase, []).append(sample)
    report = {name: summarize(group, outages) for name, group in phases.items()}
    report["whole run"] = summarize(samples, outages)
    return report


JOB_EVENTS = {
    "succeeded": "] succeeded in ",
    "retry scheduled": "] retry: Retry in ",
    "raised (not retried)": "] raised unexpected: ",
}


def job_events(worker_log: str) -> dict[str, int]:
    """How many times the worker's log says a refresh job succeeded, was scheduled to retry, or raised for good."""
    lines = [line for line in worker_log.splitlines() if "indicators.refresh_indicator[" in line]
    return {event: sum(marker in line for line in lines) for event, marker in JOB_EVENTS.items()}
