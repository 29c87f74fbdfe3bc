"""Bookings: a child on a meeting's agenda (or the panel's waiting list), and what the
social worker sends for it."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils.functional import cached_property

from permanence.validators import text_limit
from permanence.versions import version_field

from .meetings import Meeting, Slot, save_without_sequence
from .panels import (
    AgendaSection,
    DocumentRequirement,
    OutcomeEffect,
    Panel,
    RequestPurpose,
    RequestType,
)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


def running_order_by(prefix: str = "") -> tuple:
    """The order panel hears its children, the same on every page, PDF and database:
    `Booking.objects.in_running_order()`, or `order_by(*running_order_by("booking__"))`
    for a model that points to a booking.

    The panel's shared time slots (Lancashire) come first, in time order; then each
    section in its place on the agenda, its timed slots in time order before its untimed
    places by number, then children listed without a place in the order they were booked.
    NULLs are placed explicitly: PostgreSQL and SQLite sort them at opposite ends.
    """
    return (
        Case(
            When(
                **{f"{prefix}slot__isnull": False, f"{prefix}slot__section__isnull": True},
                then=Value(0),
            ),
            default=F(f"{prefix}section__order"),
            output_field=models.PositiveSmallIntegerField(),
        ),
        F(f"{prefix}slot__starts_at").asc(nulls_last=True),
        F(f"{prefix}slot__number").asc(nulls_last=True),
        f"{prefix}pk",
    )


# What a row of the running order shows beside the child's place: the agenda, the pack,
# the recording pages and the emails about a meeting all read it with the bookings.
BOOKING_ROW = ("child", "request_type", "section", "social_worker", "team_manager", "submission")


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The bookings whose papers this user may read (`agendas.permissions.papers_scope`):
        here too, so the tracker's child page lists them through the child's `bookings`."""
        from ..permissions import papers_scope  # which imports these models

        scope = papers_scope(user)
        if not scope:
            return self
        return self.filter(pk__in=Booking.objects.filter(scope).values("pk"))

    def in_running_order(self):
        return self.order_by(*running_order_by())

    def on_the_agenda(self):
        """The children booked in, in running order, with what a row of it shows: read
        one meeting's agenda as `meeting.bookings.on_the_agenda()`, in one query."""
        return (
            self.filter(status=BookingStatus.BOOKED)
            .select_related(*BOOKING_ROW, "slot")
            .in_running_order()
        )

    def with_its_page(self):
        """With everything a booking's own page, cover sheet and submission show."""
        return self.select_related(
            "panel",
            "meeting",
            "section",
            "slot",
            "child",
            "request_type",
            "social_worker",
            "team_manager",
        )

    def waiting(self):
        """The waiting list: children waiting for a meeting, first come first served.
        One panel's is `panel.bookings.waiting()`."""
        return self.filter(status=BookingStatus.WAITING).order_by("created_at", "pk")

    def holding_places(self, *, but=None):
        """The bookings holding a place on their meeting's agenda: from `meeting.bookings`,
        what takes the meeting's room (`leave_no_room_in`) and its slots (`slots_held`).
        `but` is a booking being moved, which does not count against the room it holds."""
        holding = self.filter(status=BookingStatus.BOOKED)
        return holding.exclude(pk=but.pk) if but is not None and but.pk else holding

    def leave_no_room_in(self, section) -> bool:
        """A section's room: whether these bookings (`holding_places`) take every place
        in a section that takes only so many children."""
        return bool(section.capacity) and self.filter(section=section).count() >= section.capacity

    def slots_held(self):
        """The slots these bookings are in, to exclude from a meeting's slots: without
        the bookings that have no slot, whose NULL would make `NOT IN` exclude every slot."""
        return self.exclude(slot=None).values("slot")

    def with_nothing_to_send(self):
        """Bookings whose request needs no submission form and no document: a verbal
        update (Torbay) or a tracking review, which nothing chases and nothing makes late."""
        verbal_update = Q(request_type__needs_submission_form=False) & ~Q(
            Exists(
                DocumentRequirement.objects.filter(required=True).filter(
                    Q(request_type=OuterRef("request_type"))
                    | Q(panel=OuterRef("panel"), request_type__isnull=True)
                )
            )
        )
        return self.filter(verbal_update | Q(request_type__purpose=RequestPurpose.TRACKING))

    def tracking(self):
        """Tracking reviews: children added to a tracking section from the tracker."""
        return self.filter(request_type__purpose=RequestPurpose.TRACKING)

    def discussed_at_panel(self):
        """Bookings panel decided on, less a tracking review that was not discussed: what
        moves a child's last_panel_date (the tracker reads it as `booking_model()`)."""
        return self.filter(decision__isnull=False, meeting__isnull=False).exclude(
            decision__outcome__effect=OutcomeEffect.NOT_DISCUSSED
        )

    def with_something_to_send(self):
        return self.exclude(pk__in=self.with_nothing_to_send().values("pk"))


