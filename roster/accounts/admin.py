from django.contrib import admin

from roster.accounts.models import Account


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin[Account]):
    """Read-mostly view for platform staff; organizations manage their people in the portal."""

    list_display = [
        "email",
        "username",
        "first_name",
        "last_name",
        "role",
        "status",
        "organization",
    ]
    list_filter = ["role", "status", "organization"]
    search_fields = ["email", "username", "first_name", "last_name"]
    list_select_related = ["organization"]
    fields = [
        "organization",
        "role",
        "status",
        "first_name",
        "last_name",
        "email",
        "username",
        "phone",
        "is_staff",
        "is_superuser",
        "last_login",
        "created_at",
        "activated_at",
    ]
    readonly_fields = ["organization", "role", "last_login", "created_at", "activated_at"]
    show_full_result_count = False
