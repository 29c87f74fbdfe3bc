"""The minutes app's emails: the minutes to ratify (a reminder, then an overdue notice),
what the ratified minutes decided (to the panel, and to each child's social worker and
team manager), a recommendation waiting for a senior decision and the answer, and each
person's daily digest of actions due.

Every email goes through the outbox (`permanence.outbox.notify_all`). The scan's notices
are worked out from a fixed number of queries whatever the number of meetings, actions or
people, and an email the outbox already holds is neither rendered nor asked for again: a
person whose digest for today is written already has their actions left unread, so the
scan every quarter of an hour costs the same few queries once the day's emails are out.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from html import escape
from itertools import groupby
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from agendas.models import Meeting, MeetingStatus, OutcomeEffect, Panel
from permanence import outbox
from permanence.models import Notification
from permanence.outbox import Notice
from permanence.roles import Role
from permanence.selectors import users_holding
from permanence.workdays import Calendar, calendar

from .models import ApprovalStatus, Minutes, PanelAction
from .presenters import awaiting_text, forward_booking_text
from .selectors import decisions_with_actions, ratifiers, with_ratifiers

# The reminder goes this many working days before the ratify-by date.
REMIND_BEFORE = 2
# The overdue notice is sent from the working day after the ratify-by date, and no longer
# than this many working days after it (a scan that was down catches up, but a meeting from
# last year does not suddenly email everyone).
OVERDUE_FOR = 20
# The digest lists the open actions due within this many working days, and the overdue ones.
DIGEST_AHEAD = 2

MINUTES_REMINDER = "minutes_reminder"
MINUTES_OVERDUE = "minutes_overdue"
MINUTES_RATIFIED = "minutes_ratified"
DECISION_RATIFIED = "decision_ratified"
ACTION_DIGEST = "action_digest"
APPROVAL_WAITING = "approval_waiting"
APPROVAL_DECIDED = "approval_decided"


def _reachable(people: Iterable) -> list:
    """Each person once, in the order given, leaving out anyone the outbox cannot email."""
    seen, reachable = set(), []
    for person in people:
        if person is None or person.pk in seen or not person.is_active or not person.email:
            continue
        seen.add(person.pk)
        reachable.append(person)
    return reachable


# The scan --------------------------------------------------------------------------------


def on_scan_due(sender, today: date, **kwargs) -> None:
    """`permanence.signals.scan_due` receiver (connected in MinutesConfig.ready)."""
    scan(today=today)


def scan(*, today: date, working_days: Calendar | None = None) -> int:
    """Queue the minutes reminders, overdue notices and action digests due today."""
    working_days = working_days or calendar()
    notices = minutes_notices_due(today=today, working_days=working_days)
    notices += action_digests_due(today=today, working_days=working_days)
    return outbox.notify_all(notices)


def ratify_by(meeting: Meeting, working_days: Calendar) -> date:
    return working_days.add_working_days(meeting.date, meeting.panel.minutes_ratify_days)


def minutes_notices_due(*, today: date, working_days: Calendar) -> list[Notice]:
    """For each held meeting whose minutes are not ratified: the reminder in the two working
    days before the ratify-by date, then the overdue notice from the working day after it.
    Each is one email per person (keyed on the day it is for), sent by the first scan in
    its window."""
    longest = Panel.objects.aggregate(longest=Max("minutes_ratify_days"))["longest"]
    if longest is None:
        return []
    # No meeting before this can be in either window, whatever its panel's lead time.
    earliest = working_days.add_working_days(today, -(longest + OVERDUE_FOR + 1))
    meetings = (
        with_ratifiers(
            Meeting.objects.filter(
                status=MeetingStatus.SCHEDULED, date__lt=today, date__gte=earliest
            )
        )
        # A LEFT JOIN: no minutes yet, or minutes not ratified.
        .filter(minutes__ratified_at__isnull=True)
        .order_by("date", "pk")
    )
    administrators = None
    notices = []
    for meeting in meetings:
        due = ratify_by(meeting, working_days)
        remind_on = working_days.add_working_days(due, -REMIND_BEFORE)
        overdue_on = working_days.add_working_days(due, 1)
        if remind_on <= today <= due:
            kind, due_on = MINUTES_REMINDER, remind_on
        elif overdue_on <= today <= working_days.add_working_days(due, OVERDUE_FOR):
            kind, due_on = MINUTES_OVERDUE, overdue_on
        else:
            continue
        if administrators is None:
            administrators = list(users_holding(Role.ADMINISTRATOR))
        panel = meeting.panel
        when = f"{panel.name}, {date_format(meeting.date)}"
        subject = (
            f"Minutes to ratify by {date_format(due)}: {when}"
            if kind == MINUTES_REMINDER
            else f"Overdue: the minutes of {when} (due {date_format(due)})"
        )
        context = {"meeting": meeting, "panel": panel, "due": due}
        chairs = ratifiers(meeting)
        notices += [
            Notice(
                kind=kind,
                about=f"meeting:{meeting.pk}",
                recipient=person,
                subject=subject,
                template=f"emails/{kind}",
                context={**context, "is_chair": person in chairs},
                due_on=due_on,
            )
            for person in _reachable([*administrators, *chairs])
        ]
    return notices


def action_digests_due(*, today: date, working_days: Calendar) -> list[Notice]:
    """On a working day, one email to each person with open actions due within the next
    two working days or overdue, listing them all. The people are found first, and only
    the actions of those whose digest for today is not written yet are read."""
    if not working_days.is_working_day(today):
        return []
    horizon = working_days.add_working_days(today, DIGEST_AHEAD)
    listed = PanelAction.objects.filter(completed_at__isnull=True, due_date__lte=horizon)
    owners = (
        get_user_model()
        .objects.filter(is_active=True, pk__in=listed.values("owner_id"))
        .exclude(email="")
        .order_by("pk")
    )
    digests = {owner.pk: _digest(owner, today=today) for owner in owners}
    written = (
        Notification.objects.filter(key__in=[digest.key for digest in digests.values()])
        .order_by()
        .values_list("recipient_id", flat=True)
    )
    for pk in written:
        del digests[pk]
    if not digests:
        return []
    # A region's digests list some 160,000 actions a morning: read as plain rows, and each
    # date put in words once.
    rows = (
        listed.filter(owner_id__in=list(digests))
        .order_by("owner_id", "due_date", "pk")
        .values_list(
            "owner_id",
            "due_date",
            "description",
            "child__first_name",
            "child__last_name",
            "child__case_number",
        )
    )
    in_words = cache(date_format)
    filled = []
    for owner_id, group in groupby(rows, key=itemgetter(0)):
        items = [
            DigestItem(
                child=f"{first_name[:1]}{last_name[:1]}".upper(),  # as Child.initials
                case_number=case_number,
                description=description,
                due=in_words(due_date),
                overdue=due_date < today,
            )
            for _, due_date, description, first_name, last_name, case_number in group
        ]
        overdue = sum(item.overdue for item in items)
        due_soon = len(items) - overdue
        counts = [f"{due_soon} due by {date_format(horizon)}"] if due_soon else []
        counts += [f"{overdue} overdue"] if overdue else []
        digest = digests[owner_id]
        digest.subject = f"Your panel actions: {' and '.join(counts)}"
        digest.context = {
            "horizon": horizon,
            "actions_text": "".join(item.text() for item in items),
            "actions_html": SafeString("\n  ".join(item.html() for item in items)),
        }
        filled.append(digest)
    return filled


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One action as the digest lists it. The list is written here rather than looped in
    the template: at a region's size the template language's loop costs ten times as much,
    seconds of every morning's scan."""

    child: str  # initials only
    case_number: str
    description: str
    due: str
    overdue: bool

    def text(self) -> str:
        overdue = ": overdue" if self.overdue else ""
        return (
            f"- {self.child} (case number {self.case_number}): {self.description}. "
            f"Due {self.due}{overdue}\n"
        )

    def html(self) -> str:
        # The standard library's escape writes what Django's does (&amp; &lt; &gt; &quot;
        # &#x27;) at a fraction of the cost, and the lines break as linebreaksbr breaks them.
        lines = self.description.replace("\r\n", "\n").replace("\r", "\n")
        description = escape(lines).replace("\n", "<br>")
        overdue = ": <strong>overdue</strong>" if self.overdue else ""
        return (
            f"<li>{escape(self.child)} (case number {escape(self.case_number)}): "
            f"{description}. Due {escape(self.due)}{overdue}</li>"
        )