class Booking(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="bookings")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    section = models.ForeignKey(
        AgendaSection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name="agenda section",
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    child = models.ForeignKey("tracker.Child", on_delete=models.PROTECT, related_name="bookings")
    request_type = models.ForeignKey(RequestType, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("Why the child is coming to panel", max_length=2000)
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings_as_social_worker",
    )
    team_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings_as_team_manager",
    )
    notes = models.TextField(blank=True, max_length=2000)
    status = models.CharField(
        max_length=9, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    cancelled_reason = models.TextField(blank=True, max_length=1000)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by the notifications when the booking email goes out.
    social_worker_notified_at = models.DateTimeField(null=True, blank=True)
    team_manager_notified_at = models.DateTimeField(null=True, blank=True)
    # A tracking review asks nobody to attend, until the chair asks the social worker.
    attendance_requested_at = models.DateTimeField(null=True, blank=True)
    attendance_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The calendar event's SEQUENCE, as Meeting.sequence: counted up when the booking's
    # meeting, slot or status changes, or its meeting moves.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = BookingQuerySet.as_manager()
    # For code that reaches bookings through a relation and so may not import this module:
    # the tracker names a status as `booking_model().Status.CANCELLED`.
    Status = BookingStatus

    class Meta:
        ordering = ["meeting__date", "slot__starts_at", "section__order", "slot__number", "pk"]
        # Children waiting, first come first served (`waiting()`), on every panel's list or
        # one's: a page of them is read from these, not sorted from every booking.
        # Bookings to come are read by their meeting's date (Meeting's indexes) then by
        # booking_child_once_per_meeting, whose first column is the meeting.
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status="waiting"),
                name="booking_waiting",
            ),
            models.Index(
                fields=["panel", "created_at", "id"],
                condition=Q(status="waiting"),
                name="booking_panel_waiting",
            ),
        ]
        constraints = [
            text_limit("booking", "reason", 2000),
            text_limit("booking", "notes", 2000),
            text_limit("booking", "cancelled_reason", 1000),
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status="booked", slot__isnull=False),
                name="booking_one_child_per_slot",
                violation_error_message="Another child is already booked into this slot.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "child"],
                condition=Q(status="booked"),
                name="booking_child_once_per_meeting",
                violation_error_message="This child is already booked into this meeting.",
            ),
            models.UniqueConstraint(
                fields=["panel", "child"],
                condition=Q(status="waiting"),
                name="booking_child_once_on_waiting_list",
                violation_error_message="This child is already on the panel's waiting list.",
            ),
            models.CheckConstraint(
                condition=~Q(status="booked") | Q(meeting__isnull=False, section__isnull=False),
                name="booking_booked_has_meeting_and_section",
                violation_error_message="A booking needs a meeting and an agenda section.",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(meeting__isnull=True, slot__isnull=True),
                name="booking_waiting_has_no_meeting",
                violation_error_message="A child on the waiting list has no meeting yet.",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancelled_reason=""),
                name="booking_cancelled_with_a_reason",
                violation_error_message="Say why the booking is cancelled.",
            ),
        ]

    def __str__(self):
        return f"{self.child.initials} ({self.child.case_number})"

    def save(self, *args, **kwargs):
        save_without_sequence(self, kwargs)
        super().save(*args, **kwargs)

    @property
    def is_booked(self) -> bool:
        return self.status == BookingStatus.BOOKED

    @property
    def is_tracking(self) -> bool:
        return self.request_type.purpose == RequestPurpose.TRACKING

    @cached_property
    def previous_decision(self):
        """The decision of the latest earlier panel that deferred or re-presented the child
        into this booking, or None: its outcome, reason and actions, read live.

        Read through minutes' reverse relation (Decision.forward_booking), so this app does
        not import the one above it; prefetch `selectors.previous_panel()` for a list.
        """
        return max(
            self.forwarded_from.all(),
            key=lambda decision: (decision.booking.meeting.date, decision.pk),
            default=None,
        )


# The panel submission form's questions, in the form's order.
SUBMISSION_FORM_FIELDS = (
    "reason_for_presentation",
    "current_plan",
    "progress_since_last_panel",
    "barriers_to_permanence",
    "wishes_and_feelings",
    "ask_of_panel",
    "financial_implications",
)


class Submission(models.Model):
    """The panel submission form for one booking: one child per report, never consolidated."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="submission")
    reason_for_presentation = models.TextField(blank=True, max_length=10_000)
    current_plan = models.TextField("Current plan and contingency", blank=True, max_length=10_000)
    progress_since_last_panel = models.TextField(blank=True, max_length=10_000)
    barriers_to_permanence = models.TextField(blank=True, max_length=10_000)
    wishes_and_feelings = models.TextField(
        "The child's wishes and feelings", blank=True, max_length=10_000
    )
    ask_of_panel = models.TextField("What is asked of panel", blank=True, max_length=10_000)
    financial_implications = models.TextField(blank=True, max_length=10_000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = version_field()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    FORM_FIELDS = SUBMISSION_FORM_FIELDS

    class Meta:
        constraints = [text_limit("submission", name, 10_000) for name in SUBMISSION_FORM_FIELDS]

    def __str__(self):
        return f"Submission for {self.booking}"

    @property
    def form_complete(self) -> bool:
        return all(getattr(self, name).strip() for name in self.FORM_FIELDS)


def submission_storage():
    # A callable, so the storage can be swapped in settings (S3 in production) without a
    # migration, and files never land in the public media tree.
    return storages["submissions"]


def document_path(document: "SubmissionDocument", filename: str) -> str:
    """A path the uploader never chooses: their file name is kept only as a label."""
    return f"bookings/{document.booking_id}/{uuid.uuid4().hex}.{document.extension}"


class SubmissionDocument(models.Model):
    """One uploaded version of a document for a booking. A replacement keeps the earlier one."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        DocumentRequirement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploads",
        help_text="Empty for a document the panel did not ask for.",
    )
    file = models.FileField(storage=submission_storage, upload_to=document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["booking", "requirement__order", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "requirement"],
                condition=Q(replaced_at__isnull=True, requirement__isnull=False),
                name="submission_document_one_current_version",
                violation_error_message="This document already has a current version.",
            ),
        ]

    def __str__(self):
        return self.original_name
