"""The API's side of the request-body limits (roster/web/request_limits.py).

Only a live token allowed to import may send an upload's worth to the API's upload
(IMPORT_MAX_UPLOAD_MB); anyone else, like every other request, is held to
REQUEST_MAX_BODY_MB. Both are answered 413 from the Content-Length, the body unread.
"""

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from roster.api.errors import ApiCode, error_body
from roster.api.models import Scope
from roster.api.tokens import bearer_secret, token_for

API_UPLOADS = {"/api/imports"}
MB = 1024 * 1024


def api_may_upload(request: HttpRequest) -> bool:
    token = token_for(bearer_secret(request.headers.get("Authorization", "")))
    return token is not None and Scope.IMPORT in token.scopes


def api_too_large(limit: int) -> JsonResponse:
    message = (
        f"The request is larger than this API accepts ({max(1, limit // MB)} MB); "
        f"an import's files may hold up to {settings.IMPORT_MAX_UPLOAD_MB} MB."
    )
    return JsonResponse(error_body(ApiCode.REQUEST_TOO_LARGE, message), status=413)
