from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "roster.orgs"
    label = "orgs"
    verbose_name = "Organizations"
