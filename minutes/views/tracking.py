"""The tracking page: one row a child of a tracking section, each saved on its own, so the
chair works down forty children by keyboard and a dropped connection loses only one row
(which the browser keeps as a draft)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from agendas import services as agendas_services
from agendas.selectors import tracking_sections
from permanence.forms import add_service_errors, error_links

from .. import selectors, services
from ..forms.tracking import TrackingReviewForm
from .recording import DRAFTS_SAVED, RecordingMixin

# Where the services name a field that this page calls by another name.
FIELD_ON_THE_ROW = {
    "rationale": "note",
    "forward_request_type": "escalate_as",
    "by_date": "comes_back_by",
}


def tracking_draft_key(booking) -> str:
    return f"tracking-{booking.pk}"


class TrackingView(RecordingMixin, TemplateView):
    template_name = "minutes/tracking.html"

    @cached_property
    def section(self):
        return get_object_or_404(tracking_sections(self.meeting), pk=self.kwargs["section"])

    def rows(self):
        rows = selectors.tracking_rows(self.meeting, self.section, as_of=timezone.localdate())
        return rows, selectors.tracking_choices(self.meeting, rows)

    def forms_for(self, rows, choices, bound=None) -> bool:
        """Each row's form; True when one row's outcome takes the focus."""
        at = self.request.GET.get("at", "")
        focus = bound or (int(at) if at.isdigit() else None)
        focused = False
        for row in rows:
            booking = row["booking"]
            data = self.request.POST if bound == booking.pk else None
            row["form"] = form = TrackingReviewForm(data, booking=booking, **choices)
            if booking.pk == focus:
                form.fields["outcome"].widget.attrs["autofocus"] = True
                focused = True
        return focused

    def get(self, request, *args, **kwargs):
        rows, choices = self.rows()
        focused = self.forms_for(rows, choices)
        # The "Saved" banner must not take the focus from the next child's outcome.
        return self.render_to_response(self.get_context_data(rows=rows, focus_on_a_field=focused))

    def post(self, request, *args, **kwargs):
        rows, choices = self.rows()
        by_pk = {row["booking"].pk: row for row in rows}
        posted = request.POST.get("booking", "")
        row = by_pk.get(int(posted)) if posted.isdigit() else None
        if row is None:
            messages.error(request, "That child is no longer on this tracking list.")
            return redirect(request.path)
        self.forms_for(rows, choices, bound=row["booking"].pk)
        form = row["form"]
        if form.is_valid():
            try:
                services.tracking_review_record(
                    booking=row["booking"], recorded_by=request.user, **form.service_fields()
                )
            except ValidationError as error:
                _add_row_errors(form, error)
            else:
                child = row["child"]
                messages.success(request, f"Saved: {child.full_name}.")
                request.session[DRAFTS_SAVED] = [tracking_draft_key(row["booking"])]
                return redirect(self.next_row_url(rows, row))
        return self.render_to_response(
            self.get_context_data(rows=rows, failed=row["booking"].pk, errors_in=form)
        )

    def next_row_url(self, rows, saved) -> str:
        """Back to the page at the next child, whose first field takes the focus."""
        position = next(i for i, row in enumerate(rows) if row is saved)
        after = rows[position + 1] if position + 1 < len(rows) else saved
        url = reverse(
            "decisions:tracking", args=[self.meeting.panel.slug, self.meeting.pk, self.section.pk]
        )
        # No "#row-" fragment: a URL with a fragment target switches autofocus off (HTML's
        # "flush autofocus candidates"), and the focused outcome scrolls into view itself.
        return f"{url}?at={after['booking'].pk}"

    def get_context_data(self, **kwargs):
        rows, form = kwargs["rows"], kwargs.get("errors_in")
        # A refusal that belongs to no one field points at the row's outcome.
        errors = [
            {**link, "href": link["href"] or f"#{form['outcome'].auto_id}"}
            for link in (error_links(form) if form else [])
        ]
        return super().get_context_data(
            section=self.section,
            errors=errors,
            reviewed=sum(1 for row in rows if row["decision"]),
            minutes=selectors.minutes_of(self.meeting),
            **kwargs,
        )


def _add_row_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    for field, messages_ in error.message_dict.items():
        name = FIELD_ON_THE_ROW.get(field, field)
        form.add_error(name if name in form.fields else None, messages_)


class AttendanceRequestView(RecordingMixin, TemplateView):
    """The chair asks a tracked child's social worker to attend (a button on the row)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        section = get_object_or_404(tracking_sections(self.meeting), pk=kwargs["section"])
        booking = get_object_or_404(
            self.meeting.bookings.on_the_agenda().filter(section=section), pk=kwargs["booking"]
        )
        try:
            agendas_services.attendance_request(booking=booking, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{booking.social_worker} is invited to attend for {booking.child.full_name}.",
            )
        url = reverse(
            "decisions:tracking", args=[self.meeting.panel.slug, self.meeting.pk, section.pk]
        )
        return redirect(f"{url}?at={booking.pk}")
