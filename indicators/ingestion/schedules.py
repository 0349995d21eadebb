"""Default periodic schedules, one per source with a connector: created where missing, never reset.

Admins change them in the admin (django-celery-beat); this never touches a schedule that exists.
"""

import json

from django_celery_beat.models import CrontabSchedule, PeriodicTask

# Minute, hour, day of week (UTC). NBS publishes monthly and quarterly series: look daily.
# World Bank and OWID update a few times a year: weekly is plenty.
DEFAULT_CRONTABS = {
    "worldbank": {"minute": "30", "hour": "3", "day_of_week": "1"},
    "nbs": {"minute": "0", "hour": "2", "day_of_week": "*"},
    "owid": {"minute": "30", "hour": "4", "day_of_week": "3"},
}


def schedule_name(source_key: str) -> str:
    return f"refresh source {source_key}"


def ensure_schedules(*, using: str = "default") -> list[str]:
    """Create each connector source's schedule if none of that name exists; returns the names created."""
    created = []
    for source_key, crontab in DEFAULT_CRONTABS.items():
        if PeriodicTask.objects.using(using).filter(name=schedule_name(source_key)).exists():
            continue
        schedule, _ = CrontabSchedule.objects.using(using).get_or_create(
            **crontab, day_of_month="*", month_of_year="*", timezone="UTC"
        )
        PeriodicTask.objects.using(using).create(
            name=schedule_name(source_key),
            task="indicators.refresh_source",
            crontab=schedule,
            kwargs=json.dumps({"source_key": source_key, "trigger": "schedule"}),
            description=f"Pull every indicator of source {source_key!r} through its connector.",
        )
        created.append(schedule_name(source_key))
    return created
