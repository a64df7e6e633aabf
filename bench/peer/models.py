"""The peer's model: a student with the fields the clean CSV carries, keyed by email."""

from django.db import models


class PeerStudent(models.Model):
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254, unique=True)
    phone = models.CharField(max_length=64, blank=True)

    class Meta:
        app_label = "peer"

    def __str__(self) -> str:
        return self.email
