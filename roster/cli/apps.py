from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "roster.cli"
    label = "cli"
