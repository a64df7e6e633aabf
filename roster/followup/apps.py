from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "roster.followup"
    label = "followup"
