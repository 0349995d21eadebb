"""The public read-only API: anonymous GETs, paginated, throttled, CORS open, cached under the site version."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.response import Response

from indicators.cache_keys import page_key
from indicators.forms import SeriesFilterForm
from indicators.models import Indicator
from indicators.selectors import ChartFilters, indicator_geography_codes
from indicators.summaries import commitment_statuses, indicator_summaries_get
from publicapi import selectors, serializers

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
}


class PublicRead:
    """Read-only, open to any origin, and each 200 cached under the site version and the parameters it reads.

    Only the parameters a view declares key the cache, and only after they validated: `?anything=<random>`
    cannot grow it.
    """

    http_method_names = ["get", "head", "options"]
    cached_params: tuple[str, ...] = ("page",)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    def cached(self, request, build) -> Response:
        query = urlencode(sorted((name, value) for name in self.cached_params for value in request.GET.getlist(name)))
        key = "api:" + page_key("-", request.path, query)
        data = cache.get(key)
        if data is not None:
            return Response(data)
        response = build()
        if response.status_code == 200:
            cache.set(key, response.data, settings.PAGE_CACHE_SECONDS)
        return response

    def list(self, request, *args, **kwargs):
        return self.cached(request, lambda: super(PublicRead, self).list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return self.cached(request, lambda: super(PublicRead, self).retrieve(request, *args, **kwargs))


class ItemContext:
    """Serializers whose items need a batch read first (statuses, freshness): one read per page, not per item.

    A view using it defines `item_context(items) -> dict`, the batch read its serializer's context holds.
    """

    def get_serializer(self, instance=None, *args, **kwargs):
        items = [] if instance is None else instance if isinstance(instance, list) else [instance]
        kwargs["context"] = {**self.get_serializer_context(), **self.item_context(items)}
        return self.get_serializer_class()(instance, *args, **kwargs)


class TaskViewSet(PublicRead, viewsets.ReadOnlyModelViewSet):
    """The article's seven key tasks."""

    queryset = selectors.task_list()
    serializer_class = serializers.TaskSerializer
    lookup_field = "number"
    lookup_value_regex = "[1-7]"


class CommitmentViewSet(PublicRead, ItemContext, viewsets.ReadOnlyModelViewSet):
    """Commitments with the status their indicators compute, its trace, and the analysts' latest assessment."""

    serializer_class = serializers.CommitmentSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{1,2}\.[0-9]{1,3}"

    def get_queryset(self):
        return selectors.commitment_list()

    def item_context(self, items: list) -> dict:
        return {"statuses": commitment_statuses(commitments=items)}


class IndicatorViewSet(PublicRead, ItemContext, viewsets.ReadOnlyModelViewSet):
    """Indicators: what they measure, their source and licence, and how fresh their figures are."""

    queryset = selectors.indicator_list()
    serializer_class = serializers.IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def item_context(self, items: list) -> dict:
        return {"summaries": indicator_summaries_get(indicators=items)}


class TargetViewSet(PublicRead, viewsets.ReadOnlyModelViewSet):
    """Targets official documents set for indicators, quoting the clause."""

    queryset = selectors.target_list()
    serializer_class = serializers.TargetSerializer
    lookup_field = "pk"


class SourceViewSet(PublicRead, viewsets.ReadOnlyModelViewSet):
    """Publishers of the figures, with the licence and attribution each asks for."""

    queryset = selectors.source_list()
    serializer_class = serializers.SourceSerializer
    lookup_field = "key"


SERIES_PARAMETERS = [
    OpenApiParameter("geo", str, many=True, description="A geography code of the indicator; repeat for several."),
    OpenApiParameter("start", int, description="First year, 1800 to 2200, in ASCII digits."),
    OpenApiParameter("end", int, description="Last year, 1800 to 2200, not before start."),
]


@extend_schema(
    parameters=SERIES_PARAMETERS,
    responses={200: serializers.ObservationSerializer(many=True), 400: serializers.FilterErrorSerializer},
)
class ObservationList(PublicRead, generics.ListAPIView):
    """An indicator's published figures, narrowed as its page is: by geography and by years (the same form)."""

    serializer_class = serializers.ObservationSerializer
    cached_params = ("page", "geo", "start", "end")

    def get_queryset(self):
        indicator = get_object_or_404(Indicator.objects.only("pk"), code=self.kwargs["code"])
        return self.filters.observations(selectors.observation_list(indicator=indicator))

    def list(self, request, *args, **kwargs):
        form = SeriesFilterForm(request.GET, geographies=lambda: indicator_geography_codes(code=kwargs["code"]))
        if not form.is_valid():
            return Response({"errors": form.errors}, status=400)
        self.filters = ChartFilters.from_form(form.cleaned_data)
        return super().list(request, *args, **kwargs)
