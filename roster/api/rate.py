"""Each token's calls per minute, counted in the database (API_RATE_PER_MINUTE).

A counter shared by every web process without a cache server: one row per token
(ApiRateWindow), a fixed one-minute window. A call within the window is one conditional
UPDATE that counts it only while under the limit; the first call of a new window starts
it, and records the token's last use: so `last_used_at` costs one write a minute at most.
"""

from datetime import datetime, timedelta
from math import ceil

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from roster.api.models import ApiRateWindow, ApiToken

WINDOW = timedelta(minutes=1)


def take_call(token: ApiToken, now: datetime | None = None) -> int:
    """Count one call; 0 when it is allowed, else the seconds until the window ends."""
    now = now or timezone.now()
    windows = ApiRateWindow.objects.filter(organization_id=token.organization_id, token=token)
    limit = settings.API_RATE_PER_MINUTE
    for _ in range(2):  # a new window started by another call between the two UPDATEs
        if windows.filter(started_at__gt=now - WINDOW, calls__lt=limit).update(
            calls=F("calls") + 1
        ):
            return 0
        if windows.filter(started_at__lte=now - WINDOW).update(started_at=now, calls=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            return 0
    started = windows.values_list("started_at", flat=True).first()
    if started is None:  # a token made before its window: start one
        ApiRateWindow.objects.get_or_create(
            organization_id=token.organization_id, token=token, defaults={"started_at": now}
        )
        return 0
    return max(1, ceil((started + WINDOW - now).total_seconds()))
