from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("tasks/<int:number>/", views.task_detail, name="detail"),
    path("sectors/", views.sector_list, name="sector_list"),
    path("sectors/<slug:slug>/", views.sector_detail, name="sector_detail"),
]
