"""What the public API says of each resource. Values stay decimal strings, so no figure is rounded through float."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators import periods
from indicators.export_rows import PROVENANCE_COLUMNS
from indicators.models import Indicator, Observation, Source, Target
from tasks.models import Commitment, ProgressStatus, Task

STATUSES = ProgressStatus.choices


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["key", "publisher", "name", "url", "licence", "attribution"]


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["number", "slug", "title_en", "title_zh", "summary_en", "summary_zh"]


class TraceStepSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="The indicator's code.")
    status = serializers.ChoiceField(choices=STATUSES)
    method = serializers.CharField(help_text="How the status was computed (target_cagr_ratio, trend, ...).")
    reason = serializers.CharField(help_text="The computation in one sentence.")
    actual_rate = serializers.FloatField(allow_null=True)
    required_rate = serializers.FloatField(allow_null=True)
    basis = serializers.CharField(help_text="cagr: rates are fractions a year; points: points a year.")
    target_year = serializers.IntegerField(allow_null=True)


class AssessmentSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES)
    assessed_on = serializers.DateField()
    note = serializers.CharField()
    evidence_links = serializers.ListField(child=serializers.URLField())


class CommitmentSerializer(serializers.ModelSerializer):
    """A commitment with the status its indicators compute, how (the trace), and the analysts' latest word."""

    task = serializers.IntegerField(source="task.number")
    indicators = serializers.SerializerMethodField()
    computed_status = serializers.SerializerMethodField()
    trace = serializers.SerializerMethodField()
    assessment = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "code",
            "task",
            "title_en",
            "title_zh",
            "kind",
            "article_quote",
            "indicators",
            "computed_status",
            "trace",
            "assessment",
        ]

    def _status(self, commitment: Commitment):
        return self.context["statuses"][commitment.pk]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_indicators(self, commitment: Commitment) -> list[str]:
        return [link.indicator.code for link in commitment.indicator_links.all()]

    @extend_schema_field(serializers.ChoiceField(choices=STATUSES))
    def get_computed_status(self, commitment: Commitment) -> str:
        return self._status(commitment).computed_status

    @extend_schema_field(TraceStepSerializer(many=True))
    def get_trace(self, commitment: Commitment) -> list[dict]:
        return TraceStepSerializer(self._status(commitment).trace, many=True).data

    @extend_schema_field(AssessmentSerializer(allow_null=True))
    def get_assessment(self, commitment: Commitment) -> dict | None:
        if not commitment.assessed_status:
            return None
        return {
            "status": commitment.assessed_status,
            "assessed_on": commitment.assessed_on,
            "note": commitment.assessed_note,
            "evidence_links": [link for link in commitment.assessed_links or [] if isinstance(link, str)],
        }


class FreshnessSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=[value.value for value in periods.Freshness])
    latest_period = serializers.DateField(allow_null=True, help_text="The first day of the latest figure's period.")
    next_due = serializers.DateField(allow_null=True, help_text="When the next figure usually appears.")


class IndicatorSerializer(serializers.ModelSerializer):
    source = SourceSerializer()
    freshness = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_en",
            "name_zh",
            "definition",
            "unit",
            "scale",
            "frequency",
            "aggregation",
            "kind",
            "neutral_value",
            "direction",
            "arrival",
            "release_lag_days",
            "source_series_code",
            "publication",
            "source",
            "freshness",
        ]

    @extend_schema_field(FreshnessSerializer)
    def get_freshness(self, indicator: Indicator) -> dict:
        summary = self.context["summaries"][indicator.pk]
        return {"state": summary.freshness, "latest_period": summary.latest_period, "next_due": summary.next_due}


class ObservationSerializer(serializers.ModelSerializer):
    geography = serializers.CharField(source="geography.code")
    provisional = serializers.BooleanField(source="is_provisional")
    estimated = serializers.BooleanField(source="is_estimated")
    series_break = serializers.BooleanField(source="is_break")
    times_revised = serializers.IntegerField(source="revision_count")

    class Meta:
        model = Observation
        fields = [
            "geography",
            "period",
            "value",
            *PROVENANCE_COLUMNS,
        ]


class TargetSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    geography = serializers.CharField(source="geography.code")
    # A plain string: a blank URLField's schema is a oneOf that the empty string matches twice.
    document_url = serializers.CharField(allow_blank=True, help_text="Where the document is published; may be empty.")

    class Meta:
        model = Target
        fields = [
            "indicator",
            "geography",
            "kind",
            "value",
            "value_high",
            "qualifier",
            "base_year",
            "target_year",
            "period_note",
            "document_title",
            "document_issuer",
            "document_date",
            "document_url",
            "clause_quote",
            "clause_gloss_en",
        ]


class FilterErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
