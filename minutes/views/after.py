"""After the meeting: the minutes, amendments and case-note records."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from agendas import selectors as agendas_selectors
from agendas.models import Meeting
from agendas.pdfs import pdf_download
from permanence.audit import AuditedMixin
from permanence.forms import add_service_errors, error_links
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceButtonView
from permanence.spreadsheets import table_response
from permanence.workdays import calendar

from .. import pdfs, selectors, services
from ..forms.after import ActionAmendForm, DecisionAmendForm, MinutesNotesForm
from ..forms.recording import action_forms
from ..models import AttendanceStatus
from ..permissions import (
    can_ratify,
    can_record_decisions,
    can_record_on_file,
    can_write_minutes,
)
from ..presenters import case_note_text
from ..templatetags.minutes import amendable_by

# The minutes ----------------------------------------------------------------------------


class MeetingMixin:
    @cached_property
    def meeting(self):
        return selectors.meeting_for(
            self.request.user, slug=self.kwargs["slug"], pk=self.kwargs["pk"]
        )


class MinutesView(AuditedMixin, MeetingMixin, PermissionRequiredMixin, FormView):
    """The minutes assembled from the meeting; notes edited, ratified and distributed."""

    audit_model = "agendas.Meeting"
    audit_child = None

    permission = can_write_minutes
    template_name = "minutes/minutes.html"
    form_class = MinutesNotesForm

    def permission_object(self):
        return self.meeting

    def test_func(self):
        # Whoever may read the meeting reads its minutes; saving the notes (a POST, or a PUT,
        # which FormView treats as one) is the permission's.
        return self.request.method in ("GET", "HEAD", "OPTIONS") or super().test_func()

    @cached_property
    def minutes(self):
        return selectors.minutes_of(self.meeting)

    @property
    def may_edit(self) -> bool:
        user = self.request.user
        return can_write_minutes(user, self.meeting) and not (
            self.minutes and self.minutes.is_ratified
        )

    def get_initial(self):
        return {"notes": self.minutes.notes if self.minutes else ""}

    def form_valid(self, form):
        try:
            services.minutes_save(meeting=self.meeting, notes=form.cleaned_data["notes"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The notes are saved.")
        return redirect("minutes:minutes", self.meeting.panel.slug, self.meeting.pk)

    def get_context_data(self, **kwargs):
        user = self.request.user
        meeting, minutes = self.meeting, self.minutes
        panel = meeting.panel
        ratified = bool(minutes and minutes.is_ratified)
        distributed = bool(minutes and minutes.distributed_at)
        working_days = calendar()
        attendance = list(meeting.attendance.all())
        return super().get_context_data(
            meeting=meeting,
            panel=panel,
            minutes=minutes,
            ratified=ratified,
            present=[row for row in attendance if row.status == AttendanceStatus.PRESENT],
            apologies=[row for row in attendance if row.status == AttendanceStatus.APOLOGIES],
            represented=[row for row in attendance if row.status == AttendanceStatus.REPRESENTED],
            decisions=selectors.decisions_with_actions(meeting),
            undecided=selectors.running_order(meeting).filter(decision__isnull=True),
            money=agendas_selectors.approved_totals(meeting),
            deadlines=[
                {
                    "label": "Minutes produced and ratified by",
                    "date": working_days.add_working_days(meeting.date, panel.minutes_ratify_days),
                    "done": ratified,
                },
                {
                    "label": "Minutes distributed by",
                    "date": working_days.add_working_days(
                        meeting.date, panel.minutes_distribute_days
                    ),
                    "done": distributed,
                },
            ],
            today=timezone.localdate(),
            may_edit=self.may_edit,
            may_ratify=can_ratify(user, meeting) and not ratified,
            may_distribute=can_write_minutes(user, meeting) and ratified and not distributed,
            may_amend=ratified and can_record_decisions(user, meeting),
            **kwargs,
        )


class MinutesPdfView(AuditedMixin, MeetingMixin, View):
    """The minutes to download as a PDF, for whoever may read them on the page."""

    audit_model = "agendas.Meeting"
    audit_child = None

    def get(self, request, slug, pk):
        meeting = self.meeting
        return pdf_download(pdfs.minutes_pdf(meeting), pdfs.minutes_filename(meeting))


class MinutesActionView(MeetingMixin, ServiceButtonView):
    """A button on the minutes page: ratify them, or mark them distributed."""

    def done(self):
        return redirect("minutes:minutes", self.kwargs["slug"], self.kwargs["pk"])


class MinutesRatifyView(MinutesActionView):
    """`minutes_ratify` refuses anyone but those `can_ratify` names, with the reason the
    minutes page shows."""

    done_message = "You ratified the minutes. Their decisions are now locked."

    def act(self):
        services.minutes_ratify(meeting=self.meeting, chair=self.request.user)


class MinutesDistributeView(PermissionRequiredMixin, MinutesActionView):
    permission = can_write_minutes
    done_message = "The minutes are marked as distributed."

    def permission_object(self):
        return self.meeting

    def act(self):
        services.minutes_mark_distributed(meeting=self.meeting, by=self.request.user)


# A decision: amending it, and its case note ---------------------------------------------


class DecisionMixin:
    @cached_property
    def decision(self):
        return selectors.visible_decision(self.request.user, pk=self.kwargs["pk"])


class DecisionAmendView(AuditedMixin, DecisionMixin, PermissionRequiredMixin, TemplateView):
    """Amend a ratified decision: every field recording set, and its actions, with a reason."""

    audit_model = "minutes.Decision"
    audit_child = "booking__child"

    permission = can_record_decisions
    template_name = "minutes/decision_amend.html"

    def permission_object(self):
        return self.decision.booking.meeting

    def forms(self, data=None):
        decision = self.decision
        existing = [
            ActionAmendForm(data, action=action, number=number)
            for number, action in enumerate(decision.actions.select_related("owner"), start=1)
        ]
        return DecisionAmendForm(data, decision=decision), existing, action_forms(data)

    def get(self, request, *args, **kwargs):
        form, existing, new = self.forms()
        return self.render_to_response(self.get_context_data(form, existing, new))

    def post(self, request, *args, **kwargs):
        form, existing, new = self.forms(request.POST)
        rows = [form, *existing, *new]
        if all([row.is_valid() for row in rows]):
            try:
                services.decision_amend(
                    decision=self.decision,
                    by=request.user,
                    actions=[row.service_fields() for row in existing],
                    new_actions=[row.service_fields() for row in new if row.is_filled],
                    **form.service_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, "The decision is amended. Its history keeps the earlier version."
                )
                return redirect("minutes:case-note", self.decision.pk)
        return self.render_to_response(self.get_context_data(form, existing, new))

    def get_context_data(self, form, existing, new, **kwargs):
        return super().get_context_data(
            decision=self.decision,
            booking=self.decision.booking,
            form=form,
            existing_actions=existing,
            actions_to_add=new,
            errors=error_links(form, *existing, *new),
            **kwargs,
        )


class CaseNoteView(AuditedMixin, DecisionMixin, TemplateView):
    """The decision as a case note for the child's file, and marking it recorded there."""

    audit_model = "minutes.Decision"
    audit_child = "booking__child"

    template_name = "minutes/case_note.html"

    def get_context_data(self, **kwargs):
        decision = self.decision
        meeting = decision.booking.meeting
        return super().get_context_data(
            decision=decision,
            booking=decision.booking,
            text=case_note_text(decision),
            due_date=calendar().add_working_days(
                meeting.date, meeting.panel.decision_recorded_days
            ),
            today=timezone.localdate(),
            may_mark=can_record_on_file(self.request.user) and not decision.recorded_on_file_at,
            may_amend=amendable_by(decision, self.request.user),
            versions=decision.history.select_related("history_user", "outcome"),
            action_versions=selectors.action_history(decision),
            **kwargs,
        )


