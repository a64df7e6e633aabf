"""Error pages that say what the admin can do about it."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, e.g. a pasted text larger than the installation accepts (RequestDataTooBig)."""
    context = {"max_mb": settings.IMPORT_MAX_UPLOAD_MB}
    return render(request, "400.html", context, status=400)
