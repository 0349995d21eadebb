from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Exempt from CSRF so cached public pages need no token: a forged post can only change a visitor's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("entry/", include("entry.urls")),
    path("api/v1/", include("publicapi.urls")),
    path("", include("indicators.urls")),
    path("", include("dashboard.urls")),
]
