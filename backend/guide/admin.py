from django.contrib import admin

from backend.guide.models import Poster


@admin.register(Poster)
class PosterAdmin(admin.ModelAdmin):
    list_display = ["headline", "organisation", "updated_at"]
