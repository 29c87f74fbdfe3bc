from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DeleteView, FormView, TemplateView
from django_tables2 import RequestConfig

from . import outbox, pages, selectors, services, signals
from .audit import AuditedMixin
from .forms import (
    ClosureDayForm,
    PeopleFilterForm,
    PersonForm,
    add_service_errors,
)
from .jobs.selectors import job_working
from .jobs.views import followed
from .models import ClosureDay, Notification, NotificationStatus, User
from .permissions import (
    PermissionRequiredMixin,
    can_manage_closure_days,
    can_manage_people,
    can_read_outbox,
)
from .roles import Role
from .service_views import ServiceButtonView
from .signin import selectors as signin_selectors
from .signin import services as signin_services
from .tables import ClosureDayTable


class HomeView(TemplateView):
    template_name = "permanence/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        role_labels = sorted(Role(role).label for role in user.roles)
        needs_a_seat = (
            user.roles & {Role.CHAIR, Role.PANEL_MEMBER}
            and not user.has_any_role(Role.ADMINISTRATOR, Role.SENIOR_MANAGER)
            and not selectors.sits_on_a_panel(user)
        )
        return super().get_context_data(
            role_labels=role_labels, needs_a_seat=needs_a_seat, **kwargs
        )


@login_not_required
def health(request):
    """For load balancers and the people on call: 200 when the database answers."""
    health = selectors.system_health()
    last_seen = health["worker_last_seen"]
    body = {**health, "worker_last_seen": last_seen.isoformat() if last_seen else None}
    return JsonResponse(body, status=200 if health["database"] == "ok" else 503)


@login_not_required
def favicon(request):
    return redirect(static("build/govuk/assets/images/favicon.ico"), permanent=True)


# The tracker recomputes every child's dates after a closure day changes (tracker/jobs.py);
# named by its kind, as this layer does not import the tracker.
DATES_RECOMPUTE = "tracker.recompute_dates"


def _recompute_followed(text: str) -> str:
    what = "Children's dates are being recomputed"
    return followed(text, job_working(DATES_RECOMPUTE), what=what)


class ClosureDayListView(PermissionRequiredMixin, FormView):
    permission = can_manage_closure_days
    template_name = "permanence/closure_days.html"
    form_class = ClosureDayForm
    success_url = reverse_lazy("closure-days")

    def get_context_data(self, **kwargs):
        table = ClosureDayTable(ClosureDay.objects.all())
        RequestConfig(self.request).configure(table)
        return super().get_context_data(table=table, **kwargs)

    def form_valid(self, form):
        try:
            day = services.closure_day_create(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        text = f"{date_format(day.date)} is now a closure day."
        messages.success(self.request, _recompute_followed(text))
        return redirect(self.success_url)


class ClosureDayDeleteView(PermissionRequiredMixin, DeleteView):
    permission = can_manage_closure_days
    model = ClosureDay
    template_name = "permanence/closure_day_confirm_delete.html"
    success_url = reverse_lazy("closure-days")

    def form_valid(self, form):
        services.closure_day_delete(closure_day=self.object)
        text = f"{date_format(self.object.date)} is a working day again."
        messages.success(self.request, _recompute_followed(text))
        return redirect(self.success_url)


# How far back the outbox looks unless asked to look further: the emails someone needs to
# act on are recent ones, and the page costs the same whichever is chosen.
OUTBOX_WRITTEN_WITHIN = {
    "7": "in the last 7 days",
    "30": "in the last 30 days",
    "365": "in the last 12 months",
    "any": "at any time",
}
OUTBOX_WRITTEN_DEFAULT = "30"
OUTBOX_PAGE_SIZE = 50


class OutboxView(AuditedMixin, PermissionRequiredMixin, TemplateView):
    """The emails the service has written, newest first: what went, what waits, what failed."""

    permission = can_read_outbox
    template_name = "permanence/outbox.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET
        status = query.get("status", "")
        if status not in NotificationStatus.values:
            status = ""
        written = query.get("written", OUTBOX_WRITTEN_DEFAULT)
        if written not in OUTBOX_WRITTEN_WITHIN:
            written = OUTBOX_WRITTEN_DEFAULT
        since = None if written == "any" else timezone.now() - timedelta(days=int(written))
        page = pages.newest_first(
            selectors.outbox(status=status, since=since),
            time_field="created_at",
            size=OUTBOX_PAGE_SIZE,
            older=query.get("older", ""),
            newer=query.get("newer", ""),
        )
        counts = selectors.outbox_counts(since=since)
        return super().get_context_data(
            page=page,
            status=status,
            status_label=NotificationStatus(status).label if status else "",
            written=written,
            window=OUTBOX_WRITTEN_WITHIN[written],
            windows=OUTBOX_WRITTEN_WITHIN.items(),
            # Sent emails are nearly all of them, so they are not counted.
            statuses=[
                (value, label, counts.get(value)) for value, label in NotificationStatus.choices
            ],
            counted_up_to=pages.COUNTED_UP_TO,
            **kwargs,
        )


class NotificationView(AuditedMixin, PermissionRequiredMixin, TemplateView):
    """One email as it was sent, with a button to send it again."""

    audit_model = "permanence.Notification"
    audit_child = None

    permission = can_read_outbox
    template_name = "permanence/notification.html"

    def get_context_data(self, **kwargs):
        notification = get_object_or_404(Notification, pk=self.kwargs["pk"])
        return super().get_context_data(notification=notification, **kwargs)

    def post(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk)
        outbox.notification_resend(notification=notification)
        messages.success(request, f"The email to {notification.to} is queued to send again.")
        return redirect("notification", pk)


# People: administrators add, change and deactivate accounts ---------------------------------


def _holdings(person) -> list[str]:
    """What the person holds in the apps above (their panel seats), in sentences."""
    return [
        line for _, lines in signals.person_holds.send(sender=User, user=person) for line in lines
    ]


class PeopleListView(PermissionRequiredMixin, TemplateView):
    permission = can_manage_people
    template_name = "permanence/people.html"

    def get_context_data(self, **kwargs):
        form = PeopleFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        found = selectors.people(
            search=filters.get("q", ""),
            role=filters.get("role", ""),
            status=filters.get("status") or "active",
        )
        page = Paginator(found, 50).get_page(self.request.GET.get("page"))
        for person in page:
            person.role_labels = selectors.role_labels(person)
        return super().get_context_data(form=form, page=page, **kwargs)


class PersonFormMixin(PermissionRequiredMixin):
    permission = can_manage_people
    form_class = PersonForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit": self.submit}

    def form_valid(self, form):
        try:
            person = self.save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done_message.format(person=person))
        return redirect("person", person.pk)


