from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect

from . import services
from .models import AuditEntry, ClosureDay, Team, User
from .roles import Role


class ServiceAdmin(admin.ModelAdmin):
    """An admin that writes only through the app's services, as the pages do, so an edit here
    keeps the same rules and does the same follow-on work (HackSoft's styleguide: one write
    path). Its `save_model`, `save_formset`, `delete_model` and `delete_queryset` call the
    services; what no service writes is read-only.

    A service's refusal undoes everything the save did and is shown as an error message on
    the page it came from, instead of a server error.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        return self._refusal_shown(request, view, request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._refusal_shown(request, super().delete_view, request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Where the bulk "delete selected" action runs.
        return self._refusal_shown(request, super().changelist_view, request, extra_context)

    def delete_queryset(self, request, queryset):
        # "Delete selected" removes each one through `delete_model`, so through its service.
        for obj in queryset:
            self.delete_model(request, obj)

    def _refusal_shown(self, request, view, *args):
        try:
            with transaction.atomic():
                return view(*args)
        except ValidationError as refusal:
            for message in refusal.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def entered(form, *, leave_out=()) -> dict:
    """What an admin form holds for a service, by model field: every field for something
    new, only the changed ones for something that exists. `leave_out` names fields the
    service takes separately, such as an inline's parent."""
    model = form._meta.model
    fields = {field.name for field in model._meta.concrete_fields} - {model._meta.pk.name}
    names = form.changed_data if form.instance.pk else form.cleaned_data
    return {name: form.cleaned_data[name] for name in names if name in fields - set(leave_out)}


def save_inlines(formset, *, create, update, delete) -> None:
    """Each row of an inline formset through a service, in the order `formset.save()` takes
    them: `update(obj, fields)` or `delete(obj)` for the rows there already, then
    `create(fields)`, which returns the new object, for the new ones. Notes what changed
    where `formset.save()` would, for the admin's history."""
    parent = {formset.fk.name}
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.initial_forms:
        if form in formset.deleted_forms:
            delete(form.instance)
            formset.deleted_objects.append(form.instance)
        elif form.has_changed():
            update(form.instance, entered(form, leave_out=parent))
            formset.changed_objects.append((form.instance, form.changed_data))
    for form in formset.extra_forms:
        if form.has_changed() and form not in formset.deleted_forms:
            formset.new_objects.append(create(entered(form, leave_out=parent)))


def saved_as(obj, saved) -> None:
    """The admin goes on (logging, redirecting) with the object its form built: make it the
    row a create service saved."""
    obj.__dict__.update(saved.__dict__)


@admin.register(User)
class UserAdmin(ServiceAdmin, DjangoUserAdmin):
    """People are added, changed, deactivated and reactivated as on the People pages. They
    are never deleted: the history keeps a leaver's name. Admin access itself (staff,
    superuser) is given with `manage.py createsuperuser`, not here."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "team", "is_active"]
    list_filter = ["groups", "team", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "job_title", "team"]}),
        ("Roles and access", {"fields": ["is_active", "groups", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = form.cleaned_data
        if not change:
            password = fields["password1"] if fields["set_usable_password"] else None
            user = services.user_create(
                email=fields["email"], first_name="", last_name="", password=password
            )
            saved_as(obj, user)
            return
        services.user_update(
            user=obj,
            by=request.user,
            email=fields["email"],
            first_name=fields["first_name"],
            last_name=fields["last_name"],
            roles=[group.name for group in fields["groups"] if group.name in Role.values],
            team=fields["team"],
            job_title=fields["job_title"],
        )
        if "is_active" in form.changed_data:
            # The form has already set is_active on `obj`: the services read the stored row.
            stored = User.objects.get(pk=obj.pk)
            if obj.is_active:
                services.user_reactivate(user=stored)
            else:
                services.user_deactivate(user=stored, by=request.user)

    def save_related(self, request, form, formsets, change):
        """The roles (groups) were set by `user_update`."""


@admin.register(Team)
class TeamAdmin(ServiceAdmin):
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        if change:
            services.team_rename(team=obj, name=form.cleaned_data["name"])
        else:
            saved_as(obj, services.team_create(name=form.cleaned_data["name"]))

    def delete_model(self, request, obj):
        services.team_delete(team=obj)


@admin.register(ClosureDay)
class ClosureDayAdmin(ServiceAdmin):
    """Added and removed as on the closure days page, which checks the day and recomputes
    every child's dates. A wrong one is removed and added again, so it is not changed here."""

    list_display = ["date", "description"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved_as(obj, services.closure_day_create(**entered(form)))

    def delete_model(self, request, obj):
        services.closure_day_delete(closure_day=obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit, to read: nothing here adds, changes or removes an entry (the audit page,
    /audit/, is where administrators search it)."""

    list_display = ("at", "username", "action", "label", "case_number", "ip_address")
    list_filter = ("action",)
    search_fields = ("=case_number", "username")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
