from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F, Max, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from permanence.models import Notification, NotificationStatus
from permanence.roles import Role
from permanence.workdays import Calendar, calendar
from tracker.selectors import visible_children

from .models import (
    AgendaSection,
    Booking,
    BookingMode,
    BookingStatus,
    DocumentRequirement,
    Meeting,
    MeetingStatus,
    Panel,
    PanelMembership,
    RequestType,
    Slot,
    Submission,
    SubmissionDocument,
    working_days_in_words,
)


def panel_list() -> QuerySet[Panel]:
    return Panel.objects.select_related("chair", "deputy_chair")


def panels_with_set_up() -> QuerySet[Panel]:
    """Panels with everything their page shows, in a fixed number of queries."""
    return Panel.objects.select_related("chair", "deputy_chair").prefetch_related(
        "sections",
        "breaks",
        "outcomes",
        Prefetch("memberships", queryset=PanelMembership.objects.select_related("user")),
        Prefetch(
            "request_types",
            queryset=RequestType.objects.select_related("default_section").prefetch_related(
                "document_requirements"
            ),
        ),
        Prefetch(
            "document_requirements",
            queryset=DocumentRequirement.objects.filter(request_type__isnull=True),
            to_attr="documents_for_every_request",
        ),
    )


def panel_deadlines(*, panel: Panel, meeting_date: date | None) -> list[dict]:
    """Each lead time in words, with its date for the given meeting (none without one)."""
    working_days = calendar() if meeting_date else None
    return [
        {
            "field": field,
            "label": label,
            "in_words": working_days_in_words(days),
            "date": working_days.add_working_days(meeting_date, days) if working_days else None,
        }
        for field, label, days in panel.lead_times()
    ]


def meeting_deadlines(meeting: Meeting) -> list[dict]:
    """The panel's deadlines for this meeting, each marked done once what it asks for is."""
    booked = meeting.bookings.filter(status=BookingStatus.BOOKED)
    has_bookings = booked.exists()
    done = {
        "booking_notice_days": has_bookings
        and not booked.filter(
            Q(social_worker_notified_at__isnull=True) | Q(team_manager_notified_at__isnull=True)
        ).exists(),
        "submission_due_days": has_bookings
        and not booked.with_something_to_send()
        .filter(Q(submission__isnull=True) | Q(submission__submitted_at__isnull=True))
        .exists(),
        "agenda_agree_days": bool(meeting.agenda_agreed_at) and not meeting.changed_since_agreement,
        "agenda_circulate_days": bool(meeting.agenda_circulated_at),
    }
    deadlines = panel_deadlines(panel=meeting.panel, meeting_date=meeting.date)
    sent = {}
    if done["booking_notice_days"]:
        sent["booking_notice_days"] = _booking_emails_last_sent(meeting, booked, deadlines)
    return [
        {
            **deadline,
            "done": done.get(deadline["field"], False),
            "sent_at": sent.get(deadline["field"]),
        }
        for deadline in deadlines
    ]


def _booking_emails_last_sent(meeting: Meeting, booked: QuerySet, deadlines: list[dict]):
    """When the last booking email for this meeting went, as the outbox says: the first
    one told them (the "told" times), and the notice day's email, sent later, says it again
    (Somerset's 7 working days before)."""
    told = booked.aggregate(
        social_worker=Max("social_worker_notified_at"),
        team_manager=Max("team_manager_notified_at"),
    )
    notice_day = next(d["date"] for d in deadlines if d["field"] == "booking_notice_days")
    on_the_notice_day = Notification.objects.filter(
        kind="booking_reminder",
        status=NotificationStatus.SENT,
        about__in=[f"booking:{pk}" for pk in booked.values_list("pk", flat=True)],
        due_on=notice_day,
    ).aggregate(last=Max("sent_at"))["last"]
    return max(filter(None, [*told.values(), on_the_notice_day]))


def chair_candidates(*, panel: Panel) -> QuerySet:
    """Active people holding the Chair role, and whoever chairs the panel now."""
    current = [pk for pk in (panel.chair_id, panel.deputy_chair_id) if pk]
    return (
        get_user_model()
        .objects.filter(Q(is_active=True, groups__name=Role.CHAIR) | Q(pk__in=current))
        .distinct()
    )


