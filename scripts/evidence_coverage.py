"""Print how much evidence the loaded database holds: the numbers issue 10's "done when" list asks for.

Run against a fresh embedded default, from the project root:

    DATABASE_URL=sqlite:////tmp/ev10.sqlite3 DEBUG=1 python manage.py migrate
    DATABASE_URL=sqlite:////tmp/ev10.sqlite3 DEBUG=1 python manage.py load_catalog
    DATABASE_URL=sqlite:////tmp/ev10.sqlite3 DEBUG=1 python manage.py load_snapshot
    DATABASE_URL=sqlite:////tmp/ev10.sqlite3 DEBUG=1 python scripts/evidence_coverage.py

It reads only. The /method/ figures come from the page's own selector (indicators.selectors.coverage_get) and
the "cannot be assessed yet" count from the home page's (dashboard.selectors.task_list_with_progress), so the
numbers are the ones a reader sees.
"""

import datetime
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

RECENT = datetime.date(2022, 1, 1)
HOME = "CHN"


def commitments_with_recent_figures() -> dict[int, list[str]]:
    """Per task, the commitments with an indicator holding a figure for 2022 or later."""
    from indicators.models import Observation

    found: dict[int, set[str]] = defaultdict(set)
    pairs = (
        Observation.objects.filter(period__gte=RECENT)
        .values_list(
            "indicator__commitment_links__commitment__task__number", "indicator__commitment_links__commitment__code"
        )
        .distinct()
    )
    for task, code in pairs:
        if code:
            found[task].add(code)
    return {task: sorted(codes) for task, codes in found.items()}


def indicators_with_peers(minimum: int = 3) -> list[str]:
    """Indicators with data for at least `minimum` comparison economies (countries other than China)."""
    from django.db.models import Count, Q

    from indicators.models import Indicator

    peers = Count(
        "observations__geography",
        filter=Q(observations__geography__kind="country") & ~Q(observations__geography__code=HOME),
        distinct=True,
    )
    return list(Indicator.objects.annotate(peers=peers).filter(peers__gte=minimum).values_list("code", flat=True))


def not_assessable_commitments() -> list[tuple[str, str]]:
    """The home page's commitments whose roll-up status is "cannot be assessed yet", with their kind."""
    from dashboard.selectors import task_list_with_progress
    from tasks.models import ProgressStatus

    rows = [row for task in task_list_with_progress(language="en") for row in task.commitments]
    return [
        (row.commitment.code, row.commitment.kind) for row in rows if row.rollup_status == ProgressStatus.NOT_ASSESSABLE
    ]


def main() -> None:
    import django

    django.setup()
    from indicators.selectors import coverage_get

    coverage = coverage_get()
    print(f"/method/: {coverage.indicators_with_data} of {coverage.indicators} indicators have data")
    print(
        f"/method/: {coverage.commitments_with_data} of {coverage.commitments} commitments have an indicator with data"
    )
    print(f"          ({coverage.measured_commitments} commitments are measured)")
    recent = commitments_with_recent_figures()
    for task in sorted(recent):
        print(f"task {task}: {len(recent[task])} commitments with figures from 2022 on: {', '.join(recent[task])}")
    peers = indicators_with_peers()
    print(f"{len(peers)} indicators with at least three comparison economies")
    blocked = not_assessable_commitments()
    measured = [code for code, kind in blocked if kind == "measured"]
    print(f"home page: {len(blocked)} commitments cannot be assessed yet, {len(measured)} of them measured:")
    print(f"          {', '.join(measured)}")
    for group in coverage.empty_by_task:
        codes = ", ".join(empty.code for empty in group.indicators)
        print(f"empty under task {group.task_number}: {codes}")


if __name__ == "__main__":
    main()
