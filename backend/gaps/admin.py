from django.contrib import admin

from backend.gaps.models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "ags", "organisation", "children_0_17", "figures_date"]
    list_filter = ["organisation"]
    search_fields = ["name", "ags"]
