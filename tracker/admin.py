from django.contrib import admin

from .models import Child


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["case_number", "last_name", "first_name", "team", "social_worker", "panel"]
    list_filter = ["team", "panel", "legal_status"]
    search_fields = ["case_number", "first_name", "last_name"]
    autocomplete_fields = ["social_worker", "team_manager", "team"]