class CaseNotePdfView(AuditedMixin, DecisionMixin, View):
    """The decision record to download as a PDF, for whoever may open the case note."""

    audit_model = "minutes.Decision"
    audit_child = "booking__child"

    def get(self, request, pk):
        decision = self.decision
        return pdf_download(
            pdfs.decision_record_pdf(decision), pdfs.decision_record_filename(decision)
        )


class RecordedOnFileView(DecisionMixin, PermissionRequiredMixin, View):
    permission = can_record_on_file
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            services.decision_mark_recorded_on_file(decision=self.decision, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The decision is marked as recorded on the child's file.")
        return redirect("minutes:case-note", pk)


# Senior approvals ----------------------------------------------------------------------


class MinutesTrackerView(AuditedMixin, LoginRequiredMixin, View):
    """Torbay's minutes "recorded via the Permanency Panel tracker": once ratified, the
    children discussed as tracker rows with panel's outcome, note and actions, as CSV or
    XLSX. The chair, members and administrators get every row; a child's social worker
    or team manager, to whom it is circulated, gets their own children's."""

    audit_model = "agendas.Meeting"
    audit_child = None

    def get(self, request, slug, pk):
        meeting = get_object_or_404(
            Meeting.objects.select_related("panel"), panel__slug=slug, pk=pk
        )
        minutes = selectors.minutes_of(meeting)
        if not (minutes and minutes.is_ratified):
            raise Http404("The minutes are not ratified yet.")
        rows = selectors.tracker_minutes_rows(meeting, request.user, as_of=timezone.localdate())
        if not rows:
            raise Http404("No child you may see was discussed at this meeting.")
        file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        return table_response(
            columns=selectors.TRACKER_MINUTES_COLUMNS,
            rows=rows,
            filename=f"tracker-minutes-{meeting.panel.slug}-{meeting.date.isoformat()}",
            file_format=file_format,
        )
