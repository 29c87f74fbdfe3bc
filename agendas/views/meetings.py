from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView

from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceFormMixin

from .. import selectors, services
from ..forms import MeetingCancelForm, MeetingForm, MeetingThemeForm, ScheduleMeetingsForm
from ..models import Meeting, MeetingStatus, Panel
from ..permissions import can_book, can_download_pack, can_give_theme, can_set_up_panels


class ScheduleMeetingsView(PermissionRequiredMixin, FormView):
    """Administrators create a run of meetings from the panel's cadence and see what to move."""

    permission = can_set_up_panels
    template_name = "agendas/schedule_meetings.html"
    form_class = ScheduleMeetingsForm

    def dispatch(self, request, *args, **kwargs):
        self.panel = get_object_or_404(Panel, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(panel=self.panel, **kwargs)

    def form_valid(self, form):
        try:
            result = services.meetings_schedule(panel=self.panel, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        # The result stays on the page: the dates to move need the administrator's eye.
        return self.render_to_response(self.get_context_data(form=form, result=result))


class MeetingDetailView(AuditedMixin, DetailView):
    """The administrator's working page for one meeting: deadlines, slots and bookings."""

    audit_model = "agendas.Meeting"
    audit_child = None

    template_name = "agendas/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return selectors.visible_meeting(
            self.request.user, slug=self.kwargs["slug"], pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        meeting = self.object
        today = timezone.localdate()
        return super().get_context_data(
            deadlines=selectors.meeting_deadlines(meeting),
            today=today,
            agenda=selectors.agenda(meeting, today=today),
            can_edit=can_set_up_panels(self.request.user)
            and meeting.status == MeetingStatus.SCHEDULED,
            can_book=can_book(self.request.user)
            and meeting.status == MeetingStatus.SCHEDULED
            and not meeting.has_been_held(today),
            may_download_pack=can_download_pack(self.request.user, meeting),
            pack=selectors.latest_pack(meeting),
            money=selectors.approved_totals(meeting),
            **kwargs,
        )


class MeetingChangeMixin(PermissionRequiredMixin, ServiceFormMixin):
    permission = can_set_up_panels

    def dispatch(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("panel"), panel__slug=kwargs["slug"], pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def done(self):
        return redirect("agendas:meeting", self.meeting.panel.slug, self.meeting.pk)


class MeetingUpdateView(MeetingChangeMixin, FormView):
    template_name = "agendas/meeting_form.html"
    form_class = MeetingForm
    done_message = "The meeting is changed."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting}

    def change(self, fields):
        services.meeting_update(meeting=self.meeting, **fields)


class MeetingCancelView(MeetingChangeMixin, FormView):
    template_name = "agendas/meeting_cancel.html"
    form_class = MeetingCancelForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def change(self, fields):
        result = services.meeting_cancel(
            meeting=self.meeting,
            reason=fields["reason"],
            move_bookings_to=fields.get("move_bookings_to"),
        )
        self.done_message = " ".join(
            part
            for part in (
                "The meeting is cancelled.",
                _count(result.moved, "moved to the meeting you chose"),
                _count(result.waiting, "put on the waiting list"),
            )
            if part
        )


class MeetingThemeView(PermissionRequiredMixin, ServiceFormMixin, FormView):
    """The chair gives the month's theme, asked for from My tasks and by email; saved as
    any change to the meeting is."""

    permission = can_give_theme
    template_name = "agendas/meeting_theme.html"
    form_class = MeetingThemeForm
    done_message = "The theme is saved. The agenda shows it."

    @cached_property
    def meeting(self):
        return selectors.visible_meeting(
            self.request.user, slug=self.kwargs["slug"], pk=self.kwargs["pk"]
        )

    def permission_object(self):
        return self.meeting

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def change(self, fields):
        services.meeting_update(meeting=self.meeting, theme=fields["theme"])

    def done(self):
        return redirect("agendas:agenda", self.meeting.panel.slug, self.meeting.pk)


def _count(bookings, what: str) -> str:
    if not bookings:
        return ""
    return f"{len(bookings)} {'booking' if len(bookings) == 1 else 'bookings'} {what}."
