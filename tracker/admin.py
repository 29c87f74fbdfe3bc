from django.contrib import admin

from permanence.admin import ServiceAdmin, entered, saved_as

from . import services
from .models import DERIVED_DATE_FIELDS, Child


@admin.register(Child)
class ChildAdmin(ServiceAdmin):
    """Added and changed through the tracker's services, which store the derived dates the
    flags compare. A child is never deleted: their bookings, decisions and history refer to
    them, and they leave the tracker when permanence is secured."""

    list_display = ["case_number", "last_name", "first_name", "team", "social_worker", "panel"]
    list_filter = ["team", "panel", "legal_status"]
    search_fields = ["case_number", "first_name", "last_name"]
    autocomplete_fields = ["social_worker", "team_manager", "team"]
    readonly_fields = DERIVED_DATE_FIELDS

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            services.child_update(child=obj, changed_by=request.user, **entered(form))
        else:
            saved_as(obj, services.child_create(changed_by=request.user, **entered(form)))
