"""The child's journey: the key dates of their time in care, in date order, for the timeline
on their page (drawn by `timeline_drawing`) and its list alternative.

Two kinds of event: what happened (a date recorded on the child, or a panel hearing and its
decision) and what lies ahead (a deadline the tracker derives, or a meeting the child is booked
into). A deadline is shown until what meets it is recorded: a review due stays "Overdue" past
its day, and leaves when the review is held. Panel hearings and decisions come from the
bookings the page already read, those whose papers the viewer may see, so the timeline costs
no query of its own and shows no decision the page does not.
"""

from dataclasses import dataclass
from datetime import date

from . import rules
from .codes import LegalStatus, PlacementType

HAPPENED = "happened"
AHEAD = "ahead"

# A deadline's state as of the page's date; the list and the drawing say it in words.
DUE = "Due"
OVERDUE = "Overdue"
BOOKED = "Booked"


@dataclass(frozen=True)
class Event:
    on: date
    name: str
    kind: str = HAPPENED
    detail: str = ""
    state: str = ""

    @property
    def ahead(self) -> bool:
        return self.kind == AHEAD


# The child's recorded dates, in the order they usually come, so that two on one day read in
# that order.
RECORDED = (
    ("looked_after_since", "Entered care"),
    ("pre_proceedings_start", "Pre-proceedings began"),
    ("proceedings_issued", "Care proceedings issued"),
    ("first_review_date", "First review"),
    ("second_review_date", "Second review"),
    ("last_review_date", "Latest review"),
    ("plan_agreed_date", "Permanence plan agreed"),
    ("placement_start", "Current placement began"),
    ("temporary_approval_date", "Temporary approval"),
    ("full_approval_date", "Full approval"),
    ("final_order_date", "Final order"),
    ("placement_order_date", "Placement order"),
    ("match_date", "Matched with adopters"),
    ("long_term_match_date", "Long-term match"),
    ("placed_for_adoption_date", "Placed for adoption"),
    ("adoption_application_date", "Adoption application"),
    ("permanence_secured_date", "Permanence secured"),
)

# Said beside the date, where the name alone leaves it unclear.
DETAILS = {
    "temporary_approval_date": "Connected person",
    "full_approval_date": "Connected person",
}


def journey(child, *, as_of: date, bookings=(), decisions=()) -> list[Event]:
    """Every event of the child's journey, in date order; what happened before what is due on
    the same day. `bookings` and `decisions` are the child page's (`child_bookings`,
    `child_decisions`): already read, and already scoped to the viewer."""
    events = _recorded(child) + _at_panel(child, as_of, bookings, decisions)
    if child.is_tracked:
        events += _deadlines(child, as_of)
    return sorted(events, key=lambda event: (event.on, event.ahead))


def _recorded(child) -> list[Event]:
    events = []
    for field, name in RECORDED:
        on = getattr(child, field)
        # The latest review is often the second one again: once is enough.
        if on is None or (field == "last_review_date" and on == child.second_review_date):
            continue
        detail = DETAILS.get(field, "")
        if field == "plan_agreed_date":
            detail = child.get_primary_plan_display()
        events.append(Event(on, name, detail=detail))
    return events


def _at_panel(child, as_of: date, bookings, decisions) -> list[Event]:
    events, heard_on = [], set()
    decided = {booking.pk for booking in decisions}
    for booking in decisions:
        events.append(
            Event(
                booking.meeting.date,
                "Panel decision",
                detail=f"{booking.panel.name}: {booking.decision.outcome}",
            )
        )
        heard_on.add(booking.meeting.date)
    for booking in bookings:
        meeting = booking.meeting
        if booking.pk in decided or meeting is None or meeting.is_cancelled:
            continue
        detail = f"{booking.panel.name}: {booking.request_type}"
        if meeting.date >= as_of:  # not yet held
            events.append(Event(meeting.date, "Panel booked", AHEAD, detail, BOOKED))
        else:
            detail += "; no decision recorded yet"
            events.append(Event(meeting.date, "At panel", detail=detail))
        heard_on.add(meeting.date)
    # A date imported from the council's old tracker, with no meeting here to show for it.
    if child.last_panel_date and child.last_panel_date not in heard_on:
        events.append(Event(child.last_panel_date, "At panel", detail="Recorded on the tracker"))
    return events


def _deadlines(child, as_of: date) -> list[Event]:
    """The deadlines still to meet: each shown until what meets it is recorded."""
    looked_after = child.looked_after_since is not None
    placed_with_parents = child.placement_type == PlacementType.P1 and child.legal_status in (
        LegalStatus.C1,
        LegalStatus.C2,
    )
    due = (
        (looked_after, child.next_review_due, "Review due", ""),
        (
            looked_after and not child.primary_plan,
            child.second_review_due,
            "Plan expected",
            "By the second review",
        ),
        (
            child.proceedings_issued and not child.final_order_date,
            child.proceedings_deadline,
            "26 weeks of proceedings end",
            "Children Act 1989 s32(1)(a)",
        ),
        (
            child.placement_order_date and not child.match_date,
            child.placement_order_match_due,
            "Match expected",
            "After the placement order",
        ),
        (
            child.placed_for_adoption_date and not child.adoption_application_date,
            child.adoption_application_due,
            "Adoption application expected",
            "After placing for adoption",
        ),
        (
            child.temporary_approval_date and not child.full_approval_date,
            child.temporary_approval_expires,
            "Temporary approval expires",
            "Connected person",
        ),
        (
            placed_with_parents,
            child.placed_with_parents_review_due,
            "Placed with parents: review due",
            "",
        ),
        (True, child.next_panel_due, "Next panel due", ""),
    )
    return [
        Event(on, name, AHEAD, detail, OVERDUE if on < as_of else DUE)
        for applies, on, name, detail in due
        if applies and on
    ]


def proceedings(child) -> tuple[date, date] | None:
    """The 26 weeks of care proceedings, from the day of issue to their last day."""
    if not child.proceedings_issued:
        return None
    return child.proceedings_issued, rules.proceedings_deadline(child)
