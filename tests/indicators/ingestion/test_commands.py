"""refresh_indicators, load_snapshot and ensure_schedules, run as an operator runs them (call_command)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from indicators.ingestion.schedules import DEFAULT_CRONTABS, ensure_schedules, schedule_name
from indicators.ingestion.snapshot import COLUMNS
from indicators.models import Indicator, IngestRun, Observation, ObservationRevision
from indicators.tasks import refresh_indicator as refresh_indicator_job
from indicators.tasks import refresh_source
from tests.factories import IndicatorFactory, ObservationFactory
from tests.indicators.ingestion.conftest import WB_PATH, make_source, value_of
from tests.indicators.ingestion.replay import Reply, recorded

pytestmark = pytest.mark.django_db


def built(series, countries, origin="wdi-bulk") -> bytes:
    return recorded(f"worldbank/{series}__country-{'-'.join(countries)}__per_page-1000__page-1.{origin}.built.json")


def run_command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def worldbank_catalogue(china, usa):
    """Three World Bank indicators as the catalogue names them, China's R&D share pulled for China alone."""
    source = make_source("worldbank")
    specs = [
        ("rd-expenditure", "GB.XPD.RSDV.GD.ZS", "% of GDP", [china]),
        ("researchers", "SP.POP.SCIE.RD.P6", "per million people", [china, usa]),
        ("resident-patents", "IP.PAT.RESD", "applications", [china, usa]),
    ]
    indicators = {}
    for code, series, unit, geographies in specs:
        indicator = IndicatorFactory(
            code=code, unit=unit, source=source, source_series_code=series, frequency=Indicator.Frequency.ANNUAL
        )
        indicator.geographies.set(geographies)
        indicators[code] = indicator
    return indicators


def test_refresh_worldbank_fills_reruns_unchanged_and_keeps_revisions(replay, worldbank_catalogue):
    """The issue's done-when: right figures, a second run changes nothing, a revision keeps both values."""
    rd = WB_PATH.format(countries="CHN", series="GB.XPD.RSDV.GD.ZS")
    older, newer = built("GB.XPD.RSDV.GD.ZS", ["CHN"], "wdi-v2025-extract"), built("GB.XPD.RSDV.GD.ZS", ["CHN"])
    replay.add(rd, Reply(body=older), Reply(body=older), Reply(body=newer))
    for series in ("SP.POP.SCIE.RD.P6", "IP.PAT.RESD"):
        replay.add(WB_PATH.format(countries="CHN;USA", series=series), Reply(body=built(series, ["CHN", "USA"])))

    first = run_command("refresh_indicators", "--source", "worldbank")

    assert "rd-expenditure: 20 created, 0 revised, 0 unchanged" in first
    assert "3 indicators refreshed." in first
    indicators = worldbank_catalogue
    assert value_of(indicators["rd-expenditure"], "CHN", 2021) == Decimal("2.4326")
    assert value_of(indicators["researchers"], "CHN", 2023) == Decimal("2107.27003")
    assert value_of(indicators["researchers"], "USA", 2022) == Decimal("4937.49441")
    assert value_of(indicators["resident-patents"], "CHN", 2021) == Decimal("1426644")
    assert value_of(indicators["resident-patents"], "CHN", 2015) == Decimal("968252")

    second = run_command("refresh_indicators", "--source", "worldbank")

    for code in indicators:
        assert f"{code}: 0 created, 0 revised, " in second
    assert not ObservationRevision.objects.exists()

    third = run_command("refresh_indicators", "--indicator", "rd-expenditure")

    assert "rd-expenditure: 8 created, 20 revised, 0 unchanged" in third
    assert "  revised CHN 2003: 1.12037 -> 1.10465" in third  # the 2025 extract's figure, then the 2026 bulk file's
    assert "… and 15 more revisions" in third
    history = Observation.objects.get(indicator=indicators["rd-expenditure"], period=datetime.date(2021, 1, 1))
    assert (history.value, history.revisions.get().old_value) == (Decimal("2.381650"), Decimal("2.432600"))


