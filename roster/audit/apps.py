from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "roster.audit"
    label = "audit"
