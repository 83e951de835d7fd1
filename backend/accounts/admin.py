"""API tokens and invitations in the admin: read-only lists; deleting a token revokes it.

Both carry a secret that is shown once by the API, so the admin creates neither.
"""

from django.contrib import admin

from backend.accounts.models import ApiToken, Invitation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["hint", "user", "name", "created_at", "expires_at", "last_used_at"]
    search_fields = ["user__username", "name", "hint"]
    list_select_related = ["user"]
    exclude = ["key_hash"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["hint", "organisation", "role", "email", "created_at", "expires_at"]
    list_display += ["accepted_at", "revoked_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["email", "hint", "organisation__slug"]
    exclude = ["token_hash"]
