from django.contrib import admin

from .models import (
    AgendaSection,
    Break,
    DocumentRequirement,
    Meeting,
    Panel,
    PanelMembership,
    RequestType,
)


class AgendaSectionInline(admin.StackedInline):
    model = AgendaSection
    extra = 0


class BreakInline(admin.TabularInline):
    model = Break
    extra = 0


class PanelMembershipInline(admin.TabularInline):
    model = PanelMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "cadence", "weekday", "start_time", "chair"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
    autocomplete_fields = ["chair", "deputy_chair"]
    inlines = [AgendaSectionInline, BreakInline, PanelMembershipInline]


class DocumentRequirementInline(admin.TabularInline):
    model = DocumentRequirement
    extra = 0
    fields = ["name", "required", "note", "order"]


@admin.register(RequestType)
class RequestTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "panel", "default_section", "needs_senior_decision"]
    list_filter = ["panel"]
    search_fields = ["name"]
    inlines = [DocumentRequirementInline]

    def save_formset(self, request, form, formset, change):
        # A request type's documents belong to its panel; the inline does not ask for it.
        for document in formset.save(commit=False):
            document.panel = form.instance.panel
            document.save()
        for document in formset.deleted_objects:
            document.delete()


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(admin.ModelAdmin):
    list_display = ["name", "panel", "request_type", "required"]
    list_filter = ["panel", "required"]
    search_fields = ["name"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["panel", "date", "starts_at", "status"]
    list_filter = ["panel", "status"]
    date_hierarchy = "date"
