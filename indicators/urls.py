from django.urls import include, path

from indicators import feeds, views

# One indicator's page, its embed and its downloads, under indicators/<code>/.
one_indicator = [
    path("", views.indicator_detail, name="detail"),
    path("embed/", views.indicator_embed, name="embed"),
    path("data.csv", views.indicator_data_csv, name="data_csv"),
    path("data.json", views.indicator_data_json, name="data_json"),
]
# The changes feeds of the whole tracker, one task or one indicator: Atom, and RSS under rss/.
change_feeds = [
    path("", feeds.ChangesFeed(), name="changes_atom"),
    path("rss/", feeds.ChangesRssFeed(), name="changes_rss"),
    path("tasks/<int:number>/", feeds.ChangesFeed(), name="task_changes_atom"),
    path("tasks/<int:number>/rss/", feeds.ChangesRssFeed(), name="task_changes_rss"),
    path("indicators/<slug:code>/", feeds.ChangesFeed(), name="indicator_changes_atom"),
    path("indicators/<slug:code>/rss/", feeds.ChangesRssFeed(), name="indicator_changes_rss"),
]

app_name = "indicators"
urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/<slug:code>/", include(one_indicator)),
    path("data/all.zip", views.bulk_download, name="bulk_download"),
    path("changes/", views.change_list, name="changes"),
    path("feeds/changes/", include(change_feeds)),
    path("sources/", views.source_list, name="source_list"),
    path("method/", views.method, name="method"),
    path("method/early-warnings/", views.early_warning_rules, name="early_warnings"),
]