def panels_with_seats() -> QuerySet[Panel]:
    return Panel.objects.select_related("chair", "deputy_chair").prefetch_related(
        Prefetch("memberships", queryset=PanelMembership.objects.select_related("user"))
    )


def seats_held(*, person) -> list[str]:
    """The person's places on panels, in sentences: shown on their page and before they are
    deactivated."""
    lines = []
    for panel in Panel.objects.filter(chair=person).order_by("name"):
        lines.append(f"{'Joint chair' if panel.deputy_is_joint_chair else 'Chair'} of the {panel}")
    for panel in Panel.objects.filter(deputy_chair=person).order_by("name"):
        lines.append(f"{panel.deputy_title} of the {panel}")
    for seat in person.panel_memberships.select_related("panel").order_by("panel__name"):
        lines.append(f"{seat.role_on_panel} on the {seat.panel}")
    return lines


def people() -> QuerySet:
    """Everyone who can be given a seat on a panel."""
    return get_user_model().objects.filter(is_active=True)


def upcoming_meetings(*, panel: Panel, today: date) -> QuerySet[Meeting]:
    return panel.meetings.filter(status=MeetingStatus.SCHEDULED, date__gte=today)


# Meetings and bookings -------------------------------------------------------------------


def visible_meetings(user) -> QuerySet[Meeting]:
    """Meetings whose agenda this user may read.

    Administrators and senior managers see every panel's; a chair or member sees the panels
    they sit on. Social workers and team managers see their bookings, not whole agendas.
    """
    meetings = Meeting.objects.select_related("panel")
    if not (user.is_authenticated and user.is_active):
        return meetings.none()
    if user.has_any_role(Role.ADMINISTRATOR, Role.SENIOR_MANAGER):
        return meetings
    return meetings.filter(panel__in=panels_sat_on(user))


def visible_meeting(user, *, slug: str, pk: int) -> Meeting:
    """One meeting this user may read. A meeting that does not exist is a 404; a meeting of
    a panel the user does not sit on is refused in plain words (the 403 page names who to
    ask): panels and their meeting dates are no secret, the children on them are."""
    meeting = visible_meetings(user).filter(panel__slug=slug, pk=pk).first()
    if meeting is not None:
        return meeting
    panel = Panel.objects.filter(slug=slug, meetings__pk=pk).first()
    if panel is None or not (user.is_authenticated and user.is_active):
        raise Http404("No such meeting.")
    raise PermissionDenied(f"You don't sit on the {panel.name}, so you can't open its meetings.")


def panels_sat_on(user) -> QuerySet[Panel]:
    return Panel.objects.filter(
        Q(chair=user) | Q(deputy_chair=user) | Q(memberships__user=user)
    ).distinct()


def visible_bookings(user) -> QuerySet[Booking]:
    """Bookings this user may open: those of children they may see, those on the agendas
    they may read, and those they are named on to present."""
    bookings = Booking.objects.select_related(
        "panel",
        "meeting",
        "section",
        "slot",
        "child",
        "request_type",
        "social_worker",
        "team_manager",
    )
    if not (user.is_authenticated and user.is_active):
        return bookings.none()
    if user.sees_all_children and user.has_any_role(Role.ADMINISTRATOR, Role.SENIOR_MANAGER):
        return bookings
    return bookings.filter(
        Q(child__in=visible_children(user))
        | Q(meeting__in=visible_meetings(user))
        | Q(social_worker=user)
        | Q(team_manager=user)
    )


def visible_booking(user, *, pk: int) -> Booking:
    """One booking this user may open; 404 otherwise, so another team's child is not revealed."""
    return get_object_or_404(visible_bookings(user), pk=pk)


def may_edit_submission(user, booking: Booking) -> bool:
    """The booking's social worker, a team manager answering for it, or an administrator."""
    if user.has_any_role(Role.ADMINISTRATOR):
        return True
    if user.has_role(Role.TEAM_MANAGER) and (
        booking.team_manager_id == user.pk
        or (user.team_id and booking.child.team_id == user.team_id)
    ):
        return True
    return user.has_role(Role.SOCIAL_WORKER) and booking.social_worker_id == user.pk


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
        return self.name == VERBAL_UPDATE


