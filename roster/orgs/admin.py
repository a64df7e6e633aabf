from django.contrib import admin
from django.http import HttpRequest

from roster.orgs.models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    """Platform staff create organizations here or with `roster org create`."""

    list_display = ["name", "slug", "default_region", "undo_window_days", "is_active", "created_at"]
    search_fields = ["name", "slug"]
    list_filter = ["is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Organization | None = None) -> bool:
        # Deleting a tenant deletes every account in it; that is an operation, not a click.
        return False
