from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "roster.api"
    label = "api"
    verbose_name = "REST API"
