from django.contrib import admin

from backend.fleet.models import Availability, Driver, Vehicle
from backend.lib import clock
from backend.lib.address_admin import AddressAdminMixin


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "organisation",
        "seats",
        "child_seats",
        "boosters",
        "wheelchair_places",
        "cost_per_km",
        "is_active",
    ]
    list_filter = ["organisation", "is_active"]
    search_fields = ["label"]


class AvailabilityInline(admin.TabularInline):
    model = Availability
    extra = 0


@admin.register(Driver)
class DriverAdmin(AddressAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "location",
        "vehicle",
        "certificate_date",
        "certificate",
        "is_active",
    ]
    list_filter = ["organisation", "is_active", "provides_escort"]
    search_fields = ["name", "town"]
    list_select_related = ["organisation", "vehicle"]
    autocomplete_fields = ["user"]
    inlines = [AvailabilityInline]

    @admin.display(description="Führungszeugnis")
    def certificate(self, driver: Driver) -> str:
        return driver.certificate_status(clock.today())


@admin.register(Availability)
class AvailabilityAdmin(admin.ModelAdmin):
    list_display = ["driver", "weekday", "start_time", "end_time"]
    list_filter = ["weekday", "driver__organisation"]
    search_fields = ["driver__name"]
