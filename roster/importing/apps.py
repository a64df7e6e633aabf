from django.apps import AppConfig


class ImportingConfig(AppConfig):
    name = "roster.importing"
    label = "importing"
