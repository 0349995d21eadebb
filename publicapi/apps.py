from django.apps import AppConfig


class PublicapiConfig(AppConfig):
    name = "publicapi"
    verbose_name = "Public read-only API"
