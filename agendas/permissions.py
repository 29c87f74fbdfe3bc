"""Who may do what with panels, meetings, agendas, packs, bookings and submissions.

What a user may see is the selectors': `visible_meeting` (a panel the user does not sit on
is refused in plain words, one that does not exist is a 404) and `visible_booking` (another
team's child is a 404). These predicates decide what they may do with what they see.
"""

from permanence.permissions import (
    DENIED,
    NOT_ALLOWED,
    NOT_FOUND,
    PAGE,
    administrators_only,
    answers,
)
from permanence.roles import Role


def can_set_up_panels(user) -> bool:
    """Panel administrators set a panel up from its terms of reference: its settings,
    sections, breaks, request types, documents and seats, who sits in them, and its meetings
    (scheduled, changed or cancelled)."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_book(user) -> bool:
    """Panel administrators keep each panel's diary: they book children into meetings, change,
    move and cancel bookings, and keep the waiting list."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_agree_agenda(user, meeting) -> bool:
    """The panel's chair or deputy chair (North Somerset: either joint chair) agrees the
    agenda before it is circulated."""
    return meeting.panel.is_chaired_by(user)


def can_give_theme(user, meeting) -> bool:
    """The Head of Service chairs the panel and identifies each month's theme (Lancashire's
    agenda item 5): the chair or deputy gives it; administrators, who ask for it, may enter
    it for them, as they can when they change the meeting."""
    if not meeting.panel.has_thematic_item:
        return False
    return meeting.panel.is_chaired_by(user) or user.has_any_role(Role.ADMINISTRATOR)


def can_circulate(user, meeting) -> bool:
    """Panel administrators circulate the meeting's papers: they mark the agenda circulated
    and build the agenda pack."""
    return user.has_any_role(Role.ADMINISTRATOR)


def can_edit_submission(user, booking) -> bool:
    """The booking's social worker, a team manager answering for it (named on it, or of the
    child's team), or an administrator fills in the submission and uploads its documents."""
    if user.has_any_role(Role.ADMINISTRATOR):
        return True
    if user.has_role(Role.TEAM_MANAGER) and (
        booking.team_manager_id == user.pk
        or (user.team_id and booking.child.team_id == user.team_id)
    ):
        return True
    return user.has_role(Role.SOCIAL_WORKER) and booking.social_worker_id == user.pk


def can_record_emergency_decisions(user) -> bool:
    """A senior manager records an emergency decision they made outside panel; an
    administrator records one on their behalf. Here rather than in minutes, which records
    them, because each panel's page offers it."""
    return user.has_any_role(Role.ADMINISTRATOR, Role.SENIOR_MANAGER)


# Rows the minutes' pages share. A meeting: the panel's chair and members, administrators and
# senior managers read it; anyone else is refused in plain words.
MEETING_PAGE = answers(PAGE, social_worker=DENIED, other_social_worker=DENIED, team_manager=DENIED)
# The submission: the child's workers and administrators; another team's child is not there.
_SUBMISSION = answers(
    DENIED,
    administrator=PAGE,
    social_worker=PAGE,
    team_manager=PAGE,
    other_social_worker=NOT_FOUND,
)
# Administrators change bookings; another team's child is not there even to be refused.
_BOOKING_CHANGE = answers(DENIED, administrator=PAGE, other_social_worker=NOT_FOUND)
# A booking, or what panel decided on it: a child another team holds is not there.
BOOKING_PAGE = answers(PAGE, other_social_worker=NOT_FOUND)

ACCESS = {
    "agendas:panel-list": answers(PAGE),
    "agendas:panel-detail": answers(PAGE),
    "agendas:panel-change": administrators_only(),
    "agendas:section-add": administrators_only(),
    "agendas:section-change": administrators_only(),
    "agendas:section-remove": administrators_only(),
    "agendas:break-add": administrators_only(),
    "agendas:break-change": administrators_only(),
    "agendas:break-remove": administrators_only(),
    "agendas:request-type-add": administrators_only(),
    "agendas:request-type-change": administrators_only(),
    "agendas:request-type-remove": administrators_only(),
    "agendas:document-add": administrators_only(),
    "agendas:document-change": administrators_only(),
    "agendas:document-remove": administrators_only(),
    "agendas:member-add": administrators_only(),
    "agendas:member-change": administrators_only(),
    "agendas:member-remove": administrators_only(),
    "seats:person": administrators_only(),
    "agendas:schedule": administrators_only(),
    "agendas:meeting": MEETING_PAGE,
    "agendas:meeting-change": administrators_only(),
    "agendas:meeting-cancel": administrators_only(),
    "agendas:meeting-theme": answers(DENIED, administrator=PAGE, chair=PAGE),
    "agendas:agenda": MEETING_PAGE,
    "agendas:agenda-pdf": MEETING_PAGE,
    # Buttons: agreeing, circulating and building are POSTs.
    "agendas:agenda-agree": answers(NOT_ALLOWED),
    "agendas:agenda-circulated": answers(NOT_ALLOWED),
    "agendas:pack-build": answers(NOT_ALLOWED),
    "agendas:pack-status": MEETING_PAGE,
    "agendas:pack-download": MEETING_PAGE,
    "agendas:waiting-list": administrators_only(),
    "agendas:booking-add": administrators_only(),
    "agendas:tracking-list": administrators_only(),
    "bookings:list": answers(PAGE),
    "bookings:new": _BOOKING_CHANGE,
    "bookings:detail": BOOKING_PAGE,
    "bookings:change": _BOOKING_CHANGE,
    "bookings:move": _BOOKING_CHANGE,
    "bookings:cancel": _BOOKING_CHANGE,
    "bookings:submission": _SUBMISSION,
    "bookings:document-upload": _SUBMISSION,
    "bookings:document-download": BOOKING_PAGE,
    # A button: those who may send the submission are told it is a POST.
    "bookings:submit": answers(
        DENIED,
        administrator=NOT_ALLOWED,
        social_worker=NOT_ALLOWED,
        team_manager=NOT_ALLOWED,
        other_social_worker=NOT_FOUND,
    ),
}
