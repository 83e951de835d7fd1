from django.contrib import admin

from backend.lib.address_admin import AddressAdminMixin
from backend.offers.models import Attendance, ClosurePeriod, GroupOffer, Session, Venue


@admin.register(Venue)
class VenueAdmin(AddressAdminMixin, admin.ModelAdmin):
    list_display = ["name", "town", "organisation", "location"]
    list_filter = ["organisation", "town"]
    search_fields = ["name", "town", "street"]


@admin.register(ClosurePeriod)
class ClosurePeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    date_hierarchy = "start_date"


@admin.register(GroupOffer)
class GroupOfferAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "venue",
        "audience",
        "schedule_summary",
        "first_date",
        "last_date",
        "registration_required",
    ]
    list_filter = ["organisation", "audience", "registration_required", "holiday_region"]
    search_fields = ["title", "calendar_title", "venue__name", "venue__town"]
    list_select_related = ["organisation", "venue"]
    autocomplete_fields = ["venue", "paired_offer"]
    readonly_fields = ["schedule_summary", "created_at", "updated_at"]

    @admin.display(description="Rhythmus")
    def schedule_summary(self, offer: GroupOffer) -> str:
        return offer.schedule_summary if offer.start_time else ""  # empty on the add page


class AttendanceInline(admin.StackedInline):
    model = Attendance
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["offer", "starts_at", "venue", "status", "sequence"]
    list_filter = ["status", "offer__organisation", "offer"]
    search_fields = ["offer__title", "cancel_reason"]
    date_hierarchy = "starts_at"
    list_select_related = ["offer", "venue"]
    # Moving or cancelling must raise `sequence`: use the API or these fields with care.
    readonly_fields = ["occurrence_date", "sequence", "created_at", "updated_at"]
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "children", "adults", "walk_ins"]
    list_filter = ["session__offer__organisation", "session__offer"]
    search_fields = ["session__offer__title"]
    list_select_related = ["session__offer"]
