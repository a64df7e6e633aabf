from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "roster.web"
    label = "web"