def _digest(owner, *, today: date) -> Notice:
    """A person's digest for today, its subject and list filled in once their actions
    are read (one completed meanwhile leaves nothing to fill, and nothing is sent)."""
    return Notice(
        kind=ACTION_DIGEST,
        about=f"user:{owner.pk}",
        recipient=owner,
        subject="",
        template=f"emails/{ACTION_DIGEST}",
        due_on=today,
    )


# Ratification ----------------------------------------------------------------------------


def minutes_ratified(*, meeting: Meeting, minutes: Minutes) -> int:
    """Call inside the ratification's transaction. The minutes go to the panel's members,
    chair and deputy; each child's decision goes to the booking's social worker and team
    manager. Returns how many emails were queued."""
    panel = meeting.panel
    decisions = list(decisions_with_actions(meeting))
    for decision in decisions:
        decision.forward_note = forward_booking_text(decision)
        waiting = decision.approval_status == ApprovalStatus.AWAITING
        decision.awaiting_note = awaiting_text(panel) if waiting else ""
    members = (
        get_user_model()
        .objects.filter(
            Q(panel_memberships__panel=panel)
            | Q(pk__in=[pk for pk in (panel.chair_id, panel.deputy_chair_id) if pk])
        )
        .distinct()
        .order_by("pk")
    )
    notices = [
        Notice(
            kind=MINUTES_RATIFIED,
            about=f"meeting:{meeting.pk}",
            recipient=person,
            subject=f"Minutes ratified: {panel.name}, {date_format(meeting.date)}",
            template=f"emails/{MINUTES_RATIFIED}",
            context={
                "meeting": meeting,
                "panel": panel,
                "minutes": minutes,
                "decisions": decisions,
            },
        )
        for person in _reachable(members)
    ]
    tracker_panel = panel.sends_tracker_with_decisions
    for decision in decisions:
        booking = decision.booking
        child = booking.child
        context = {
            "meeting": meeting,
            "panel": panel,
            "decision": decision,
            "booking": booking,
            "child": child,
            "actions": list(decision.actions.all()),
            "tracker_panel": (child.panel_id or panel.pk) if tracker_panel else None,
            "deferred": decision.outcome.effect == OutcomeEffect.DEFER,
        }
        notices += [
            Notice(
                kind=DECISION_RATIFIED,
                about=f"decision:{decision.pk}",
                recipient=person,
                subject=f"Panel decision for {child.initials} ({child.case_number}), "
                f"{date_format(meeting.date)}",
                template=f"emails/{DECISION_RATIFIED}",
                context=context,
            )
            for person in _reachable([booking.social_worker, booking.team_manager])
        ]
    outbox.notify_all(notices)
    return len(notices)


