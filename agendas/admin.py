from django import forms
from django.contrib import admin

from permanence.admin import ServiceAdmin, entered, save_inlines, saved_as

from . import services
from .models import (
    AgendaSection,
    Break,
    DocumentRequirement,
    Meeting,
    Panel,
    PanelMembership,
    RequestType,
)
from .services.meetings import MEETING_SETTINGS


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
class PanelAdmin(ServiceAdmin):
    """Changed through the panel services, which check the agenda fits the day and recompute
    the children's dates when a limit changes. Panels come from the councils' presets
    (`load_panel_presets`) and are never deleted, so they are not added or deleted here."""

    list_display = ["name", "slug", "cadence", "weekday", "start_time", "chair"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
    autocomplete_fields = ["chair", "deputy_chair"]
    inlines = [AgendaSectionInline, BreakInline, PanelMembershipInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.panel_update(panel=obj, **entered(form))

    def save_formset(self, request, form, formset, change):
        panel = form.instance
        if formset.model is AgendaSection:
            save_inlines(
                formset,
                create=lambda fields: services.agenda_section_create(panel=panel, **fields),
                update=lambda section, fields: services.agenda_section_update(
                    section=section, **fields
                ),
                delete=lambda section: services.agenda_section_delete(section=section),
            )
        elif formset.model is Break:
            save_inlines(
                formset,
                create=lambda fields: services.break_create(panel=panel, **fields),
                update=lambda pause, fields: services.break_update(pause=pause, **fields),
                delete=lambda pause: services.break_delete(pause=pause),
            )
        else:
            save_inlines(
                formset,
                create=lambda fields: services.panel_membership_create(panel=panel, **fields),
                update=lambda seat, fields: services.panel_membership_update(
                    membership=seat, **fields
                ),
                delete=lambda seat: services.panel_membership_delete(membership=seat),
            )


class DocumentOfRequestTypeForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # A request type's documents belong to its panel; the inline does not ask for it,
        # and the model's checks need it.
        self.instance.panel = cleaned["request_type"].panel
        return cleaned


class DocumentRequirementInline(admin.TabularInline):
    model = DocumentRequirement
    form = DocumentOfRequestTypeForm
    extra = 0
    fields = ["name", "required", "note", "order"]


@admin.register(RequestType)
class RequestTypeAdmin(ServiceAdmin):
    list_display = ["name", "panel", "default_section", "needs_senior_decision"]
    list_filter = ["panel"]
    search_fields = ["name"]
    inlines = [DocumentRequirementInline]

    def get_readonly_fields(self, request, obj=None):
        return ["panel"] if obj else []

    def save_model(self, request, obj, form, change):
        fields = entered(form)
        if change:
            services.request_type_update(request_type=obj, **fields)
        else:
            saved_as(obj, services.request_type_create(**fields))

    def save_formset(self, request, form, formset, change):
        request_type = form.instance
        save_inlines(
            formset,
            create=lambda fields: services.document_requirement_create(
                panel=request_type.panel, request_type=request_type, **fields
            ),
            update=lambda document, fields: services.document_requirement_update(
                document=document, **fields
            ),
            delete=lambda document: services.document_requirement_delete(document=document),
        )

    def delete_model(self, request, obj):
        services.request_type_delete(request_type=obj)


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(ServiceAdmin):
    list_display = ["name", "panel", "request_type", "required"]
    list_filter = ["panel", "required"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        return ["panel"] if obj else []

    def save_model(self, request, obj, form, change):
        fields = entered(form)
        if change:
            services.document_requirement_update(document=obj, **fields)
        else:
            saved_as(obj, services.document_requirement_create(**fields))

    def delete_model(self, request, obj):
        services.document_requirement_delete(document=obj)


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    """A meeting's day, times and place change through `meeting_update`, which moves its
    slots and tells its people. Meetings are scheduled from the panel's cadence and
    cancelled on the meeting's page, where its bookings move, so they are not added or
    deleted here, and the rest of a meeting is only shown."""

    list_display = ["panel", "date", "starts_at", "status"]
    list_filter = ["panel", "status"]
    date_hierarchy = "date"
    readonly_fields = [
        field.name
        for field in Meeting._meta.concrete_fields
        if not field.primary_key and field.name not in MEETING_SETTINGS
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.meeting_update(meeting=obj, **entered(form))
