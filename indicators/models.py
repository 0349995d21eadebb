"""Indicators, where their figures come from, the figures themselves and their history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tasks.fields import bilingual_names
from tasks.models import Commitment, ProgressStatus, Sector, Task


class Source(models.Model):
    """A publisher of statistics, or of the documents analysts cite."""

    class Connector(models.TextChoices):
        NONE = "", _("None (analysts enter its figures)")
        WORLDBANK = "worldbank", _("World Bank Indicators API v2")
        NBS = "nbs", _("National Bureau of Statistics query interface")
        OWID = "owid", _("Our World in Data CSV files")

    key = models.SlugField(max_length=40, unique=True)
    publisher = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=200, blank=True, help_text=_("The name in Chinese; blank: the English one."))
    url = models.URLField()
    licence = models.CharField(max_length=120, default="unverified")
    attribution = models.TextField(blank=True, help_text=_("The attribution the publisher asks for."))
    connector = models.CharField(max_length=20, choices=Connector.choices, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class Geography(models.Model):
    """China, the economies and aggregates it is compared with, and the article's growth poles."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        AGGREGATE = "aggregate", _("Aggregate of countries")
        REGION = "region", _("Region of China")

    code = models.CharField(max_length=12, unique=True, help_text=_("ISO3 code where one exists."))
    iso3 = models.CharField(max_length=3, blank=True)
    name_en, name_zh = bilingual_names(120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=100, help_text=_("China first."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "geographies"

    def __str__(self) -> str:
        return self.name_en


class Indicator(models.Model):
    """A measure of one or more commitments, with how its figures arrive and how fresh they are."""

    class Frequency(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        QUARTERLY = "quarterly", _("Quarterly")
        MONTHLY = "monthly", _("Monthly")

    class Aggregation(models.TextChoices):
        LEVEL = "level", _("Level")
        YEAR_TO_DATE = "ytd", _("Year to date")
        INDEX = "index", _("Index")
        RATE = "rate", _("Rate or share")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")
        STABLE = "stable", _("Stability is the aim")
        HOLD = "hold", _("Holding its level is the aim: no fall (a rise does not miss it)")
        PEAK = "peak", _("Peaking is the aim: slower growth, then a fall")

    class Kind(models.TextChoices):
        """What a figure measures; the progress method chooses its arithmetic by it (docs/progress-method.md)."""

        LEVEL = "level", _("Level")
        SHARE = "share", _("Share of a total")
        COUNT = "count", _("Count")
        GROWTH_YOY = "growth_yoy", _("Growth rate on the same period a year before")
        GROWTH_YTD = "growth_ytd", _("Growth rate of the year to date")
        INDEX_PREV_YEAR_100 = "index_prev_year_100", _("Index, same period a year before = 100")
        DIFFUSION_INDEX = "diffusion_index", _("Diffusion index with a neutral line")

    class Arrival(models.TextChoices):
        API = "api", _("Pulled from the source's API")
        ANALYST = "analyst", _("Entered by analysts")

    code = models.SlugField(max_length=60, unique=True)
    name_en, name_zh = bilingual_names(200)
    definition = models.TextField()
    definition_zh = models.TextField(blank=True, help_text=_("The definition in Chinese; blank: the English one."))
    unit = models.CharField(max_length=60, help_text=_("As the source publishes it: '% of GDP', '亿元'."))
    unit_en = models.CharField(max_length=80, help_text=_("The unit as an English reader sees it: '10,000 tonnes'."))
    unit_zh = models.CharField(max_length=80, help_text=_("The unit as a Chinese reader sees it: '万吨'."))
    scale = models.SmallIntegerField(default=0, help_text=_("Power of ten the unit is multiplied by."))
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    aggregation = models.CharField(max_length=10, choices=Aggregation.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text=_("What a figure measures."))
    neutral_value = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The line between expansion and contraction: 50 for a diffusion index, 100 for an index."),
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    decimals = models.PositiveSmallIntegerField(default=1)
    plausible_min = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    plausible_max = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    arrival = models.CharField(max_length=10, choices=Arrival.choices)
    release_lag_days = models.PositiveIntegerField(
        help_text=_("How long after a period ends its figure usually appears.")
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="indicators")
    source_series_code = models.CharField(max_length=80, blank=True)
    publication = models.TextField(
        blank=True, help_text=_("For analyst-entered indicators: the publication that reports the figure.")
    )
    headline_for = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="headline_indicators"
    )
    commitments = models.ManyToManyField(
        Commitment, through="CommitmentIndicator", related_name="indicators", blank=True
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="indicators")
    geographies = models.ManyToManyField(
        Geography, blank=True, related_name="indicators", help_text=_("Geographies pulled and charted.")
    )
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    data_version = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Bumped by every write; keys the chart and page caches.")
    )
    history = HistoricalRecords(excluded_fields=["last_success_at", "data_version"])

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plausible_min__isnull=True)
                | Q(plausible_max__isnull=True)
                | Q(plausible_min__lt=F("plausible_max")),
                name="indicator_plausible_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(arrival="analyst") | ~Q(source_series_code=""),
                name="indicator_api_has_series_code",
            ),
            models.CheckConstraint(
                condition=Q(arrival="api") | ~Q(publication=""),
                name="indicator_analyst_cites_publication",
            ),
            models.CheckConstraint(
                condition=Q(neutral_value__isnull=False) | ~Q(kind__in=["diffusion_index", "index_prev_year_100"]),
                name="indicator_index_states_neutral_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name_en}"

    def clean(self) -> None:
        """What a series measures must fit its unit and limits: the progress method relies on it."""
        errors = {}
        if self.kind == self.Kind.SHARE and (self.plausible_max is None or self.plausible_max > 100):
            errors["plausible_max"] = _("A share cannot pass 100: set the plausible maximum to 100 or less.")
        if self.kind in (self.Kind.GROWTH_YOY, self.Kind.GROWTH_YTD) and "%" not in self.unit:
            errors["unit"] = _("A growth rate is in percent: its unit must say '%'.")
        if errors:
            raise ValidationError(errors)


class CommitmentIndicator(models.Model):
    """Links an indicator to a commitment it measures, saying why in one line."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="commitment_links")
    reason = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment__code", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "indicator"], name="commitmentindicator_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="commitmentindicator_states_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment.code} ← {self.indicator.code}"


def document_fields() -> tuple[models.Field, ...]:
    """The official document a clause is quoted from, for Target and PolicyClause.

    Fresh fields on each call, unpacked where they stand, so each model keeps its own field order.
    """
    return (
        models.CharField(max_length=300),
        models.CharField(max_length=200),
        models.DateField(),
        models.URLField(blank=True),
        models.TextField(help_text=_("The clause in the document's own language, verbatim.")),
        models.TextField(blank=True, help_text=_("Our English gloss: not a translation to cite.")),
    )


class Target(models.Model):
    """A target an official document sets for an indicator, quoting the clause."""

    class Kind(models.TextChoices):
        LEVEL = "level", _("Reach a level")
        PERCENT_CHANGE = "percent_change", _("Change by a percentage from a base year")
        BAND = "band", _("Stay within a band")
        ANNUAL = "annual", _("One year's figure (an annual target)")
        PERIOD_AVERAGE = "period_average", _("Average of the yearly figures over a plan period")
        CUMULATIVE_CHANGE = "cumulative_change", _("Yearly changes compounded over a plan period")

    class Qualifier(models.TextChoices):
        ABOUT = "about", _("about (左右)")
        AT_LEAST = "at_least", _("at least, above (以上)")
        AT_MOST = "at_most", _("at most, below (以下)")
        EXACT = "exact", _("as stated")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    geography = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="targets")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.DecimalField(
        max_digits=24, decimal_places=6, help_text=_("The level; the percentage change; the band's low end.")
    )
    value_high = models.DecimalField(
        max_digits=24, decimal_places=6, null=True, blank=True, help_text=_("The band's high end.")
    )
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    base_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Blank when the clause states none: the method then says which it uses.")
    )
    target_year = models.PositiveSmallIntegerField()
    period_note = models.CharField(
        max_length=300, blank=True, help_text=_("Where the clause gives a period, not a year: how it was read.")
    )
    document_title, document_issuer, document_date, document_url, clause_quote, clause_gloss_en = document_fields()
    where_read = models.TextField(blank=True, help_text=_("The copy of the document the clause was read in."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "target_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "geography", "kind", "target_year"], name="target_unique_per_kind_and_year"
            ),
            models.CheckConstraint(
                condition=~Q(kind="band") | (Q(value_high__isnull=False) & Q(value__lte=F("value_high"))),
                name="target_band_has_ordered_ends",
            ),
            models.CheckConstraint(
                condition=~Q(kind="percent_change") | Q(base_year__isnull=False),
                name="target_percent_change_has_base_year",
            ),
            models.CheckConstraint(
                condition=Q(base_year__isnull=True) | Q(base_year__lt=F("target_year")),
                name="target_base_year_before_target_year",
            ),
            models.CheckConstraint(condition=~Q(clause_quote=""), name="target_quotes_its_document"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.kind} {self.value} by {self.target_year}"


class PolicyClause(models.Model):
    """An official clause that sets an aim for an indicator without a number ("basically stable").

    It is shown beside the commitment the indicator measures; no target or band is derived from it.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="policy_clauses")
    code = models.CharField(max_length=10, unique=True, help_text=_("The catalog's reference: Q1, Q2, ..."))
    document_title, document_issuer, document_date, document_url, clause_quote, clause_gloss_en = document_fields()
    bearing = models.TextField(help_text=_("What the clause means for reading the indicator."))
    where_read = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document_date", "code"]
        constraints = [models.CheckConstraint(condition=~Q(clause_quote=""), name="policyclause_quotes_document")]

    def __str__(self) -> str:
        return f"{self.code} {self.indicator.code}"


