from django.db import models

from roster.orgs.models import Organization


class OutboxMessage(models.Model):
    """An email kept instead of sent: the embedded default's mailbox, shown per organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=998)
    from_email = models.CharField(max_length=254)
    to = models.TextField(help_text="Recipients, one per line.")
    body = models.TextField()
    html_body = models.TextField(blank=True, default="")
    raw = models.TextField(help_text="The whole RFC 5322 message as it would have been sent.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return self.subject
