from django.urls import path, re_path

from entry import review_views, views

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
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/observations/<int:pk>/", review_views.observation_review, name="observation_review"),
    path("review/batches/<uuid:batch>/", review_views.batch_review, name="batch_review"),
    path("review/withdrawals/<int:pk>/", review_views.withdrawal_review, name="withdrawal_review"),
    path("observations/<int:pk>/withdraw/", review_views.withdrawal_propose, name="withdrawal_propose"),
    path("observations/<int:pk>/restore/", review_views.withdrawal_restore, name="withdrawal_restore"),
]