class IngestRun(models.Model):
    """One run of one indicator's refresh (or of a snapshot load): what changed, or why it failed."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCESS = "success", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Scheduled refresh")
        MANUAL = "manual", _("Refresh started by a person")
        SNAPSHOT = "snapshot", _("Bundled snapshot load")
        BENCHMARK = "bench-faults", _("Benchmark load run")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="runs")
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.SCHEDULE)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    rows_created = models.PositiveIntegerField(default=0)
    rows_revised = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    skipped_reasons = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    worker = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("host:pid of the process running it; tells a dead run from a waiting one."),
    )
    fetched_urls = models.JSONField(
        default=list, blank=True, help_text=_("The URLs actually requested (a mirror's, when one is configured).")
    )
    retry_after_capped_from = models.FloatField(
        null=True,
        blank=True,
        help_text=_("The Retry-After (s) asked for when it exceeded HTTP_RETRY_AFTER_MAX_SECONDS and was capped."),
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["indicator", "-started_at"], name="ingestrun_indicator_recent")]

    def __str__(self) -> str:
        return f"{self.source.key}/{self.indicator.code if self.indicator else '*'} {self.outcome}"


class ObservationQuerySet(models.QuerySet):
    def public(self) -> "ObservationQuerySet":
        """The one definition of what readers see: approved, and withdrawn neither by its source nor an analyst."""
        return self.filter(
            review_state=Observation.ReviewState.PUBLISHED,
            withdrawn_by_source_at__isnull=True,
            withdrawn_at__isnull=True,
        )


class Observation(models.Model):
    """The current value of one indicator for one geography and period.

    `period` is the first day of the period the figure describes (a year, quarter or month,
    as the indicator's frequency says), never a release date. Older values live in
    ObservationRevision; `version` guards concurrent edits.
    """

    class Origin(models.TextChoices):
        API = "api", _("Source API")
        SNAPSHOT = "snapshot", _("Bundled snapshot of published figures")
        ANALYST = "analyst", _("Entered by an analyst")

    class ReviewState(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Waiting for a second analyst's review")
        REJECTED = "rejected", _("Rejected by a reviewer")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    geography = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="observations")
    period = models.DateField()
    value = models.DecimalField(max_digits=24, decimal_places=6)
    is_provisional = models.BooleanField(default=False)
    is_estimated = models.BooleanField(default=False)
    is_break = models.BooleanField(default=False, help_text=_("A break in series begins at this period."))
    vintage = models.CharField(max_length=80, blank=True)
    version = models.PositiveIntegerField(default=1)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    ingest_run = models.ForeignKey(
        IngestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    citation = models.TextField(help_text=_("The source URL or document reference for this figure."))
    note = models.TextField(blank=True, help_text=_("Caveats: republisher, licence, retrieval date."))
    revision_count = models.PositiveIntegerField(default=0)
    withdrawn_by_source_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the source stopped publishing this figure (now null); kept in history."),
    )
    review_state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.PUBLISHED, db_index=True
    )
    upload_batch = models.UUIDField(
        null=True, blank=True, db_index=True, help_text=_("The upload this figure came in; reviewed as one.")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    withdrawal_reason = models.TextField(blank=True, help_text=_("Why an analyst asked to withdraw this figure."))
    withdrawal_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_proposed_at = models.DateTimeField(null=True, blank=True)
    withdrawal_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When an approved withdrawal took this figure off public pages.")
    )
    withdrawal_declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_declined_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When a reviewer declined the proposed withdrawal: the figure stayed public."),
    )
    # A database default too: the bulk writers and the benchmarks' SQL insert rows without this column.
    withdrawal_decline_reason = models.TextField(
        blank=True, default="", db_default="", help_text=_("Why the reviewer kept the figure public.")
    )
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_at = models.DateTimeField(null=True, blank=True, help_text=_("When an admin put a withdrawn figure back."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "geography", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "geography", "period"], name="observation_one_current_per_period"
            ),
            models.CheckConstraint(condition=~Q(citation=""), name="observation_cites_its_source"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.geography.code} {self.period:%Y-%m} = {self.value}"


class ObservationRevision(models.Model):
    """A value that was replaced: by a source's revision, an analyst's correction, or a revert.

    Source revisions and analyst edits share this one history.
    """

    class Reason(models.TextChoices):
        SOURCE_REVISION = "source_revision", _("The source revised the figure")
        ANALYST_CORRECTION = "analyst_correction", _("An analyst corrected the figure")
        REVERT = "revert", _("An admin reverted a change")
        SOURCE_WITHDRAWAL = "source_withdrawal", _("The source withdrew the figure")

    # What a revision keeps of the replaced figure, each as `old_<name>`.
    KEPT_FIELDS = ("value", "vintage", "origin", "citation", "version", "is_provisional", "is_estimated", "is_break")

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions")
    old_value = models.DecimalField(max_digits=24, decimal_places=6)
    new_value = models.DecimalField(max_digits=24, decimal_places=6)
    old_vintage = models.CharField(max_length=80, blank=True)
    old_origin = models.CharField(max_length=10, choices=Observation.Origin.choices)
    old_citation = models.TextField(blank=True)
    old_version = models.PositiveIntegerField()
    old_is_provisional = models.BooleanField(default=False)
    old_is_estimated = models.BooleanField(default=False)
    old_is_break = models.BooleanField(default=False)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    replaced_at = models.DateTimeField(auto_now_add=True)
    replaced_by_run = models.ForeignKey(
        IngestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    replaced_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.observation}: {self.old_value} → {self.new_value}"

    @property
    def only_flags_changed(self) -> bool:
        """The value stayed; only a provisional, estimated or break flag changed."""
        return self.old_value == self.new_value and self.reason != self.Reason.SOURCE_WITHDRAWAL

    @classmethod
    def of(cls, current: "Observation", *, new_value, reason: str, run=None, user=None) -> "ObservationRevision":
        """The unsaved record of `current` as it stands, about to be replaced by `new_value`."""
        kept = {f"old_{name}": getattr(current, name) for name in cls.KEPT_FIELDS}
        return cls(
            observation=current, new_value=new_value, reason=reason, replaced_by_run=run, replaced_by_user=user, **kept
        )


class Disagreement(models.Model):
    """A pulled figure that differs from an analyst's value; the analyst's value was kept."""

    class Resolution(models.TextChoices):
        KEPT_ANALYST = "kept_analyst", _("Kept the analyst's value")
        TOOK_SOURCE = "took_source", _("Took the source's value")

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="disagreements")
    run = models.ForeignKey(IngestRun, on_delete=models.CASCADE, related_name="disagreements")
    source_value = models.DecimalField(max_digits=24, decimal_places=6)
    analyst_value = models.DecimalField(max_digits=24, decimal_places=6)
    source_vintage = models.CharField(max_length=80, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=20, blank=True, choices=Resolution.choices)

    class Meta:
        ordering = ["resolved_at", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.observation}: source {self.source_value} vs analyst {self.analyst_value}"


class CommitmentStatusChange(models.Model):
    """A commitment's computed status, recorded each time published data moves it, with the indicator that decided it.

    A commitment's first record has no `status_from`: it is the baseline the later changes are measured from,
    and the "what changed" feed leaves it out (a first run would otherwise list every commitment).
    """

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="status_changes")
    status_from = models.CharField(max_length=16, blank=True, choices=ProgressStatus.choices)
    status_to = models.CharField(max_length=16, choices=ProgressStatus.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)
    deciding_indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The indicator whose assessment set the new status (the least favourable one)."),
    )
    reason_en = models.TextField(blank=True, help_text=_("Why that indicator has that status, as the pages said it."))
    reason_zh = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["commitment", "-recorded_at"], name="statuschange_commitment_recent")]
        constraints = [
            models.CheckConstraint(condition=~Q(status_from=F("status_to")), name="statuschange_changes_status"),
            models.CheckConstraint(
                condition=Q(status_to__in=ProgressStatus.values), name="statuschange_status_to_is_a_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment.code}: {self.status_from or '-'} → {self.status_to}"
