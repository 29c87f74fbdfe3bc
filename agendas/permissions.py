"""Who may do what with panels, meetings, agendas, packs, bookings and submissions.

What a user may see is the selectors': `visible_meeting` (a panel the user does not sit on
is refused in plain words, one that does not exist is a 404) and `visible_booking` (another
team's child, or another panel's booking, is a 404). Which bookings those are is decided
here, once, by `papers_scope`. These predicates decide what they may do with what they see.
"""

from django.db.models import Exists, OuterRef, Q

from permanence.permissions import (
    DENIED,
    NOT_ALLOWED,
    NOT_FOUND,
    PAGE,
    administrators_only,
    answers,
)
from permanence.roles import Role
from tracker.permissions import can_manage_children
from tracker.selectors import caseload

from .models import Booking, Panel

# minutes' AttendanceStatus.PRESENT, named here as agendas may not import minutes: the
# attendance is read through the meeting's reverse relation, as `decision` is.
_PRESENT = "present"


def reads_every_panels_papers(user) -> bool:
    """Administrators run every panel and senior managers oversee them all."""
    return user.has_any_role(Role.ADMINISTRATOR, Role.SENIOR_MANAGER)


def panels_sat_on(user):
    """The panels this user chairs, deputises on or holds a seat on."""
    return Panel.objects.filter(
        Q(chair=user) | Q(deputy_chair=user) | Q(memberships__user=user)
    ).distinct()


def papers_scope(user) -> Q:
    """The bookings whose papers this user may read, as a condition on `Booking`: the
    booking itself, its submission and documents, and the decision and case note hung on it.

    - Administrators and senior managers: every panel's.
    - A chair, deputy chair or member: the bookings of the panels they sit on, and of a
      child they heard at a panel they were recorded present at, so leaving the panel
      does not take away the history of a child they decided on. A chair or member sees
      every child's tracker row; another panel's papers are not theirs to read.
    - Anyone: the bookings of the children in their caseload, and those they are named on to
      present.
    """
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if reads_every_panels_papers(user):
        return Q()
    heard = Booking.objects.discussed_at_panel().filter(
        child=OuterRef("child"),
        panel=OuterRef("panel"),
        meeting__attendance__person=user,
        meeting__attendance__status=_PRESENT,
    )
    return (
        Q(panel__in=panels_sat_on(user))
        | Exists(heard)
        | Q(child__in=caseload(user))
        | Q(social_worker=user)
        | Q(team_manager=user)
    )


def can_download_pack(user, meeting) -> bool:
    """The agenda pack holds every child's papers for the meeting: the administrators who
    build it, and the panel's chair, deputy and members who read it. Senior managers oversee
    the tracker and decisions but do not download packs (unless they sit on the panel)."""
    if user.has_any_role(Role.ADMINISTRATOR):
        return True
    return panels_sat_on(user).filter(pk=meeting.panel_id).exists()


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


def can_write_contribution(user, contribution) -> bool:
    """The seat's member writes their contribution for a booked child. When they are away a
    representative writes it: another member, the chair or deputy of the same panel, or an
    administrator writing what the member's deputy sent (Lancashire: "deputy arrangements
    are in place should a Panel member be unable to attend")."""
    return contribution.kind in writable_contributions(user, contribution.booking, [contribution])


def writable_contributions(user, booking, contributions) -> set[str]:
    """The kinds of the booking's contributions the user may write, in one query at most."""
    if booking.status == "cancelled" or not contributions:
        return set()
    if (
        user.has_any_role(Role.ADMINISTRATOR)
        or panels_sat_on(user).filter(pk=booking.panel_id).exists()
    ):
        return {contribution.kind for contribution in contributions}
    return set()


def can_keep_a_calendar(user) -> bool:
    """Everyone signed in may have a calendar link: it holds only what they may read
    already (`agendas.selectors.calendar_meetings` and `calendar_bookings`)."""
    return user.is_authenticated and user.is_active


def can_record_emergency_decisions(user) -> bool:
    """A senior manager records an emergency decision they made outside panel; an
    administrator records one on their behalf. Here rather than in minutes, which records
    them, because each panel's page offers it."""
    return user.has_any_role(Role.ADMINISTRATOR, Role.SENIOR_MANAGER)