SUBMISSION_FORM = "Panel submission form"
VERBAL_UPDATE = "Verbal update: nothing to send"


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
    """
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


BOOKING_ROW = ("child", "request_type", "section", "social_worker", "team_manager", "submission")


def previous_panel() -> Prefetch:
    """What `Booking.previous_decision` reads, in three queries for any number of bookings:
    the decisions that forward-booked them, with their meeting and outcome, and their
    actions with who owns each."""
    # minutes' Decision, reached through its relation to Booking: agendas does not import it.
    decisions = Booking._meta.get_field("forwarded_from").related_model.objects
    return Prefetch(
        "forwarded_from",
        queryset=decisions.select_related("booking__meeting", "outcome").prefetch_related(
            "actions__owner"
        ),
    )


def bookings_in_running_order(meeting: Meeting) -> list[Booking]:
    """The children booked into the meeting, in the order panel hears them (see
    `BookingQuerySet.in_running_order`), with what an agenda row shows."""
    return list(
        meeting.bookings.filter(status=BookingStatus.BOOKED)
        .select_related(*BOOKING_ROW, "slot")
        .in_running_order()
    )


def slot_rows(meeting: Meeting, bookings: list[Booking] | None = None) -> list[dict]:
    """Each slot of the meeting with the booking in it (or None), in time order."""
    if bookings is None:
        bookings = bookings_in_running_order(meeting)
    in_slot = {booking.slot_id: booking for booking in bookings if booking.slot_id}
    return [
        {"slot": slot, "booking": in_slot.get(slot.pk)}
        for slot in meeting.slots.select_related("section").order_by(
            F("starts_at").asc(nulls_last=True), "section__order", "number"
        )
    ]


def with_breaks(rows: list[dict], breaks) -> list[dict]:
    """Timed rows with the panel's breaks (lunch) in their place among them: the one
    layout the web agenda, the meeting page and the agenda PDF all show.

    A break goes between the rows it falls between, so a section's own list shows only
    the breaks inside its time; untimed rows stay last, in their order.
    """
    timed = [row for row in rows if row["slot"] and row["slot"].starts_at]
    if not timed:
        return rows
    first, last = timed[0]["slot"].starts_at, timed[-1]["slot"].starts_at
    pauses = [pause for pause in breaks if first < pause.starts_at <= last]
    if not pauses:
        return rows
    result = []
    for row in rows:
        starts_at = row["slot"].starts_at if row["slot"] else None
        while pauses and starts_at and pauses[0].starts_at <= starts_at:
            result.append({"slot": None, "booking": None, "break": pauses.pop(0)})
        result.append(row)
    return result


@dataclass(frozen=True)
class Agenda:
    # Each section with its rows: a slot (booked or free), a break, or a booking without one.
    sections: list[dict]
    # The shared slots in time order with the breaks, when the panel's sections share them
    # (Lancashire).
    timetable: list[dict] | None
    # Every child on the agenda, in running order.
    bookings: list[Booking]


def agenda(meeting: Meeting, *, today: date | None = None) -> Agenda:
    """The meeting's agenda. With `today`, each booking says whether its submission is
    sent (`submission_sent`), late (`submission_late`) or a verbal update with nothing to
    send (`verbal_update`), for the administrator."""
    bookings = bookings_in_running_order(meeting)
    rows = slot_rows(meeting, bookings)
    breaks = list(meeting.panel.breaks.all())
    unslotted = [booking for booking in bookings if booking.slot_id is None]
    shared = bool(meeting.panel.slot_minutes)
    sections = []
    for section in meeting.panel.sections.all():
        if shared and section.booking == BookingMode.SLOT:
            section_rows = [
                row for row in rows if row["booking"] and row["booking"].section_id == section.pk
            ]
        else:
            section_rows = with_breaks(
                [row for row in rows if row["slot"].section_id == section.pk], breaks
            )
        section_rows += [
            {"slot": None, "booking": booking}
            for booking in unslotted
            if booking.section_id == section.pk
        ]
        sections.append({"section": section, "rows": section_rows})
    prefetch_related_objects(bookings, previous_panel())
    if today is not None:
        working_days = calendar()
        checklists(bookings)
        for booking in bookings:
            submission = getattr(booking, "submission", None)
            booking.submission_sent = bool(submission and submission.submitted_at)
            booking.verbal_update = nothing_to_send(booking.checklist)
            booking.submission_late = submission_is_late(
                booking, today=today, working_days=working_days
            )
    return Agenda(sections, with_breaks(rows, breaks) if shared else None, bookings)


def free_slots(meeting: Meeting) -> QuerySet[Slot]:
    taken = meeting.bookings.filter(status=BookingStatus.BOOKED, slot__isnull=False).values("slot")
    return meeting.slots.exclude(pk__in=taken).select_related("section")


def next_available(
    *, panel: Panel, section: AgendaSection, child=None, today: date
) -> tuple[Meeting, Slot | None] | None:
    """The earliest meeting still to come with room in the section, and the slot to take.

    A child already booked into a meeting is not offered that meeting again.
    """
    meetings = panel.meetings.filter(status=MeetingStatus.SCHEDULED, date__gte=today)
    if child is not None:
        # One subquery, so both conditions hold for the same booking: exclude() with two
        # lookups across `bookings` would skip a meeting where the child's booking was
        # cancelled and any other child is booked.
        booked = Booking.objects.filter(child=child, status=BookingStatus.BOOKED)
        meetings = meetings.exclude(pk__in=booked.values("meeting"))
    for meeting in meetings.order_by("date")[:24]:
        places = places_for(meeting=meeting, section=section)
        if places:
            return meeting, places[0]
    return None


def waiting_list(panel: Panel) -> QuerySet[Booking]:
    return (
        panel.bookings.filter(status=BookingStatus.WAITING)
        .select_related("child", "request_type", "section", "social_worker", "team_manager")
        .order_by("created_at")
    )


def slots_for(*, meeting: Meeting, section: AgendaSection) -> QuerySet[Slot]:
    """The meeting's slots a booking in this section may take, free or not."""
    if section.booking == BookingMode.SECTION:
        return meeting.slots.filter(section=section)  # its places, if it takes only so many
    if meeting.panel.slot_minutes:
        return meeting.slots.filter(section=None)  # the panel's shared slots (Lancashire)
    return meeting.slots.filter(section=section)


