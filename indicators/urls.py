from django.urls import path

from indicators import feeds, views

app_name = "indicators"
urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/<slug:code>/", views.indicator_detail, name="detail"),
    path("indicators/<slug:code>/embed/", views.indicator_embed, name="embed"),
    path("indicators/<slug:code>/data.csv", views.indicator_data_csv, name="data_csv"),
    path("indicators/<slug:code>/data.json", views.indicator_data_json, name="data_json"),
    path("data/all.zip", views.bulk_download, name="bulk_download"),
    path("changes/", views.change_list, name="changes"),
    path("feeds/changes/", feeds.ChangesFeed(), name="changes_atom"),
    path("feeds/changes/rss/", feeds.ChangesRssFeed(), name="changes_rss"),
    path("feeds/changes/tasks/<int:number>/", feeds.ChangesFeed(), name="task_changes_atom"),
    path("feeds/changes/tasks/<int:number>/rss/", feeds.ChangesRssFeed(), name="task_changes_rss"),
    path("feeds/changes/indicators/<slug:code>/", feeds.ChangesFeed(), name="indicator_changes_atom"),
    path("feeds/changes/indicators/<slug:code>/rss/", feeds.ChangesRssFeed(), name="indicator_changes_rss"),
    path("sources/", views.source_list, name="source_list"),
    path("method/", views.method, name="method"),
    path("method/early-warnings/", views.early_warning_rules, name="early_warnings"),
]
