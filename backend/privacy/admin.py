"""The audit log in the admin: read only; entries expire through `lotse retention`."""

from django.contrib import admin

from backend.privacy.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "organisation", "username", "family_reference", "action", "channel"]
    list_filter = ["action", "channel", "organisation"]
    search_fields = ["username", "family_reference"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
