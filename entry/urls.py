from django.urls import path, re_path

from entry import views

app_name = "entry"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("indicators/<slug:code>/", views.indicator_entry, name="indicator"),
    re_path(
        r"^indicators/(?P<code>[-\w]+)/template\.(?P<fmt>csv|xlsx)$",
        views.indicator_template,
        name="indicator_template",
    ),
    path("indicators/<slug:code>/upload/", views.indicator_upload, name="indicator_upload"),
    path("uploads/<uuid:token>/confirm/", views.upload_confirm, name="upload_confirm"),
    path("observations/<int:pk>/", views.observation_history, name="observation_history"),
    path("revisions/<int:pk>/revert/", views.revision_revert, name="revision_revert"),
    path("disagreements/", views.disagreement_list, name="disagreements"),
    path("disagreements/<int:pk>/resolve/", views.disagreement_resolve_view, name="disagreement_resolve"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<str:code>/", views.commitment_assess_view, name="commitment"),
]
