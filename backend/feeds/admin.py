"""Feed links in the admin: read-only, with a revoke action.

Links are created through the API or `lotse feedlink`, which show the token once; the
admin cannot show it, so it cannot create links either.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from backend.feeds import services
from backend.feeds.models import FeedLink
from backend.lib import clock


@admin.register(FeedLink)
class FeedLinkAdmin(admin.ModelAdmin):
    list_display = ["id", "organisation", "kind", "family", "driver", "token_hint", "created_at"]
    list_display += ["revoked_at"]
    list_filter = ["kind", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["token_hint", "family__reference", "driver__name", "organisation__slug"]
    list_select_related = ["organisation", "family", "driver"]
    readonly_fields = [f.name for f in FeedLink._meta.fields if f.name != "token_hash"]
    exclude = ["token_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Ausgewählte Links widerrufen"))
    def revoke(self, request, queryset) -> None:
        links = list(queryset.filter(revoked_at__isnull=True))
        for link in links:
            services.revoke_link(link, clock.now())
        self.message_user(
            request, _("%(n)d Links widerrufen.") % {"n": len(links)}, messages.SUCCESS
        )
