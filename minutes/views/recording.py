"""Recording the meeting as it happens: the running order, panel's decision for each child
and who attended. For the panel's chair or deputy and administrators."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from agendas import selectors as agendas_selectors
from agendas import services as agendas_services
from agendas.models import BookingStatus
from agendas.permissions import can_agree_agenda
from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors, error_links
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceButtonView
from tracker.flags import explain, raised
from tracker.selectors import child_for_page

from .. import selectors, services
from ..forms.recording import AttendanceRowForm, DecisionForm, action_forms
from ..models import ApprovalStatus
from ..permissions import can_record_decisions

# Session key: the drafts saved by the last POST, for the next page to tell the browser.
DRAFTS_SAVED = "minutes_drafts_saved"


def decision_draft_key(booking) -> str:
    return f"decision-{booking.pk}"


def attendance_draft_key(meeting) -> str:
    return f"attendance-{meeting.pk}"


class RecordingMixin(AuditedMixin, PermissionRequiredMixin):
    """The meeting from the URL, for those who record what panel decided.

    A meeting the user may not read is not found (404); one they may read but not record
    is refused (403).
    """

    audit_model = "agendas.Meeting"
    audit_child = None

    permission = can_record_decisions

    @cached_property
    def meeting(self):
        return selectors.meeting_for(
            self.request.user, slug=self.kwargs["slug"], pk=self.kwargs["pk"]
        )

    def permission_object(self):
        return self.meeting

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting,
            panel=self.meeting.panel,
            today=timezone.localdate(),
            drafts_saved=self.request.session.pop(DRAFTS_SAVED, []),
            **kwargs,
        )

    def draft_saved(self, key: str) -> None:
        self.request.session[DRAFTS_SAVED] = [key]

    def running_order_page(self):
        return redirect("decisions:running-order", self.meeting.panel.slug, self.meeting.pk)


class RunningOrderView(RecordingMixin, TemplateView):
    template_name = "minutes/running_order.html"

    def get_context_data(self, **kwargs):
        rows = selectors.running_order_rows(self.meeting)
        next_agenda = agendas_selectors.next_agenda(self.meeting)
        return super().get_context_data(
            rows=rows,
            recorded=sum(1 for row in rows if row["decision"]),
            first_undecided=next((row["booking"] for row in rows if not row["decision"]), None),
            minutes=selectors.minutes_of(self.meeting),
            tracking_sections=agendas_selectors.tracking_sections(self.meeting),
            next_agenda=next_agenda,
            may_agree_next_agenda=bool(
                next_agenda
                and next_agenda.meeting
                and not next_agenda.agreed
                and not self.meeting.is_cancelled
                and can_agree_agenda(self.request.user, self.meeting)
            ),
            **kwargs,
        )


class NextAgendaAgreeView(ServiceButtonView):
    """The running order's last section (Knowsley's Part 4): the chair agrees the next
    meeting's agenda at this one. `next_agenda_agree` refuses anyone but the chair or
    deputy, and says why it cannot be agreed."""

    @cached_property
    def meeting(self):
        return selectors.meeting_for(
            self.request.user, slug=self.kwargs["slug"], pk=self.kwargs["pk"]
        )

    def act(self):
        following = agendas_services.next_agenda_agree(
            meeting=self.meeting, chair=self.request.user
        )
        told = following.bookings.filter(status=BookingStatus.BOOKED).count()
        self.done_message = f"You agreed the agenda for {date_format(following.date)}. " + (
            f"Each child's social worker and team manager is told "
            f"({told} {'child' if told == 1 else 'children'})."
            if told
            else "No children are booked into it yet."
        )

    def done(self):
        page = redirect("decisions:running-order", self.kwargs["slug"], self.kwargs["pk"])
        page["Location"] += "#next-agenda"
        return page


class DecisionView(RecordingMixin, TemplateView):
    """Panel's decision for one child, with what the chair needs in front of them."""

    audit_model = "agendas.Booking"
    audit_kwarg = "booking"
    audit_child = "child"

    template_name = "minutes/decision_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.booking = None

    def get_booking(self):
        if self.booking is None:
            self.booking = get_object_or_404(
                selectors.running_order(self.meeting).prefetch_related(
                    agendas_selectors.previous_panel()
                ),
                pk=self.kwargs["booking"],
            )
        return self.booking

    @property
    def decision(self):
        return getattr(self.get_booking(), "decision", None)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(
                form=DecisionForm(
                    meeting=self.meeting, decision=self.decision, booking=self.get_booking()
                ),
                actions_to_add=action_forms(),
            )
        )

    def post(self, request, *args, **kwargs):
        booking = self.get_booking()
        form = DecisionForm(
            request.POST, meeting=self.meeting, decision=self.decision, booking=booking
        )
        rows = action_forms(request.POST)
        valid = form.is_valid()
        valid = all([row.is_valid() for row in rows]) and valid
        if valid:
            try:
                decision = self.record(form, [row for row in rows if row.is_filled])
            except ValidationError as error:
                add_service_errors(form, error)
            except _ActionRefused:
                pass
            else:
                messages.success(request, _saved_message(decision))
                self.draft_saved(decision_draft_key(booking))
                if "next" in request.POST:
                    return self.next_page()
                return redirect(
                    "decisions:decision", self.meeting.panel.slug, self.meeting.pk, booking.pk
                )
        return self.render_to_response(
            self.get_context_data(form=form, actions_to_add=rows), status=200
        )

    def record(self, form, rows):
        """The decision and its new actions: all of them, or none."""
        with transaction.atomic():
            decision = services.decision_record(
                booking=self.get_booking(), recorded_by=self.request.user, **form.service_fields()
            )
            for row in rows:
                try:
                    services.action_add(decision=decision, **row.service_fields())
                except ValidationError as error:
                    add_service_errors(row, error)
                    raise _ActionRefused from error
        return decision

    def next_page(self):
        order = list(selectors.running_order(self.meeting).values_list("pk", flat=True))
        position = order.index(self.booking.pk) if self.booking.pk in order else len(order)
        if position + 1 < len(order):
            return redirect(
                "decisions:decision", self.meeting.panel.slug, self.meeting.pk, order[position + 1]
            )
        return self.running_order_page()

    def get_context_data(self, **kwargs):
        booking = self.get_booking()
        decision = self.decision
        today = timezone.localdate()
        child = child_for_page(self.request.user, pk=booking.child_id, as_of=today)
        order = list(selectors.running_order(self.meeting).values_list("pk", flat=True))
        form, rows = kwargs["form"], kwargs["actions_to_add"]
        checklist = agendas_selectors.submission_checklist(booking)
        return super().get_context_data(
            booking=booking,
            child=child,
            as_of=today,
            flags=[(flag, explain(flag, child, today)) for flag in raised(child)],
            decision=decision,
            actions=decision.actions.select_related("owner") if decision else [],
            checklist=checklist,
            contributions=agendas_selectors.contributions_of(booking),
            submission=getattr(booking, "submission", None),
            documents=booking.documents.select_related("requirement").order_by("-uploaded_at"),
            due_date=agendas_selectors.submission_due_date(self.meeting),
            late=agendas_selectors.submission_is_late(booking, today=today, checklist=checklist),
            verbal_update=agendas_selectors.nothing_to_send(checklist),
            may_edit_submission=False,
            position=order.index(booking.pk) + 1,
            count=len(order),
            is_last=order[-1] == booking.pk,
            too_early=self.meeting.date > today,
            minutes=selectors.minutes_of(self.meeting),
            errors=error_links(form, *rows),
            draft_key=decision_draft_key(booking),
            **kwargs,
        )


