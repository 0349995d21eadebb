"""One factory per model. Random data never decides an assertion: codes come from sequences."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from indicators.models import (
    CommitmentIndicator,
    Geography,
    Indicator,
    IngestRun,
    Observation,
    Source,
    Target,
)
from tasks.models import Assessment, Commitment, ProgressStatus, Sector, Task


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n % 7 + 1)
    slug = factory.LazyAttribute(lambda t: f"task-{t.number}")
    title_en = factory.LazyAttribute(lambda t: f"Task {t.number}")
    title_zh = factory.LazyAttribute(lambda t: f"任务{t.number}")
    summary_en = "Summary."
    summary_zh = "摘要。"
    article_text = "We will do things."


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name_en = factory.LazyAttribute(lambda s: s.slug.replace("-", " ").title())
    name_zh = factory.Sequence(lambda n: f"行业{n}")


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    task = factory.SubFactory(TaskFactory)
    position = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda c: f"{c.task.number}.{c.position}")
    title_en = factory.Sequence(lambda n: f"Commitment {n}")
    title_zh = factory.Sequence(lambda n: f"承诺{n}")
    article_quote = "We will do things."
    kind = Commitment.Kind.MEASURED


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    commitment = factory.SubFactory(CommitmentFactory)
    status = ProgressStatus.ON_TRACK
    note = "Assessed from the published figures."
    evidence_links = factory.LazyFunction(lambda: ["https://www.miit.gov.cn/"])
    assessed_on = datetime.date(2025, 1, 15)


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"source-{n}")
    publisher = "Test publisher"
    name = factory.LazyAttribute(lambda s: f"Source {s.key}")
    url = "https://example.org/"


class GeographyFactory(DjangoModelFactory):
    class Meta:
        model = Geography
        django_get_or_create = ("code",)

    code = "CHN"
    iso3 = factory.LazyAttribute(lambda g: g.code if len(g.code) == 3 else "")
    name_en = factory.LazyAttribute(lambda g: {"CHN": "China"}.get(g.code, g.code))
    name_zh = factory.LazyAttribute(lambda g: {"CHN": "中国"}.get(g.code, g.code))
    kind = Geography.Kind.COUNTRY
    position = factory.LazyAttribute(lambda g: 0 if g.code == "CHN" else 10)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"indicator-{n}")
    name_en = factory.LazyAttribute(lambda i: f"Indicator {i.code}")
    name_zh = factory.Sequence(lambda n: f"指标{n}")
    definition = "A test indicator."
    unit = "% of GDP"
    frequency = Indicator.Frequency.ANNUAL
    aggregation = Indicator.Aggregation.RATE
    kind = Indicator.Kind.SHARE
    direction = Indicator.Direction.INCREASE
    decimals = 1
    arrival = Indicator.Arrival.API
    release_lag_days = 180
    source = factory.SubFactory(SourceFactory)
    source_series_code = factory.Sequence(lambda n: f"TEST.SERIES.{n}")


class CommitmentIndicatorFactory(DjangoModelFactory):
    class Meta:
        model = CommitmentIndicator

    commitment = factory.SubFactory(CommitmentFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    reason = "Measures the commitment directly."


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    geography = factory.SubFactory(GeographyFactory)
    kind = Target.Kind.LEVEL
    value = Decimal("3.0")
    base_year = 2020
    target_year = 2025
    document_title = "A test plan"
    document_issuer = "A test issuer"
    document_date = datetime.date(2021, 3, 12)
    clause_quote = "Reach 3.0 by 2025."


class IngestRunFactory(DjangoModelFactory):
    class Meta:
        model = IngestRun

    source = factory.SubFactory(SourceFactory)
    indicator = factory.SubFactory(IndicatorFactory)


class ObservationFactory(DjangoModelFactory):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    geography = factory.SubFactory(GeographyFactory)
    period = factory.Sequence(lambda n: datetime.date(2000 + n % 30, 1, 1))
    value = Decimal("25.5")
    origin = Observation.Origin.API
    vintage = "test vintage"
    citation = "https://example.org/series"
