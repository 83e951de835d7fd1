from django.contrib import admin

from backend.district.models import Partner, RegisterOffer
from backend.lib.address_admin import AddressAdminMixin


@admin.register(RegisterOffer)
class RegisterOfferAdmin(AddressAdminMixin, admin.ModelAdmin):
    list_display = ["name", "sector", "provider_name", "town", "organisation"]
    list_filter = ["organisation", "sector", "town"]
    search_fields = ["name", "provider_name", "town"]


@admin.register(Partner)
class PartnerAdmin(AddressAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "town", "organisation"]
    list_filter = ["organisation", "kind", "sector", "town"]
    search_fields = ["name", "town"]
    filter_horizontal = ["register_offers", "lotse_offers"]
