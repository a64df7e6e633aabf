from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "roster.mail"
    label = "mail"