class PersonCreateView(PersonFormMixin, FormView):
    template_name = "permanence/person_form.html"
    submit = "Add person"
    done_message = "{person} is added. They have been emailed a link to set their password."

    def save(self, fields):
        return services.user_create(**fields)


class PersonUpdateView(PersonFormMixin, FormView):
    """A person's details, roles and seats, with the way to deactivate a leaver."""

    template_name = "permanence/person.html"
    submit = "Save changes"
    done_message = "{person}: changes saved."

    @cached_property
    def person(self):
        return get_object_or_404(User.objects.select_related("team"), pk=self.kwargs["pk"])

    def get_initial(self):
        person = self.person
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "job_title": person.job_title,
            "roles": sorted(person.roles),
            "team": person.team,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            holdings=_holdings(self.person),
            sign_in_failures=signin_selectors.sign_in_failures(self.person),
            has_two_factor=signin_selectors.has_two_factor(self.person),
            **kwargs,
        )

    def save(self, fields):
        return services.user_update(user=self.person, by=self.request.user, **fields)


class PersonDeactivateView(PermissionRequiredMixin, TemplateView):
    """Asks first, naming the seats the leaver will give up."""

    permission = can_manage_people
    template_name = "permanence/person_deactivate.html"

    @cached_property
    def person(self):
        return get_object_or_404(User, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person, holdings=_holdings(self.person), **kwargs
        )

    def post(self, request, pk):
        try:
            services.user_deactivate(user=self.person, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("person", pk)
        messages.success(
            request,
            f"{self.person} is deactivated: they can no longer sign in, and their seats on "
            "panels are free.",
        )
        return redirect("person", pk)


class PersonReactivateView(PermissionRequiredMixin, View):
    permission = can_manage_people

    def post(self, request, pk):
        person = get_object_or_404(User, pk=pk)
        try:
            services.user_reactivate(user=person)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"{person} can sign in again. Give them back any seats.")
        return redirect("person", pk)


class PersonUnlockView(PermissionRequiredMixin, ServiceButtonView):
    """Lets a locked-out person sign in again at once, rather than after the cool-off."""

    permission = can_manage_people

    @cached_property
    def person(self):
        return get_object_or_404(User, pk=self.kwargs["pk"])

    @property
    def done_message(self):
        return f"{self.person} can try to sign in again now."

    def act(self):
        signin_services.sign_in_unlock(user=self.person)

    def done(self):
        return redirect("person", self.person.pk)


class PersonTwoFactorResetView(PermissionRequiredMixin, ServiceButtonView):
    """For someone who has lost their phone and their recovery codes."""

    permission = can_manage_people

    @cached_property
    def person(self):
        return get_object_or_404(User, pk=self.kwargs["pk"])

    @property
    def done_message(self):
        return (
            f"{self.person}'s two-factor sign-in is reset and they are signed out. They set "
            "it up again when they next sign in."
        )

    def act(self):
        signin_services.two_factor_reset(user=self.person, by=self.request.user)

    def done(self):
        return redirect("person", self.person.pk)
