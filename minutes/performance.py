"""Panel performance: how each panel kept its own deadlines over the 12 months to an as-of
date: meetings held, children heard, submissions, agendas, minutes, decisions on the child's
file, and re-presentations by the chair's by-when.

Each deadline is a number of working days from a meeting (`Panel.LEAD_TIMES_*`), so the
working-day sums run in Python over the meetings, a bounded set. Whatever there is one of
per child (submissions, decisions on file) is counted in the database by meeting and by the
day it was done, and each day is judged against its meeting's deadline here; the
re-presentations are counted in the database. The page costs five queries whatever the
number of children or meetings.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from agendas.models import Booking, BookingStatus, Meeting, MeetingStatus, OutcomeEffect, Panel
from permanence.workdays import calendar
from tracker.measures import Period, months_of, periods

from .models import Decision
from .services.decisions import FORWARDING


@dataclass
class Tally:
    """How many were due by the as-of date, and how many of those were done on time."""

    due: int = 0
    on_time: int = 0

    def add(self, due: int, on_time: int) -> None:
        self.due += due
        self.on_time += on_time

    @property
    def share(self) -> float | None:
        return 100 * self.on_time / self.due if self.due else None


# What the page shows for each panel, in order: (attribute, name, definition).
TALLIES = (
    (
        "submissions",
        "Submissions on time",
        "Children booked into a meeting held in the period whose request needs a submission "
        "form or documents: those whose social worker sent the submission by the end of the "
        "panel’s submission deadline (working days before the meeting). A submission not sent "
        "by the deadline is late.",
    ),
    (
        "agenda_agreed",
        "Agendas agreed on time",
        "Meetings held in the period whose agenda the chair agreed by the end of the panel’s "
        "deadline for agreeing it.",
    ),
    (
        "agenda_circulated",
        "Agendas circulated on time",
        "Meetings held in the period whose agenda and papers were circulated by the end of the "
        "panel’s circulation deadline.",
    ),
    (
        "minutes_ratified",
        "Minutes ratified on time",
        "Meetings held in the period whose minutes the chair ratified by the end of the "
        "panel’s deadline (working days after the meeting). Meetings whose deadline is still "
        "ahead on the as-of date, and whose minutes are not yet ratified, are not counted.",
    ),
    (
        "minutes_distributed",
        "Minutes distributed on time",
        "Meetings held in the period whose minutes were distributed by the end of the "
        "panel’s deadline, counted as the ratified minutes are.",
    ),
    (
        "on_file",
        "Decisions on the child’s file on time",
        "Decisions made at meetings held in the period that were recorded on the child’s "
        "file by the end of the panel’s deadline, counted as the minutes are.",
    ),
    (
        "re_presentations",
        "Re-presentations by the chair’s by-when",
        "Decisions that deferred a child or sent them back to panel, whose by-when date fell "
        "in the period: those heard again by the panel’s first meeting on or after that "
        "date, the meeting panel books them back into.",
    ),
)


@dataclass
class PanelFigures:
    panel: Panel
    meetings_held: int = 0
    children_heard: int = 0
    submissions: Tally = field(default_factory=Tally)
    agenda_agreed: Tally = field(default_factory=Tally)
    agenda_circulated: Tally = field(default_factory=Tally)
    minutes_ratified: Tally = field(default_factory=Tally)
    minutes_distributed: Tally = field(default_factory=Tally)
    on_file: Tally = field(default_factory=Tally)
    re_presentations: Tally = field(default_factory=Tally)

    @property
    def heard_per_meeting(self) -> float | None:
        return self.children_heard / self.meetings_held if self.meetings_held else None


@dataclass(frozen=True)
class PanelPerformance:
    as_of: date
    period: Period
    panels: list[PanelFigures]
    # Children heard in each month of the period, across the panels: (month, count).
    heard_by_month: list

    @property
    def tally_rows(self) -> list[tuple[str, str, list[Tally]]]:
        """The table’s rows: (attribute, name, each panel’s tally in the panels' order)."""
        return [
            (attribute, name, [getattr(figures, attribute) for figures in self.panels])
            for attribute, name, _ in TALLIES
        ]


def _by(done_on: date | None, deadline: date, as_of: date) -> tuple[int, int]:
    """(due, on time) for one thing with one deadline, judged on the as-of date: it counts
    once its deadline has passed or it is done; done after the as-of date is not yet done.
    On time is by the end of the deadline’s day."""
    done = done_on is not None and done_on <= as_of
    if not done and deadline >= as_of:
        return 0, 0
    return 1, int(done and done_on <= deadline)


def _day(when: datetime | None) -> date | None:
    """The council’s day a timestamp fell on."""
    return None if when is None else timezone.localdate(when)


def panel_performance(as_of: date) -> PanelPerformance:
    period = periods(as_of)[0]
    working = calendar()  # 1 query
    panels = {panel.pk: PanelFigures(panel) for panel in Panel.objects.order_by("name")}  # 1
    meetings = list(
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED, date__gte=period.start, date__lte=as_of
        )
        .select_related("minutes")
        .order_by("date")
    )  # 1
    submission_due, on_file_due = {}, {}
    for meeting in meetings:
        figures = panels[meeting.panel_id]
        panel = figures.panel
        figures.meetings_held += 1
        due = {
            name: working.add_working_days(meeting.date, getattr(panel, name))
            for name in (
                "submission_due_days",
                "agenda_agree_days",
                "agenda_circulate_days",
                "minutes_ratify_days",
                "minutes_distribute_days",
                "decision_recorded_days",
            )
        }
        submission_due[meeting.pk] = due["submission_due_days"]
        on_file_due[meeting.pk] = due["decision_recorded_days"]
        minutes = getattr(meeting, "minutes", None)
        for tally, when, deadline in (
            (figures.agenda_agreed, meeting.agenda_agreed_at, due["agenda_agree_days"]),
            (figures.agenda_circulated, meeting.agenda_circulated_at, due["agenda_circulate_days"]),
            (figures.minutes_ratified, minutes and minutes.ratified_at, due["minutes_ratify_days"]),
            (
                figures.minutes_distributed,
                minutes and minutes.distributed_at,
                due["minutes_distribute_days"],
            ),
        ):
            tally.add(*_by(_day(when), deadline, as_of))
    heard_by_month = _count_bookings(panels, meetings, submission_due, on_file_due, as_of)
    _count_re_presentations(panels, period)
    return PanelPerformance(
        as_of=as_of,
        period=period,
        panels=list(panels.values()),
        heard_by_month=[(month, heard_by_month.get(month, 0)) for month in months_of(period)],
    )


