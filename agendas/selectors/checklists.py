from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from permanence.workdays import Calendar, calendar

from ..models import (
    Booking,
    DocumentRequirement,
    Meeting,
    RequestPurpose,
    RequestType,
    Submission,
    SubmissionDocument,
)


def submission_due_date(meeting: Meeting, working_days: Calendar | None = None) -> date:
    working_days = working_days or calendar()
    return working_days.add_working_days(meeting.date, meeting.panel.submission_due_days)


def submission_is_late(
    booking: Booking,
    *,
    today: date,
    working_days: Calendar | None = None,
    checklist: list["ChecklistItem"] | None = None,
) -> bool:
    """Late when sent after the panel's deadline, or not sent and the deadline has passed.
    A booking with nothing to send (a verbal update) is never late.

    Pass `working_days` when checking many bookings, so closure days are read once, and
    `checklist` when it is already built (`checklists` sets `booking.checklist`).
    """
    if booking.meeting is None:
        return False
    if checklist is None:
        checklist = getattr(booking, "checklist", None) or submission_checklist(booking)
    if nothing_to_send(checklist):
        return False
    due = submission_due_date(booking.meeting, working_days)
    submission = getattr(booking, "submission", None)
    if submission and submission.submitted_at:
        return timezone.localdate(submission.submitted_at) > due
    return today > due


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    required: bool
    done: bool
    note: str = ""
    requirement: DocumentRequirement | None = None
    document: SubmissionDocument | None = None

    @property
    def missing(self) -> bool:
        return self.required and not self.done

    @property
    def is_form(self) -> bool:
        return self.name == SUBMISSION_FORM

    @property
    def is_verbal_update(self) -> bool:
        return self.name in (VERBAL_UPDATE, TRACKING_REVIEW)


SUBMISSION_FORM = "Panel submission form"


VERBAL_UPDATE = "Verbal update: nothing to send"
TRACKING_REVIEW = "Tracking review: nothing to send"


def documents_required(booking: Booking) -> QuerySet[DocumentRequirement]:
    return DocumentRequirement.objects.filter(
        Q(request_type=booking.request_type_id)
        | Q(panel=booking.panel_id, request_type__isnull=True)
    ).order_by(F("request_type").asc(nulls_first=True), "order", "name")


def checklist_for(
    *, request_type: RequestType, submission: Submission | None, requirements, current: dict
) -> list[ChecklistItem]:
    """What a booking must send, and what it has: the one definition the checklist page,
    the reminders, the running order and the decision page all use.

    `requirements` are the documents asked for this request, in checklist order; `current`
    maps a requirement's pk to its current upload. A request that needs neither the form
    nor a document is a verbal update: its one item is done, so nothing is ever missing.
    A tracking review asks for nothing either, whatever the panel asks of every request.
    """
    if request_type.purpose == RequestPurpose.TRACKING:
        return [
            ChecklistItem(
                TRACKING_REVIEW,
                required=False,
                done=True,
                note="Tracked at panel from the tracker; the social worker attends only "
                "when the chair asks.",
            )
        ]
    items = []
    if request_type.needs_submission_form:
        items.append(
            ChecklistItem(
                SUBMISSION_FORM,
                required=True,
                done=bool(submission and submission.form_complete),
                note="Completed here, in the browser",
            )
        )
    for requirement in requirements:
        document = current.get(requirement.pk)
        items.append(
            ChecklistItem(
                requirement.name,
                required=requirement.required,
                done=document is not None,
                note=requirement.note,
                requirement=requirement,
                document=document,
            )
        )
    if not any(item.required for item in items):
        items.insert(
            0,
            ChecklistItem(
                VERBAL_UPDATE,
                required=False,
                done=True,
                note="Presented in person at panel; no form or document is asked for.",
            ),
        )
    return items


def nothing_to_send(checklist: list[ChecklistItem]) -> bool:
    """A verbal update: the checklist asks for nothing, so nothing is chased or late."""
    return not any(item.required for item in checklist)


def submission_checklist(booking: Booking) -> list[ChecklistItem]:
    """The submission form, then each document the panel asks for this request."""
    current = {
        document.requirement_id: document
        for document in booking.documents.filter(
            replaced_at__isnull=True, requirement__isnull=False
        )
    }
    return checklist_for(
        request_type=booking.request_type,
        submission=Submission.objects.filter(booking=booking).first(),
        requirements=documents_required(booking),
        current=current,
    )


def checklists(bookings: list[Booking]) -> dict[int, list[ChecklistItem]]:
    """`submission_checklist` for many bookings of one or more panels, in two queries.

    Each booking must be read with `select_related("request_type", "submission")`. Each
    booking also gets its checklist as `booking.checklist`.
    """
    if not bookings:
        return {}
    by_panel = defaultdict(list)
    for requirement in DocumentRequirement.objects.filter(
        panel__in={booking.panel_id for booking in bookings}
    ).order_by(F("request_type").asc(nulls_first=True), "order", "name"):
        by_panel[requirement.panel_id].append(requirement)
    current = defaultdict(dict)
    for document in SubmissionDocument.objects.filter(
        booking__in=bookings, replaced_at__isnull=True, requirement__isnull=False
    ):
        current[document.booking_id][document.requirement_id] = document
    result = {}
    for booking in bookings:
        booking.checklist = result[booking.pk] = checklist_for(
            request_type=booking.request_type,
            submission=getattr(booking, "submission", None),
            requirements=[
                requirement
                for requirement in by_panel[booking.panel_id]
                if requirement.request_type_id in (None, booking.request_type_id)
            ],
            current=current[booking.pk],
        )
    return result
