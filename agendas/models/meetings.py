"""Meetings: one sitting of a panel, and the time slots its agenda is booked into."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.formats import date_format

from permanence.validators import text_limit, validate_service_date

from .panels import AgendaSection, Panel


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


# What a meeting's agenda pack is made from, each the latest change to it: the agenda (a
# field of the meeting), and the submission forms and documents of the children booked in.
PACK_INPUTS = (
    "agenda_changed_at",
    "submission_updated",
    "submission_sent",
    "document_uploaded",
    "document_replaced",
)


def save_without_sequence(instance: models.Model, kwargs: dict) -> None:
    """Leave the calendar `sequence` out of a save of a stored row: it is only counted up
    in the database (`agendas.services.calendar`), and an instance read before a change
    would count it back down, so calendars would ignore the next change."""
    if not instance._state.adding and kwargs.get("update_fields") is None:
        left_out = {"sequence", *instance.get_deferred_fields()}
        kwargs["update_fields"] = [
            field.attname
            for field in instance._meta.concrete_fields
            if not field.primary_key and field.attname not in left_out
        ]


def _latest(queryset, field: str) -> Subquery:
    return Subquery(queryset.order_by(F(field).desc(nulls_last=True)).values(field)[:1])


class MeetingQuerySet(models.QuerySet):
    def with_pack_inputs(self):
        """Each meeting annotated with `PACK_INPUTS`, in the meetings' own query, so a list
        of meetings says which packs are out of date without a query for each."""
        # Here, not at the top: the bookings module imports this one for its foreign keys.
        from .bookings import BookingStatus, Submission, SubmissionDocument

        booked = {"booking__meeting": OuterRef("pk"), "booking__status": BookingStatus.BOOKED}
        submissions = Submission.objects.filter(**booked)
        documents = SubmissionDocument.objects.filter(**booked)
        return self.annotate(
            submission_updated=_latest(submissions, "updated_at"),
            submission_sent=_latest(submissions, "submitted_at"),
            document_uploaded=_latest(documents, "uploaded_at"),
            document_replaced=_latest(documents, "replaced_at"),
        )


class Meeting(models.Model):
    """One sitting of a panel, on a working day, with its own time and place."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(validators=[validate_service_date])
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField("Online meeting link", blank=True)
    theme = models.CharField("Theme for the month", max_length=200, blank=True)
    status = models.CharField(
        max_length=9, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    cancelled_reason = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    agenda_agreed_at = models.DateTimeField(null=True, blank=True)
    agenda_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the chair agreed this agenda at the panel's meeting before (Knowsley's Part 4).
    agenda_agreed_at_meeting = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_agendas_agreed",
        verbose_name="Agenda agreed at the meeting of",
    )
    agenda_circulated_at = models.DateTimeField(null=True, blank=True)
    agenda_circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set by every booking change, so the agenda can say it changed after the chair agreed it.
    agenda_changed_at = models.DateTimeField(null=True, blank=True)
    # The calendar event's SEQUENCE (agendas/calendar.py): counted up in the database by the
    # services that move, re-time, re-place or cancel the meeting, never saved from here.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = MeetingQuerySet.as_manager()
    # As Booking.Status: the tracker names a status as `meeting_model().Status.CANCELLED`.
    Status = MeetingStatus

    class Meta:
        ordering = ["date", "starts_at"]
        # The bookings page reads its bookings in meeting date order, from a date on, of
        # every panel or one: by these, a page's rows rather than two years' meetings.
        indexes = [
            models.Index(fields=["date"], name="meeting_date"),
            models.Index(fields=["panel", "date"], name="meeting_panel_date"),
        ]
        constraints = [
            text_limit("meeting", "cancelled_reason", 1000),
            models.UniqueConstraint(
                fields=["panel", "date"],
                condition=Q(status="scheduled"),
                name="meeting_one_a_day_per_panel",
                violation_error_message="The panel already meets on this day.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message="The meeting must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(status="scheduled") | ~Q(cancelled_reason=""),
                name="meeting_cancelled_with_a_reason",
                violation_error_message="Say why the meeting is cancelled.",
            ),
        ]

    def __str__(self):
        return f"{self.panel.name}, {date_format(self.date)}"

    def save(self, *args, **kwargs):
        save_without_sequence(self, kwargs)
        super().save(*args, **kwargs)

    def has_been_held(self, today: datetime.date) -> bool:
        return self.date < today

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def changed_since_agreement(self) -> bool:
        return bool(
            self.agenda_agreed_at
            and self.agenda_changed_at
            and self.agenda_changed_at > self.agenda_agreed_at
        )


class Slot(models.Model):
    """A place for one child on one meeting's agenda.

    A timed slot from the panel's timetable, or an untimed place in a section that lists
    children without times but takes only so many. A slot without a section is one of the
    panel's shared slots, which any section may use (Lancashire).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="slots")
    section = models.ForeignKey(
        AgendaSection, on_delete=models.CASCADE, null=True, blank=True, related_name="slots"
    )
    number = models.PositiveSmallIntegerField()
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "starts_at", "section__order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "section", "number"],
                condition=Q(section__isnull=False),
                name="slot_number_unique_in_section",
            ),
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=Q(section__isnull=True),
                name="shared_slot_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="slot_ends_after_it_starts",
                violation_error_message="A slot must end after it starts.",
            ),
        ]

    def __str__(self):
        if self.starts_at:
            return f"{self.starts_at:%H:%M} to {self.ends_at:%H:%M}"
        return f"Place {self.number}"
