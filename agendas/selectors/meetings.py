from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q, QuerySet
from django.http import Http404

from permanence.models import Notification, NotificationStatus
from permanence.workdays import Calendar

from ..models import BookingStatus, Meeting, Panel
from ..permissions import panels_sat_on, reads_every_panels_papers
from .panels import panel_deadlines


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


@dataclass(frozen=True)
class ThemeRequest:
    """When the chair is asked for a meeting's theme, and when it is due."""

    asked_on: date
    due: date


def theme_request(meeting: Meeting, working_days: Calendar) -> ThemeRequest | None:
    """Lancashire's agenda item 5: "Business Support will request details of the theme in
    advance from the HoS", the panel's `theme_request_days` before the meeting. None when
    the panel asks for no theme.

    It is due by the day the chair agrees the agenda: the agenda the chair agrees, and the
    administrator then circulates, names the theme. Asked later than that (a panel that
    asks late), it is due the day it is asked."""
    panel = meeting.panel
    if not panel.has_thematic_item or panel.theme_request_days is None:
        return None
    asked_on = working_days.add_working_days(meeting.date, panel.theme_request_days)
    agree_by = working_days.add_working_days(meeting.date, panel.agenda_agree_days)
    return ThemeRequest(asked_on=asked_on, due=max(asked_on, agree_by))


def visible_meetings(user) -> QuerySet[Meeting]:
    """Meetings whose agenda this user may read.

    Administrators and senior managers see every panel's; a chair or member sees the panels
    they sit on. Social workers and team managers see their bookings, not whole agendas.
    """
    meetings = Meeting.objects.select_related("panel")
    if not (user.is_authenticated and user.is_active):
        return meetings.none()
    if reads_every_panels_papers(user):
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