def places_for(
    *, meeting: Meeting, section: AgendaSection, child=None, moving: Booking | None = None
):
    """The free places in the section at this meeting, earliest first.

    A place is a Slot, or None in a section that lists children without times or a limit.
    Empty when there is no room, or the child is already booked into the meeting. `moving`
    is a booking being moved, which does not count against the room.
    """
    if section.capacity == 0:
        return []
    booked = meeting.bookings.filter(status=BookingStatus.BOOKED)
    if moving is not None and moving.pk:
        booked = booked.exclude(pk=moving.pk)
    if child is not None and booked.filter(child=child).exists():
        return []
    if section.capacity and booked.filter(section=section).count() >= section.capacity:
        return []
    candidates = slots_for(meeting=meeting, section=section)
    if section.booking == BookingMode.SECTION and not candidates.exists():
        return [None]
    taken = booked.exclude(slot=None).values("slot")
    return list(candidates.exclude(pk__in=taken).order_by("starts_at", "number"))


def upcoming_meetings_of(panel: Panel, *, today: date, count: int = 6) -> QuerySet[Meeting]:
    return panel.meetings.filter(status=MeetingStatus.SCHEDULED, date__gte=today).order_by("date")[
        :count
    ]


def bookings_for_list(user, *, today: date) -> QuerySet[Booking]:
    """This user's bookings still to come, and children waiting, for the bookings page."""
    return (
        visible_bookings(user)
        .filter(
            Q(status=BookingStatus.BOOKED, meeting__date__gte=today)
            | Q(status=BookingStatus.WAITING)
        )
        .select_related("submission", "meeting__panel")
        .order_by(F("meeting__date").asc(nulls_last=True), "slot__starts_at", "pk")
    )
