"""Lancashire's agenda item 2, "New Children Looked After": children who became looked
after in the last 12 weeks, presented "shortly prior to their second CLA Review"."""

from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from tracker.models import Child
from tracker.selectors import visible_children

from ..models import AgendaSection, Booking, BookingStatus, MeetingStatus, RequestPurpose
from ..models import RequestType as RequestTypeModel
from .bookings import next_available, places_for

NEW_TO_CARE_WEEKS = 12  # "any child who has become Looked After in the last 12 weeks"


def new_to_care_request(panel) -> RequestTypeModel | None:
    """The panel's request for new children looked after, if it hears them."""
    if panel is None:
        return None
    return (
        panel.request_types.filter(purpose=RequestPurpose.NEW_TO_CARE)
        .select_related("default_section")
        .first()
    )


def new_children_looked_after(user, *, today: date) -> QuerySet[Child]:
    """Tracked children this user may see, looked after in the last 12 weeks, of a panel
    that hears new children looked after; by second review due (unknown last). Each has
    `booked_for`, the date of the meeting they are booked into, if any."""
    hears_them = RequestTypeModel.objects.filter(
        panel=OuterRef("panel"), purpose=RequestPurpose.NEW_TO_CARE
    )
    booked = Booking.objects.filter(
        child=OuterRef("pk"), status=BookingStatus.BOOKED, meeting__date__gte=today
    ).order_by("meeting__date")
    return (
        visible_children(user)
        .filter(
            Exists(hears_them),
            permanence_secured_date__isnull=True,
            looked_after_since__gt=today - timedelta(weeks=NEW_TO_CARE_WEEKS),
            looked_after_since__lte=today,
        )
        .annotate(booked_for=Subquery(booked.values("meeting__date")[:1]))
        .select_related("panel", "team", "social_worker")
        .order_by(F("second_review_due").asc(nulls_last=True), "last_name", "pk")
    )


def new_to_care_place(*, child: Child, section: AgendaSection, today: date):
    """Where a new child looked after goes: the first meeting with room in the section
    before their second review is due, or else the next available panel. (meeting, slot)
    or None when no meeting to come has room."""
    if child.second_review_due:
        meetings = child.panel.meetings.filter(
            status=MeetingStatus.SCHEDULED, date__gte=today, date__lt=child.second_review_due
        ).order_by("date")
        for meeting in meetings[:24]:
            places = places_for(meeting=meeting, section=section, child=child)
            if places:
                return meeting, places[0]
    return next_available(panel=child.panel, section=section, child=child, today=today)
