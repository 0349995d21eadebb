"""The policy domain: the seven tasks of the article, their commitments, and the sectors named."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tasks.fields import bilingual_names
from tasks.validators import validate_evidence_links


class ProgressStatus(models.TextChoices):
    """One vocabulary for analysts' assessments and for what the progress method computes."""

    ACHIEVED = "achieved", _("Target achieved")
    ON_TRACK = "on_track", _("On track")
    PROGRESSING = "progressing", _("Progressing, acceleration needed")
    STALLED = "stalled", _("Stalled: limited or no progress")
    REGRESSING = "regressing", _("Regressing")
    NOT_ASSESSABLE = "not_assessable", _("Cannot be assessed yet")


# Least favourable first: a commitment's computed status is the worst of its indicators'.
STATUS_SEVERITY = [
    ProgressStatus.REGRESSING,
    ProgressStatus.STALLED,
    ProgressStatus.PROGRESSING,
    ProgressStatus.ON_TRACK,
    ProgressStatus.ACHIEVED,
]


class Task(models.Model):
    """One of the seven key tasks. The Chinese text is our translation of the English edition."""

    number = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1), MaxValueValidator(7)])
    slug = models.SlugField(unique=True)
    title_en, title_zh = bilingual_names(200)
    summary_en = models.TextField()
    summary_zh = models.TextField()
    article_text = models.TextField(help_text=_("The article's own text for this section, verbatim."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=7), name="task_number_between_1_and_7")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title_en}"


class Sector(models.Model):
    """An industry the article names, or one of the aggregates 'industry' and 'manufacturing'."""

    slug = models.SlugField(unique=True)
    name_en, name_zh = bilingual_names(120)
    is_aggregate = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_aggregate", "name_en"]

    def __str__(self) -> str:
        return self.name_en


class Commitment(models.Model):
    """One distinct action a task section commits to, quoting the article exactly."""

    class Kind(models.TextChoices):
        MEASURED = "measured", _("Measured by indicators")
        QUALITATIVE = "qualitative", _("Qualitative")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="commitments")
    code = models.CharField(max_length=10, unique=True, help_text=_("Task number, dot, position: 1.1"))
    position = models.PositiveSmallIntegerField()
    title_en, title_zh = bilingual_names(200)
    article_quote = models.TextField(help_text=_("The exact sentence(s) of the article it comes from."))
    kind = models.CharField(max_length=12, choices=Kind.choices)
    evidence_needed = models.TextField(
        blank=True, help_text=_("For qualitative commitments: what evidence would show it met.")
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="commitments")
    history = HistoricalRecords(m2m_fields=[sectors])

    class Meta:
        ordering = ["task__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "position"], name="commitment_unique_position_in_task"),
            models.CheckConstraint(
                condition=Q(kind="measured") | ~Q(evidence_needed=""),
                name="commitment_qualitative_states_evidence",
            ),
            models.CheckConstraint(condition=~Q(article_quote=""), name="commitment_quotes_article"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"


class Assessment(models.Model):
    """An analyst's judgement of a commitment, with evidence. Many per commitment, newest first."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(max_length=16, choices=ProgressStatus.choices)
    note = models.TextField()
    evidence_links = models.JSONField(
        default=list, blank=True, validators=[validate_evidence_links], help_text=_("http(s) URLs.")
    )
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        get_latest_by = ["assessed_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.commitment.code} {self.status} ({self.assessed_on})"
