from dataclasses import dataclass
from datetime import date

from django.db.models import F, Prefetch, prefetch_related_objects

from permanence.workdays import calendar

from ..models import AgendaSection, Booking, BookingMode, Meeting, MeetingStatus
from .checklists import checklists, nothing_to_send, submission_is_late


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
    return list(meeting.bookings.on_the_agenda())


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


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The panel's next meeting after this one that is not cancelled, with who agreed its
    agenda."""
    return (
        Meeting.objects.filter(
            panel_id=meeting.panel_id, status=MeetingStatus.SCHEDULED, date__gt=meeting.date
        )
        .select_related("panel", "agenda_agreed_by", "agenda_agreed_at_meeting")
        .order_by("date", "pk")
        .first()
    )


@dataclass(frozen=True)
class NextAgenda:
    """The next meeting's draft agenda, at the section where the chair agrees it
    (Knowsley's Part 4: "the agenda as it is agreed at the previous meeting")."""

    section: AgendaSection
    # None when the panel has no meeting scheduled after this one.
    meeting: Meeting | None
    # Its children in running order, with what an agenda row shows.
    bookings: list[Booking]

    @property
    def agreed(self) -> bool:
        """Agreed and not changed since: nothing is left to agree."""
        return bool(
            self.meeting
            and self.meeting.agenda_agreed_at
            and not self.meeting.changed_since_agreement
        )


def next_agenda(meeting: Meeting, *, sections=None) -> NextAgenda | None:
    """The next meeting's draft agenda when the panel agrees it at this one; None when no
    section of the panel does. `sections` are the panel's, when already read."""
    if sections is None:
        sections = meeting.panel.sections.all()
    section = next((section for section in sections if section.agrees_next_agenda), None)
    if section is None:
        return None
    following = next_meeting(meeting)
    bookings = list(following.bookings.on_the_agenda()) if following else []
    return NextAgenda(section, following, bookings)


@dataclass(frozen=True)
class Agenda:
    # Each section with its rows: a slot (booked or free), a break, or a booking without one.
    sections: list[dict]
    # The shared slots in time order with the breaks, when the panel's sections share them
    # (Lancashire).
    timetable: list[dict] | None
    # Every child on the agenda, in running order.
    bookings: list[Booking]
    # The next meeting's draft agenda, when a section of this one agrees it (Knowsley).
    next_agenda: NextAgenda | None = None


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
    panel_sections = list(meeting.panel.sections.all())
    for section in panel_sections:
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
    return Agenda(
        sections,
        with_breaks(rows, breaks) if shared else None,
        bookings,
        next_agenda(meeting, sections=panel_sections),
    )
