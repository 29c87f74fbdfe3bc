"""Who may record, ratify and amend what panel decided, keep the minutes, and answer for a
senior decision.

What a user may see is the selectors': a meeting through `meeting_for` (the agendas'
`visible_meeting`), a decision through `visible_decision`, an action through `actions_of`
(only its owner's). These predicates decide what they may do with what they see.
"""

from agendas.models import Meeting
from agendas.permissions import BOOKING_PAGE, MEETING_PAGE
from permanence.permissions import DENIED, NOT_ALLOWED, NOT_FOUND, PAGE, answers
from permanence.roles import Role
from tracker.permissions import can_see_dashboards

from . import selectors


def can_record_decisions(user, meeting) -> bool:
    """The panel's chair or deputy chair, or an administrator beside them, records panel's
    decisions and the attendance on the day, and amends a decision once the minutes are
    ratified."""
    return user.has_any_role(Role.ADMINISTRATOR) or meeting.panel.is_chaired_by(user)


def can_ratify(user, meeting) -> bool:
    """The chair ratifies the minutes; so does the deputy chair who acted as chair, and
    either of North Somerset's joint chairs (`selectors.ratifiers`, which also says whom
    My tasks and the reminders ask to ratify)."""
    if not user.is_active:
        return False
    return user in selectors.ratifiers(
        selectors.with_ratifiers(Meeting.objects.filter(pk=meeting.pk)).get()
    )


def can_write_minutes(user, meeting) -> bool:
    """Panel administrators draft the minutes' notes and, once ratified, mark the minutes
    distributed."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_record_on_file(user) -> bool:
    """Panel administrators copy each decision onto the child's file and mark it recorded
    there."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_approve(user) -> bool:
    """Senior managers decide what panel only recommends (Knowsley's Assistant Executive
    Director): any of them may answer, as the panel names a role, not a person."""
    return user.has_any_role(Role.SENIOR_MANAGER)


def can_record_for_someone_else(user) -> bool:
    """An administrator records an emergency decision on behalf of the senior manager who
    made it; a senior manager records only their own."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_read_finance(user) -> bool:
    """The finance view and its CSV: administrators, who send it to the finance team, and
    senior managers, who answer for the scheme of delegation. They see every child already;
    the view shows each by initials and case number only."""
    return user.has_any_role(Role.ADMINISTRATOR, Role.SENIOR_MANAGER)


def can_record_revocation_outcome(user) -> bool:
    """Panel administrators keep the tracker: they record that a care order panel
    recommended revoking was revoked, or that the recommendation was withdrawn."""
    return user.has_any_role(Role.ADMINISTRATOR)


# Recording on the day: the chair (or deputy) and the administrators beside them.
_RECORDS = answers(DENIED, administrator=PAGE, chair=PAGE)
_SENIOR_MANAGERS = answers(DENIED, senior_manager=PAGE)


def can_read_panel_performance(user) -> bool:
    """Whoever reads the dashboards reads how every panel keeps its deadlines:
    counts of meetings and papers, no child's record."""
    return can_see_dashboards(user)


ACCESS = {
    "decisions:running-order": _RECORDS,
    "decisions:decision": _RECORDS,
    "decisions:attendance": _RECORDS,
    "decisions:tracking": _RECORDS,
    "decisions:tracking-attend": answers(NOT_ALLOWED),
    # A button: the chair agrees the next meeting's agenda from the running order.
    "decisions:next-agenda-agree": answers(NOT_ALLOWED),
    "minutes:minutes": MEETING_PAGE,
    "minutes:minutes-pdf": MEETING_PAGE,
    # Only once ratified (the world's are not), and only with a child the user may see.
    "minutes:minutes-tracker": answers(NOT_FOUND),
    # Buttons: ratifying and marking distributed are POSTs.
    "minutes:minutes-ratify": answers(NOT_ALLOWED),
    "minutes:minutes-distributed": answers(NOT_ALLOWED),
    "minutes:decision-amend": answers(
        DENIED,
        administrator=PAGE,
        chair=PAGE,
        other_social_worker=NOT_FOUND,
        other_panel_member=NOT_FOUND,
    ),
    # After the decision (minutes/views/onward.py): as amending it.
    "minutes:complex-cases-referral": answers(
        DENIED,
        administrator=PAGE,
        chair=PAGE,
        other_social_worker=NOT_FOUND,
        other_panel_member=NOT_FOUND,
    ),
    "minutes:revocation-recommend": answers(
        DENIED,
        administrator=PAGE,
        chair=PAGE,
        other_social_worker=NOT_FOUND,
        other_panel_member=NOT_FOUND,
    ),
    # The world's decision recommends no revocation: the administrator is told there is none.
    "minutes:revocation-outcome": answers(DENIED, administrator=NOT_FOUND),
    "minutes:case-note": BOOKING_PAGE,
    "minutes:case-note-pdf": BOOKING_PAGE,
    "minutes:case-note-recorded": answers(NOT_ALLOWED),
    "minutes:approvals": _SENIOR_MANAGERS,
    "minutes:approve": _SENIOR_MANAGERS,
    # Money under a scheme of delegation (issue 16).
    "decisions:amounts": _RECORDS,
    "minutes:finance": answers(DENIED, administrator=PAGE, senior_manager=PAGE),
    "minutes:finance-csv": answers(DENIED, administrator=PAGE, senior_manager=PAGE),
    "minutes:emergency-decisions": answers(DENIED, administrator=PAGE, senior_manager=PAGE),
    "minutes:my-tasks": answers(PAGE),
    "minutes:my-actions": answers(PAGE),
    # Only its owner completes an action: to anyone else it is not there.
    "minutes:action-complete": answers(NOT_FOUND, social_worker=PAGE),
    # Panel performance, under /dashboards/ (minutes/views/performance.py): as timeliness.
    "minutes:panel_performance": answers(
        DENIED, administrator=PAGE, chair=PAGE, team_manager=PAGE, senior_manager=PAGE
    ),
}
