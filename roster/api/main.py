"""The REST API's one NinjaAPI: its routers, its error shape, its OpenAPI document.

The document at /api/openapi.json is the contract. The docs page (Swagger UI) is off:
its assets would come from another origin, which the site's CSP refuses.
"""

from ninja import NinjaAPI

from roster.api import apply, imports, people, review
from roster.api.errors import install

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
api.add_router("", people.router)