def test_a_failed_indicator_makes_the_command_fail_after_the_others_ran(replay, worldbank_catalogue):
    replay.add(
        WB_PATH.format(countries="CHN", series="GB.XPD.RSDV.GD.ZS"),
        Reply(body=recorded("worldbank/error__invalid-value-120.json")),
    )
    for series in ("SP.POP.SCIE.RD.P6", "IP.PAT.RESD"):
        replay.add(WB_PATH.format(countries="CHN;USA", series=series), Reply(body=built(series, ["CHN", "USA"])))
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 of 3 indicators failed: rd-expenditure"):
        call_command("refresh_indicators", "--source", "worldbank", stdout=out, stderr=out)

    assert "rd-expenditure: FAILED: Permanent fault: World Bank API refused" in out.getvalue()
    assert "researchers: 55 created" in out.getvalue()  # China 1996-2023, United States 1996-2022
    failed = IngestRun.objects.get(outcome=IngestRun.Outcome.FAILED)
    assert (failed.indicator.code, failed.trigger) == ("rd-expenditure", "manual")


def test_an_unknown_indicator_is_an_error():
    with pytest.raises(CommandError, match="No indicator to refresh"):
        call_command("refresh_indicators", "--indicator", "no-such-indicator")


def test_refresh_source_queues_one_job_per_pullable_indicator_after_commit(
    worldbank_catalogue, django_capture_on_commit_callbacks, monkeypatch
):
    IndicatorFactory(
        source=worldbank_catalogue["researchers"].source,
        arrival=Indicator.Arrival.ANALYST,
        source_series_code="",
        publication="A yearbook.",
    )
    queued = []
    monkeypatch.setattr(refresh_indicator_job, "delay", lambda *args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert refresh_source.apply(args=["worldbank"]).get() == 3
        assert queued == []  # nothing is sent before the transaction commits

    assert len(callbacks) == 3
    assert sorted(queued) == sorted((i.pk, "schedule") for i in worldbank_catalogue.values())


def write_csv(path, rows, header=COLUMNS):
    lines = [",".join(header)] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def manufacturing_share(china):
    indicator = IndicatorFactory(code="manufacturing-share", unit="% of GDP", source=make_source("worldbank"))
    indicator.geographies.set([china])
    return indicator


CITATION = "World Bank WDI NV.IND.MANF.ZS via open-numbers (wdi_china_opennumbers_ddf_extract.csv)"
# China, manufacturing value added (% of GDP), from shared/data/wdi_china_opennumbers_ddf_extract.csv.
SNAPSHOT_ROWS = [
    ["manufacturing-share", "CHN", "2022-01-01", "26.42377", "WDI via open-numbers", CITATION, "", "false", "", "0"],
    ["manufacturing-share", "CHN", "2023-01-01", "25.49917", "WDI via open-numbers", CITATION, "", "false", "", "0"],
    ["manufacturing-share", "CHN", "2024-01-01", "24.86924", "WDI via open-numbers", CITATION, "", "true", "", "0"],
]


def test_load_snapshot_loads_once_and_a_second_run_writes_nothing(tmp_path, manufacturing_share):
    path = write_csv(tmp_path / "observations.csv", SNAPSHOT_ROWS)

    first = run_command("load_snapshot", "--path", str(path))
    before = list(Observation.objects.values_list("pk", "value", "version", "updated_at"))
    second = run_command("load_snapshot", "--path", str(path))

    assert "manufacturing-share: 3 created, 0 revised, 0 unchanged, 0 skipped" in first
    assert "manufacturing-share: 0 created, 0 revised, 3 unchanged, 0 skipped" in second
    assert list(Observation.objects.values_list("pk", "value", "version", "updated_at")) == before
    latest = Observation.objects.get(period=datetime.date(2024, 1, 1))
    assert (latest.origin, latest.is_provisional, latest.citation) == (Observation.Origin.SNAPSHOT, True, CITATION)
    runs = IngestRun.objects.filter(trigger="snapshot", outcome=IngestRun.Outcome.SUCCESS)
    assert runs.count() == 2 and runs.first().source == manufacturing_share.source


def test_load_snapshot_keeps_values_a_pull_changed(tmp_path, manufacturing_share, china):
    # 2010 as the current WDI vintage has it (pulled), and as the December 2013 vintage had it (in a snapshot):
    # wdi_china_opennumbers_ddf_extract.csv and wdi_china_1960-2012_ronnywang_v2013.csv.
    pulled = ObservationFactory(
        indicator=manufacturing_share, geography=china, period=datetime.date(2010, 1, 1), value=Decimal("31.0749")
    )
    older = ["manufacturing-share", "CHN", "2010-01-01", "32.4584937939712", "WDI 2013-12", CITATION, "", "", "", ""]
    path = write_csv(tmp_path / "observations.csv", [*SNAPSHOT_ROWS, older])

    output = run_command("load_snapshot", "--path", str(path))

    assert "3 created, 0 revised, 0 unchanged, 1 skipped" in output
    pulled.refresh_from_db()
    assert (pulled.value, pulled.origin, pulled.version) == (Decimal("31.0749"), Observation.Origin.API, 1)


def test_load_snapshot_refuses_a_bad_group_alone(tmp_path, manufacturing_share, owid_co2):
    rows = [
        *SNAPSHOT_ROWS,
        ["co2-emissions", "CHN", "2018", "10064.686", "OWID 2020-12", "owid-co2-data.csv", "", "", "", ""],
        ["no-such-indicator", "CHN", "2018-01-01", "1", "", "x", "", "", "", ""],
    ]
    path = write_csv(tmp_path / "observations.csv", rows)
    out = io.StringIO()

    with pytest.raises(CommandError, match="2 of 3 indicators failed to load"):
        call_command("load_snapshot", "--path", str(path), stdout=out, stderr=out)

    assert "co2-emissions: FAILED: Permanent fault: observations.csv line 5: period '2018' is not a date" in (
        out.getvalue()
    )
    assert "no-such-indicator: FAILED: no indicator with code 'no-such-indicator'" in out.getvalue()
    assert Observation.objects.filter(indicator=manufacturing_share).count() == 3
    assert not Observation.objects.filter(indicator=owid_co2).exists()


def test_load_snapshot_requires_the_exact_columns(tmp_path):
    path = write_csv(tmp_path / "observations.csv", [], header=COLUMNS[:-1])

    with pytest.raises(CommandError, match="expected exactly"):
        call_command("load_snapshot", "--path", str(path))


def test_load_snapshot_says_where_a_missing_file_comes_from(tmp_path):
    with pytest.raises(CommandError, match=r"scripts/build_snapshot\.py writes it"):
        call_command("load_snapshot", "--path", str(tmp_path / "missing.csv"))


def test_migrate_created_the_default_schedules():
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {schedule_name(key) for key in DEFAULT_CRONTABS} <= names
    task = PeriodicTask.objects.get(name=schedule_name("worldbank"))
    assert (task.task, task.kwargs) == (
        "indicators.refresh_source",
        '{"source_key": "worldbank", "trigger": "schedule"}',
    )


def test_schedules_an_admin_changed_are_never_reset():
    task = PeriodicTask.objects.get(name=schedule_name("nbs"))
    task.crontab = CrontabSchedule.objects.create(minute="15", hour="9")
    task.enabled = False
    task.save()
    PeriodicTask.objects.filter(name=schedule_name("owid")).delete()

    assert ensure_schedules() == [schedule_name("owid")]
    assert "All default schedules exist." in run_command("ensure_schedules")

    task.refresh_from_db()
    assert (task.crontab.minute, task.crontab.hour, task.enabled) == ("15", "9", False)