def _count_bookings(panels, meetings, submission_due, on_file_due, as_of) -> dict:
    """Children heard, submissions and decisions on file: one query, counting the bookings
    of each meeting by the day their submission was sent and their decision recorded on
    file, so each day is judged against the meeting's deadline here. Returns the children
    heard in each month."""
    if not meetings:
        return {}
    to_send = Q(pk__in=Booking.objects.with_something_to_send().values("pk"))
    decided = Q(decision__isnull=False)
    rows = (
        Booking.objects.filter(status=BookingStatus.BOOKED, meeting__in=[m.pk for m in meetings])
        .annotate(
            sent_on=TruncDate("submission__submitted_at"),
            on_file_on=TruncDate("decision__recorded_on_file_at"),
        )
        .order_by()
        .values("meeting_id", "sent_on", "on_file_on")
        .annotate(
            heard=Count(
                "pk", filter=decided & ~Q(decision__outcome__effect=OutcomeEffect.NOT_DISCUSSED)
            ),
            to_send=Count("pk", filter=to_send),
            decided=Count("pk", filter=decided),
        )
    )  # 1
    by_pk = {meeting.pk: meeting for meeting in meetings}
    heard_by_month = defaultdict(int)
    for row in rows:
        meeting = by_pk[row["meeting_id"]]
        figures = panels[meeting.panel_id]
        figures.children_heard += row["heard"]
        heard_by_month[meeting.date.replace(day=1)] += row["heard"]
        due, on_time = _by(row["sent_on"], submission_due[meeting.pk], as_of)
        figures.submissions.add(due * row["to_send"], on_time * row["to_send"])
        due, on_time = _by(row["on_file_on"], on_file_due[meeting.pk], as_of)
        figures.on_file.add(due * row["decided"], on_time * row["decided"])
    return heard_by_month


def _count_re_presentations(panels, period: Period) -> None:
    """Deferrals and re-presentations whose by-when fell in the period, by panel: one query.

    Panel books the child back into its first meeting on or after the by-when
    (`agendas.services.booking_forward`), so that meeting is the chair's deadline: heard
    there or before is on time. Each counts once that meeting has passed (the by-when
    itself, when the panel has no meeting after it) or the child has been heard again."""
    first_meeting = (
        Meeting.objects.filter(
            panel=OuterRef("booking__panel"),
            status=MeetingStatus.SCHEDULED,
            date__gte=OuterRef("by_date"),
        )
        .order_by("date")
        .values("date")[:1]
    )
    heard_again = Q(
        forward_booking__status=BookingStatus.BOOKED,
        forward_booking__decision__isnull=False,
        forward_booking__meeting__date__lte=period.end,
    )
    rows = (
        Decision.objects.filter(period.holds("by_date"), outcome__effect__in=FORWARDING)
        .annotate(back_by=Coalesce(Subquery(first_meeting), F("by_date")))
        .order_by()
        .values("booking__panel_id")
        .annotate(
            due=Count("pk", filter=Q(back_by__lt=period.end) | heard_again),
            on_time=Count(
                "pk", filter=heard_again & Q(forward_booking__meeting__date__lte=F("back_by"))
            ),
        )
    )  # 1
    for row in rows:
        panels[row["booking__panel_id"]].re_presentations.add(row["due"], row["on_time"])
