"""Every refusal of the API as JSON `{"code", "message"}` with a stable code.

The command line's codes (roster/cli/output.py FailureCode) and the readers' codes
(ReadErrorCode) keep their names here; the API adds the few that only HTTP has.
"""

from enum import StrEnum
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ApiCode(StrEnum):
    UNAUTHORIZED = "unauthorized"  # no token, an unknown one, or a revoked one
    FORBIDDEN = "forbidden"  # the token lacks the scope
    NOT_FOUND = "not_found"  # unknown, or another organization's
    INVALID_REQUEST = "invalid_request"  # the request's shape (422) or body (400)
    INVALID_PERSON = "invalid_person"  # a person the field catalogue refuses
    REFUSED_CHANGE = "refused_change"  # the import cannot take this change (jobs.EditError)
    NOT_READY = "not_ready"  # not checked yet, a tab's role missing, not applied yet
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    REQUEST_IN_PROGRESS = "request_in_progress"
    REQUEST_TOO_LARGE = "request_too_large"
    RATE_LIMITED = "rate_limited"


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[dict[str, Any]] | None = None


class ApiError(HttpError):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(status, message)
        self.code = code
        self.extra = extra


class RateLimited(ApiError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429, ApiCode.RATE_LIMITED, f"Too many calls with this token; retry in {retry_after} s."
        )
        self.retry_after = retry_after


def not_found(what: str = "No such object in your organization.") -> ApiError:
    return ApiError(404, ApiCode.NOT_FOUND, what)


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": str(code), "message": " ".join(message.split()), **extra}


# The refusals every operation may answer besides its own (schemathesis checks each one
# is in the document); 413: any body over the request limit, refused unread.
COMMON = (400, 401, 403, 404, 413, 422, 429)


def responses(ok: dict[int, Any], *more: int) -> dict[int, Any]:
    return {**ok, **dict.fromkeys((*COMMON, *more), ErrorOut)}


def install(api: NinjaAPI) -> None:
    """The API's exception handlers: one JSON shape for every refusal."""

    def answer(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    # ninja's handler type also admits the exception's class; only instances arrive.
    def api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        response = answer(request, exc.status_code, error_body(exc.code, exc.message, **exc.extra))
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            message = "Send a live API token: Authorization: Bearer roster_…"
            response = answer(request, 401, error_body(ApiCode.UNAUTHORIZED, message))
            response["WWW-Authenticate"] = "Bearer"
            return response
        return answer(request, exc.status_code, error_body(ApiCode.INVALID_REQUEST, exc.message))

    def validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg"))}
            for error in exc.errors
        ]
        body = error_body(ApiCode.INVALID_REQUEST, "The request is not valid.", errors=errors)
        return answer(request, 422, body)

    def missing(request: HttpRequest, exc: Any) -> HttpResponse:
        return answer(request, 404, error_body(ApiCode.NOT_FOUND, "Not found."))

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(Http404, missing)
