from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from publicapi import views

app_name = "publicapi"

router = SimpleRouter()
router.register("tasks", views.TaskViewSet, basename="task")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("targets", views.TargetViewSet, basename="target")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="publicapi:schema"), name="docs"),
    path("indicators/<slug:code>/observations/", views.ObservationList.as_view(), name="observations"),
    *router.urls,
]