# Rows the minutes' pages share. A meeting: the panel's chair and members, administrators and
# senior managers read it; anyone else, another panel's member too, is refused in plain words.
MEETING_PAGE = answers(
    PAGE,
    social_worker=DENIED,
    other_social_worker=DENIED,
    team_manager=DENIED,
    other_panel_member=DENIED,
)
# The pack: as the meeting, but senior managers do not download packs (README, Roles).
_PACK = MEETING_PAGE | {"senior_manager": DENIED}
# The submission: the child's workers and administrators; another team's child, or another
# panel's booking, is not there.
_SUBMISSION = answers(
    DENIED,
    administrator=PAGE,
    social_worker=PAGE,
    team_manager=PAGE,
    other_social_worker=NOT_FOUND,
    other_panel_member=NOT_FOUND,
)
# Administrators change bookings; another team's child is not there even to be refused.
_BOOKING_CHANGE = answers(
    DENIED, administrator=PAGE, other_social_worker=NOT_FOUND, other_panel_member=NOT_FOUND
)
# A booking, or what panel decided on it: a child another team holds, or a booking at a
# panel the member does not sit on, is not there (`papers_scope`).
BOOKING_PAGE = answers(PAGE, other_social_worker=NOT_FOUND, other_panel_member=NOT_FOUND)


def can_answer_planning_questions_for(user, child) -> bool:
    """From the tracker, the administrator answers a child's planning questions (Somerset
    3.1); the child's workers answer them in the submission (`can_edit_submission`)."""
    return can_manage_children(user)


ACCESS = {
    "agendas:panel-list": answers(PAGE),
    "agendas:panel-detail": answers(PAGE),
    "agendas:panel-change": administrators_only(),
    "agendas:contributions-change": administrators_only(),
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
    "agendas:planning-question-add": administrators_only(),
    "agendas:planning-question-change": administrators_only(),
    "agendas:planning-question-remove": administrators_only(),
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
    "agendas:pack-download": _PACK,
    "agendas:waiting-list": administrators_only(),
    "agendas:booking-add": administrators_only(),
    "agendas:tracking-list": administrators_only(),
    # Lancashire's new children looked after: each sees the children they may see; only
    # administrators book (a POST button).
    "new-to-care:list": answers(PAGE),
    "new-to-care:book": answers(NOT_ALLOWED),
    # A person's calendar link. The feed needs no sign-in (a calendar app cannot sign in):
    # its token is the key, and a token never given is not there, for anyone.
    "calendar:link": answers(PAGE),
    "calendar:link-new": answers(NOT_ALLOWED),  # a button
    "calendar:link-stop": answers(NOT_ALLOWED),  # a button
    "calendar:feed": answers(NOT_FOUND, anonymous=NOT_FOUND),
    "bookings:list": answers(PAGE),
    # Booking a child: every member sees the child, so only the other team is not there.
    "bookings:new": answers(DENIED, administrator=PAGE, other_social_worker=NOT_FOUND),
    "bookings:detail": BOOKING_PAGE,
    "bookings:change": _BOOKING_CHANGE,
    "bookings:move": _BOOKING_CHANGE,
    "bookings:cancel": _BOOKING_CHANGE,
    "bookings:submission": _SUBMISSION,
    # A member's contribution: the panel's members and administrators; the child's workers
    # may open the booking but not write it; another panel's member does not see it.
    "bookings:contribution": answers(
        DENIED,
        administrator=PAGE,
        chair=PAGE,
        panel_member=PAGE,
        other_social_worker=NOT_FOUND,
        other_panel_member=NOT_FOUND,
    ),
    "bookings:planning-questions": _SUBMISSION,
    # A child another team holds is not there, even to be refused.
    "planning:child": answers(DENIED, administrator=PAGE, other_social_worker=NOT_FOUND),
    "bookings:document-upload": _SUBMISSION,
    "bookings:guardians-feedback": _SUBMISSION,  # Torbay's SGO request (issue 16)
    "bookings:document-download": BOOKING_PAGE,
    # The amounts a request asks panel to agree: those who send the submission.
    "bookings:amounts": _SUBMISSION,
    # A button: those who may send the submission are told it is a POST.
    "bookings:submit": answers(
        DENIED,
        administrator=NOT_ALLOWED,
        social_worker=NOT_ALLOWED,
        team_manager=NOT_ALLOWED,
        other_social_worker=NOT_FOUND,
        other_panel_member=NOT_FOUND,
    ),
}
