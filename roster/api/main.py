"""The REST API's one NinjaAPI: its routers, its error shape, its OpenAPI document.

The document at /api/openapi.json is the contract. The docs page (Swagger UI) is off:
its assets would come from another origin, which the site's CSP refuses.
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from roster.api import apply, history, imports, people, review
from roster.api.errors import ApiCode, error_body, install

api = NinjaAPI(
    title="Roster API",
    version="1",
    description="Imports and people of one organization, with a token made in its portal. "
    "See docs/api.md.",
    urls_namespace="api",
    docs_url=None,
)
install(api)
api.add_router("", imports.router)
api.add_router("", review.router)
api.add_router("", apply.router)
api.add_router("", history.router)
api.add_router("", people.router)


@csrf_exempt  # nothing to protect: it answers 404, whatever the method
def unknown(request: HttpRequest, *args: Any) -> JsonResponse:
    """Any other address under /api/ (an id that is not a number, a typo): JSON 404 too."""
    return JsonResponse(error_body(ApiCode.NOT_FOUND, "No such API address."), status=404)


patterns, app_name, namespace = api.urls
urls = ([*patterns, re_path(r"", unknown, name="unknown")], app_name, namespace)