class _ActionRefused(Exception):
    """A new action was refused: its row shows why, and the decision is not saved."""


def _saved_message(decision) -> str:
    parts = [f"Panel's decision for {decision.booking.child.full_name} is recorded."]
    forward = decision.forward_booking
    if forward is not None:
        if forward.status == BookingStatus.BOOKED and forward.meeting:
            parts.append(f"Booked into {date_format(forward.meeting.date)}.")
        else:
            parts.append(
                f"No meeting on or after {date_format(decision.by_date)} had room, so the child "
                "is on the waiting list for the administrator to book."
            )
    if decision.approval_status == ApprovalStatus.AWAITING:
        who = decision.booking.panel.senior_decision_maker or "a senior officer"
        parts.append(f"It now waits for the decision of {_the(who)}.")
    return " ".join(parts)


def _the(who: str) -> str:
    return who if who.lower().startswith(("a ", "an ", "the ")) else f"the {who}"


class AttendanceView(RecordingMixin, TemplateView):
    """Who sat in each of the panel's seats at this meeting."""

    template_name = "minutes/attendance_form.html"

    def seat_forms(self, data=None) -> list[AttendanceRowForm]:
        recorded = {row.role_on_panel: row for row in self.meeting.attendance.all()}
        seats = []
        for membership in self.meeting.panel.memberships.select_related("user"):
            row = recorded.get(membership.role_on_panel)
            initial = (
                {
                    "status": row.status,
                    "representative_name": row.representative_name,
                    "representative_role": row.representative_role,
                }
                if row
                else {}
            )
            seats.append(AttendanceRowForm(data, membership=membership, initial=initial))
        return seats

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(seats=self.seat_forms()))

    def post(self, request, *args, **kwargs):
        seats = self.seat_forms(request.POST)
        page = forms.Form(data={})  # carries a refusal that belongs to no one seat
        page.is_valid()
        if all([seat.is_valid() for seat in seats]):
            rows = [row for row in (seat.service_row() for seat in seats) if row]
            try:
                services.attendance_record(meeting=self.meeting, rows=rows)
            except ValidationError as error:
                add_service_errors(page, error)
            else:
                messages.success(request, "Attendance is saved.")
                self.draft_saved(attendance_draft_key(self.meeting))
                return self.running_order_page()
        return self.render_to_response(self.get_context_data(seats=seats, page_form=page))

    def get_context_data(self, **kwargs):
        seats = kwargs["seats"]
        page = kwargs.pop("page_form", None)
        return super().get_context_data(
            errors=error_links(*([page] if page else []), *seats),
            draft_key=attendance_draft_key(self.meeting),
            **kwargs,
        )
