from django.urls import path

from indicators import views

app_name = "indicators"
urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/<slug:code>/", views.indicator_detail, name="detail"),
    path("indicators/<slug:code>/data.csv", views.indicator_data_csv, name="data_csv"),
    path("indicators/<slug:code>/data.json", views.indicator_data_json, name="data_json"),
    path("data/all.zip", views.bulk_download, name="bulk_download"),
    path("sources/", views.source_list, name="source_list"),
    path("method/", views.method, name="method"),
]