# Senior approval -------------------------------------------------------------------------


def _approval_context(decision) -> dict:
    booking = decision.booking
    return {
        "decision": decision,
        "booking": booking,
        "child": booking.child,
        "meeting": booking.meeting,
        "panel": booking.meeting.panel,
    }


def queue_approval_waiting(*, decision) -> int:
    """Call inside the transaction that leaves a recommendation waiting for a senior
    decision. Every active senior manager is told, since any of them can approve it on
    /approvals/ (the panel names the approver's role, such as Knowsley's Assistant
    Executive Director, not a person). Called only when it starts waiting: a decision
    recorded again while it waits tells nobody twice, and one that waits again later is
    told again. Returns how many emails were queued."""
    context = _approval_context(decision)
    child, panel, meeting = context["child"], context["panel"], context["meeting"]
    about = outbox.next_change(kind=APPROVAL_WAITING, about=f"decision:{decision.pk}")
    who = panel.senior_decision_maker or "a senior officer"
    notices = [
        Notice(
            kind=APPROVAL_WAITING,
            about=about,
            recipient=person,
            subject=f"Waiting for a decision by {who}: {child.initials} ({child.case_number}), "
            f"{panel.name}, {date_format(meeting.date)}",
            template=f"emails/{APPROVAL_WAITING}",
            context={**context, "who": who},
        )
        for person in _reachable(users_holding(Role.SENIOR_MANAGER))
    ]
    outbox.notify_all(notices)
    return len(notices)


def queue_approval_decided(*, decision) -> int:
    """Call inside the transaction that approves or declines a recommendation: the child's
    social worker and team manager and the administrators are told the answer. Returns
    how many emails were queued."""
    context = _approval_context(decision)
    child, booking, meeting = context["child"], context["booking"], context["meeting"]
    approved = decision.approval_status == ApprovalStatus.APPROVED
    # Each answer is its own notice: a recommendation recorded again after an answer can
    # wait, and be answered, again.
    about = outbox.next_change(kind=APPROVAL_DECIDED, about=f"decision:{decision.pk}")
    notices = [
        Notice(
            kind=APPROVAL_DECIDED,
            about=about,
            recipient=person,
            subject=f"Recommendation {'approved' if approved else 'declined'}: "
            f"{child.initials} ({child.case_number}), panel on {date_format(meeting.date)}",
            template=f"emails/{APPROVAL_DECIDED}",
            context={**context, "approved": approved},
        )
        for person in _reachable(
            [booking.social_worker, booking.team_manager, *users_holding(Role.ADMINISTRATOR)]
        )
    ]
    outbox.notify_all(notices)
    return len(notices)
