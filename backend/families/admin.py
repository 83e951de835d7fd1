from django.contrib import admin

from backend.families.models import (
    Absence,
    ConsentRecord,
    Enrolment,
    Family,
    Involvement,
    Participant,
    Presence,
)
from backend.lib.address_admin import AddressAdminMixin


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = [
        "kind",
        "first_name",
        "birth_year",
        "birth_month",
        "needs_child_seat",
        "needs_booster",
        "needs_wheelchair",
        "needs_escort",
    ]
    show_change_link = True


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    fields = ["purpose", "given_on", "withdrawn_on", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(Family)
class FamilyAdmin(AddressAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "organisation", "town", "location", "preferred_language"]
    list_filter = ["organisation", "coordinates_source", "preferred_language"]
    search_fields = ["reference", "contact_name", "town"]
    inlines = [ParticipantInline, ConsentInline]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["family", "purpose", "given_on", "withdrawn_on"]
    list_filter = ["purpose", "family__organisation"]
    search_fields = ["family__reference"]
    list_select_related = ["family"]


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    fields = ["offer", "joined_on", "left_on", "transport"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["first_name", "family", "kind", "birth_year", "needs_wheelchair"]
    list_filter = ["kind", "family__organisation", "needs_child_seat", "needs_wheelchair"]
    search_fields = ["first_name", "family__reference"]
    list_select_related = ["family"]
    inlines = [EnrolmentInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["participant", "offer", "joined_on", "left_on", "transport"]
    list_filter = ["transport", "offer__organisation", "offer"]
    search_fields = ["participant__first_name", "participant__family__reference", "offer__title"]
    list_select_related = ["participant", "offer"]
    date_hierarchy = "joined_on"
    readonly_fields = ["pickup_coordinates_source"]


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["participant", "session", "source", "reported_at"]
    list_filter = ["source", "session__offer__organisation"]
    search_fields = ["participant__first_name", "participant__family__reference"]
    list_select_related = ["participant", "session__offer"]
    readonly_fields = ["reported_by", "reported_at"]


@admin.register(Presence)
class PresenceAdmin(admin.ModelAdmin):
    list_display = ["participant", "session", "recorded_by", "recorded_at"]
    list_filter = ["session__offer__organisation"]
    search_fields = ["participant__first_name", "participant__family__reference"]
    list_select_related = ["participant", "session__offer", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Involvement)
class InvolvementAdmin(admin.ModelAdmin):
    """A family's plan of help (Hilfegebinde); recorded with the family's consent."""

    list_display = ["family", "name", "offer", "sector", "since"]
    list_filter = ["sector", "family__organisation"]
    search_fields = ["family__reference", "name"]
    list_select_related = ["family", "offer"]
    readonly_fields = ["recorded_by", "created_at"]
