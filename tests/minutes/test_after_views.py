"""The pages after the meeting: minutes, amendments, case notes, approvals, each person's
actions and emergency decisions. Who may do what, and what they see."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format

from agendas import services as agendas_services
from agendas.models import Booking, BookingStatus, Meeting, RequestPurpose, RequestType
from minutes import services
from minutes.models import (
    ApprovalStatus,
    AttendanceStatus,
    Decision,
    EmergencyDecision,
    Minutes,
    PanelAction,
)
from permanence.roles import Role
from tests.days import BOOKED_ON
from tests.factories import (
    ActionFactory,
    ChildFactory,
    DecisionFactory,
    PanelFactory,
    TeamFactory,
    approved_carers_for,
    winter_meetings,
)

pytestmark = pytest.mark.django_db

# Somerset meets fortnightly on Thursdays: 14 and 28 January 2027, 11 February…
MEETING, NEXT_MEETING = date(2027, 1, 14), date(2027, 1, 28)
# Five working days after the meeting: the minutes ratified and the case note recorded.
FIVE_DAYS_ON = date(2027, 1, 21)
AGREE = "Ratify the request, with timescales for the action plan"
RATIONALE = "The carers are approved for permanence and the child is settled."


@pytest.fixture
def traveller():
    with time_machine.travel(BOOKED_ON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def somerset_meetings(somerset, traveller):
    return winter_meetings(somerset)


@pytest.fixture
def child(social_worker, somerset):
    child = ChildFactory(
        first_name="Ada",
        last_name="Lovelace",
        case_number="100234",
        social_worker=social_worker,
        team=social_worker.team,
        panel=somerset,
    )
    approved_carers_for(child)  # Somerset matches only carers approved for permanence
    return child


@pytest.fixture
def booking(book, somerset_meetings, child):
    """Ada's match with her long term foster carers, at Somerset's 14 January panel."""
    return book(
        somerset_meetings[0],
        child,
        request="Matching",
        reason="Match with the long term foster carers",
    )


@pytest.fixture
def decision(booking, chair, traveller):
    traveller.move_to(MEETING)
    return DecisionFactory(
        booking=booking,
        outcome=AGREE,
        rationale=RATIONALE,
        recorded_by=chair,
        timescales="Matching report to the IRO within 6 weeks",
    )


@pytest.fixture
def action(decision, social_worker):
    return ActionFactory(decision=decision, owner=social_worker, due_date=date(2027, 2, 25))


def minutes_url(meeting: Meeting) -> str:
    return reverse("minutes:minutes", args=[meeting.panel.slug, meeting.pk])


def ratify(client, chair, meeting):
    client.force_login(chair)
    return client.post(reverse("minutes:minutes-ratify", args=[meeting.panel.slug, meeting.pk]))


def text(response) -> str:
    return response.content.decode()


# The minutes ----------------------------------------------------------------------------


def test_the_minutes_page_shows_the_draft_assembled_from_the_meeting(
    client, administrator, decision, action, make_user
):
    meeting = decision.booking.meeting
    Meeting.objects.filter(pk=meeting.pk).update(theme="Children placed with parents")
    seats = {seat.role_on_panel: seat for seat in meeting.panel.memberships.all()}
    seats["IRO Manager"].user = make_user(first_name="Ira", last_name="Manager")
    seats["IRO Manager"].save()
    services.attendance_record(
        meeting=meeting,
        rows=[
            {"membership": seats["IRO Manager"], "status": AttendanceStatus.PRESENT},
            {"membership": seats["Virtual School Head"], "status": AttendanceStatus.APOLOGIES},
            {
                "membership": seats["Children's Finance Manager"],
                "status": AttendanceStatus.REPRESENTED,
                "representative_name": "Rae Stand-In",
                "representative_role": "Finance Officer",
            },
        ],
    )
    client.force_login(administrator)
    page = text(client.get(minutes_url(meeting)))
    for expected in (
        "Thursday 14 January 2027",
        "Children placed with parents",
        "Ira Manager, IRO Manager",
        "Virtual School Head",
        "Rae Stand-In, Finance Officer, for the Children&#x27;s Finance Manager",
        "Ada Lovelace",
        "Case number 100234",
        "Matching",
        AGREE,
        RATIONALE,
        "Matching report to the IRO within 6 weeks",
        "Send the matching report to the IRO",
        "Sam Worker",
        "Thursday 25 February 2027",
        reverse("minutes:case-note", args=[decision.pk]),
    ):
        assert expected in page
    # The administrator edits the notes until the chair ratifies.
    assert 'name="notes"' in page
    assert "Ratify the minutes" not in page
    response = client.post(minutes_url(meeting), {"notes": "Next month's theme: adoption."})
    assert response.status_code == 302
    assert Minutes.objects.get(meeting=meeting).notes == "Next month's theme: adoption."


def test_a_child_without_a_decision_is_named_on_the_draft(client, administrator, decision):
    meeting = decision.booking.meeting
    with time_machine.travel(BOOKED_ON, tick=False):
        agendas_services.booking_create(
            meeting=meeting,
            child=ChildFactory(first_name="Grace", last_name="Hopper", panel=meeting.panel),
            request_type=meeting.panel.request_types.get(name="Staying Put"),
            reason="Staying Put arrangement",
            booked_by=administrator,
        )
    client.force_login(administrator)
    assert "No decision recorded yet for: Grace Hopper." in text(client.get(minutes_url(meeting)))


def test_only_the_chair_ratifies_and_ratification_locks_the_decisions(
    client, administrator, chair, decision, make_user
):
    meeting = decision.booking.meeting
    member = make_user(Role.PANEL_MEMBER)
    seat = meeting.panel.memberships.first()
    seat.user = member
    seat.save()
    for someone in (administrator, member):
        client.force_login(someone)
        assert "Ratify the minutes" not in text(client.get(minutes_url(meeting)))
        response = ratify(client, someone, meeting)
        assert response.status_code == 302
        page = text(client.get(minutes_url(meeting)))
        assert "Only the panel&#x27;s chair or deputy chair can ratify its minutes." in page
    assert not Minutes.objects.filter(meeting=meeting, ratified_at__isnull=False).exists()

    client.force_login(chair)
    assert "Ratify the minutes" in text(client.get(minutes_url(meeting)))
    ratify(client, chair, meeting)
    page = text(client.get(minutes_url(meeting)))
    assert "Ratified by Cara Chair on Thursday 14 January 2027." in page
    assert "The decisions are locked" in page
    assert reverse("minutes:decision-amend", args=[decision.pk]) in page
    with pytest.raises(ValidationError, match="ratified"):
        services.decision_record(
            booking=decision.booking,
            outcome=decision.outcome,
            rationale="Changed after ratification",
            recorded_by=chair,
        )
    # The administrator can no longer edit the notes.
    client.force_login(administrator)
    page = text(client.get(minutes_url(meeting)))
    assert 'name="notes"' not in page
    assert reverse("minutes:decision-amend", args=[decision.pk]) in page


def test_an_amendment_keeps_both_versions_with_the_reason(client, chair, decision):
    ratify(client, chair, decision.booking.meeting)
    response = client.post(
        reverse("minutes:decision-amend", args=[decision.pk]),
        {
            "reason": "The rationale named the wrong carers.",
            "outcome": decision.outcome.pk,
            "rationale": "The Smith family are approved for permanence.",
            "timescales": "Within 4 weeks",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("minutes:case-note", args=[decision.pk])
    decision.refresh_from_db()
    assert decision.rationale == "The Smith family are approved for permanence."
    versions = list(decision.history.all())
    assert [version.rationale for version in versions] == [
        "The Smith family are approved for permanence.",
        RATIONALE,
    ]
    assert versions[0].history_change_reason == "The rationale named the wrong carers."
    assert versions[0].history_user == chair
    page = text(client.get(response.url))
    assert "The rationale named the wrong carers." in page
    assert RATIONALE in page


def test_an_amendment_reason_at_its_limit_is_kept_and_one_over_is_refused_keeping_the_work(
    client, chair, decision
):
    """The reason goes in the history's 100-character column: one character more once lost
    the amendment to a server error."""
    ratify(client, chair, decision.booking.meeting)
    url = reverse("minutes:decision-amend", args=[decision.pk])
    amendment = {"outcome": decision.outcome.pk, "timescales": "Within 4 weeks"}

    too_long = client.post(
        url, {**amendment, "reason": "r" * 101, "rationale": "The Smith family, amended."}
    )
    assert too_long.status_code == 200
    page = text(too_long)
    assert "must be 100 characters or fewer" in page
    assert "The Smith family, amended." in page
    assert decision.history.count() == 1

    longest = client.post(
        url, {**amendment, "reason": "r" * 100, "rationale": "The Smith family, amended."}
    )
    assert longest.status_code == 302
    assert decision.history.first().history_change_reason == "r" * 100


def test_an_amendment_needs_a_reason_and_only_the_chair_or_administrator_amends(
    client, chair, decision, social_worker
):
    ratify(client, chair, decision.booking.meeting)
    url = reverse("minutes:decision-amend", args=[decision.pk])
    response = client.post(
        url, {"reason": "", "outcome": decision.outcome.pk, "rationale": "Other"}
    )
    assert "Say why the decision is amended." in text(response)
    client.force_login(social_worker)
    assert client.get(url).status_code == 403
    assert decision.history.count() == 1


def test_minutes_are_distributed_only_after_ratification(
    client, administrator, chair, decision, social_worker
):
    meeting = decision.booking.meeting
    url = reverse("minutes:minutes-distributed", args=["somerset", meeting.pk])
    client.force_login(administrator)
    assert "Mark as distributed" not in text(client.get(minutes_url(meeting)))
    client.post(url)
    assert "The chair has not ratified these minutes yet." in text(client.get(minutes_url(meeting)))
    assert not Minutes.objects.get(meeting=meeting).distributed_at

    ratify(client, chair, meeting)
    assert client.post(url).status_code == 403  # the chair is not the administrator
    client.force_login(administrator)
    assert "Mark as distributed" in text(client.get(minutes_url(meeting)))
    client.post(url)
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.distributed_by, minutes.distributed_at is not None) == (administrator, True)


def test_the_minutes_deadlines_are_due_overdue_then_done(client, administrator, chair, decision):
    meeting = decision.booking.meeting
    ratify_by = date_format(FIVE_DAYS_ON)
    client.force_login(administrator)
    page = text(client.get(minutes_url(meeting)))
    assert "Minutes produced and ratified by" in page
    assert "Minutes distributed by" in page
    assert f'{ratify_by} <strong class="govuk-tag govuk-tag--yellow">Due soon</strong>' in page

    with time_machine.travel(date(2027, 1, 25), tick=False):
        client.force_login(administrator)
        page = text(client.get(minutes_url(meeting)))
        assert f'{ratify_by} <strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
        ratify(client, chair, meeting)
        client.force_login(administrator)
        page = text(client.get(minutes_url(meeting)))
        assert f'{ratify_by} <strong class="govuk-tag govuk-tag--green">Done</strong>' in page
        # Distributing is still to do, and late.
        assert page.count("govuk-tag--red") == 1


def test_a_social_worker_reads_no_minutes(client, social_worker, decision):
    client.force_login(social_worker)
    # Issue 11: refused in plain words (403) rather than a bare 404.
    assert client.get(minutes_url(decision.booking.meeting)).status_code == 403


# The case note ---------------------------------------------------------------------------


def test_the_case_note_holds_the_decision_as_copyable_text(client, social_worker, decision, action):
    client.force_login(social_worker)
    response = client.get(reverse("minutes:case-note", args=[decision.pk]))
    note = response.context["text"]
    for expected in (
        "Panel: Somerset Permanence Panel",
        "Date of panel: Thursday 14 January 2027",
        "Child: Ada Lovelace (case number 100234)",
        "Request: Matching",
        f"Outcome: {AGREE}",
        RATIONALE,
        "Matching report to the IRO within 6 weeks",
        "- Send the matching report to the IRO (Sam Worker, by Thursday 25 February 2027)",
        "Forward booking: None",
        "Senior approval: Not needed",
    ):
        assert expected in note
    page = text(response)
    assert '<label class="govuk-label govuk-label--m" for="case-note-text">' in page
    assert 'id="case-note-text" rows="20" readonly' in page
    assert ">Copy</button>" in page
    # The Copy button's script is a static file, as the Content-Security-Policy requires;
    # tests/e2e/test_case_note_copy.py presses it.
    assert "js/copy-case-note.js" in page
    # Only the administrator marks it recorded.
    assert "Recorded on the child's file</button>" not in page
    assert client.post(reverse("minutes:case-note-recorded", args=[decision.pk])).status_code == 403


def test_the_minutes_and_case_note_say_who_attended_for_the_child(client, administrator, decision):
    """Torbay's team manager presents each child: what the chair recorded is in the minutes
    and the case note, and nothing is said when nobody was recorded."""
    meeting = decision.booking.meeting
    case_note = reverse("minutes:case-note", args=[decision.pk])
    client.force_login(administrator)
    assert "Attended for the child" not in text(client.get(minutes_url(meeting)))
    assert "Attended for the child" not in client.get(case_note).context["text"]

    Decision.objects.filter(pk=decision.pk).update(team_manager_attended=True)
    assert (
        '<dt class="govuk-summary-list__key">Attended for the child</dt>'
        '<dd class="govuk-summary-list__value">Team manager</dd>'
    ) in text(client.get(minutes_url(meeting)))
    assert (
        "Request: Matching\nAttended for the child: Team manager\nOutcome:"
        in (client.get(case_note).context["text"])
    )
    Decision.objects.filter(pk=decision.pk).update(social_worker_attended=True)
    assert (
        "Attended for the child: Social worker and team manager\n"
        in (client.get(case_note).context["text"])
    )


def test_the_case_note_is_hidden_from_a_social_worker_of_another_team(client, make_user, decision):
    client.force_login(make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="Leaving Care")))
    assert client.get(reverse("minutes:case-note", args=[decision.pk])).status_code == 404


def test_the_administrator_marks_the_decision_recorded_on_the_file(client, administrator, decision):
    url = reverse("minutes:case-note", args=[decision.pk])
    due = date_format(FIVE_DAYS_ON)
    client.force_login(administrator)
    page = text(client.get(url))
    assert f'{due} <strong class="govuk-tag govuk-tag--yellow">Due soon</strong>' in page
    assert "Recorded on the child's file</button>" in page
    response = client.post(reverse("minutes:case-note-recorded", args=[decision.pk]))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.recorded_on_file_by == administrator
    page = text(client.get(url))
    assert f'{due} <strong class="govuk-tag govuk-tag--green">Done</strong>' in page
    assert "Recorded on the child's file</button>" not in page


def test_the_booking_and_child_pages_show_the_decision(client, social_worker, decision):
    client.force_login(social_worker)
    case_note = reverse("minutes:case-note", args=[decision.pk])
    booking_page = text(client.get(reverse("bookings:detail", args=[decision.booking.pk])))
    assert "Panel's decision" in booking_page
    assert AGREE in booking_page
    assert case_note in booking_page
    child_page = text(client.get(reverse("tracker:child", args=[decision.booking.child.pk])))
    assert f"Thursday 14 January 2027, Somerset Permanence Panel: {AGREE}" in child_page
    assert case_note in child_page


def test_a_booking_without_a_decision_shows_none(client, social_worker, booking):
    client.force_login(social_worker)
    page = text(client.get(reverse("bookings:detail", args=[booking.pk])))
    assert "Panel's decision" not in page


# Approvals -------------------------------------------------------------------------------


@pytest.fixture
def knowsley_recommendation(traveller, administrator, chair):
    knowsley = PanelFactory(preset="knowsley")
    meeting = agendas_services.meetings_schedule(
        panel=knowsley, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    child = ChildFactory(first_name="Alan", last_name="Turing", panel=knowsley)
    booking = agendas_services.booking_create(
        meeting=meeting,
        child=child,
        request_type=knowsley.request_types.get(name="Long term fostering match"),
        reason="Match with the carers",
        booked_by=administrator,
    )
    traveller.move_to(meeting.date)
    return services.decision_record(
        booking=booking,
        outcome=knowsley.outcomes.get(name="Recommendation to the Assistant Executive Director"),
        rationale="A good match: recommended.",
        recorded_by=chair,
    )


@pytest.fixture
def senior_manager(make_user):
    return make_user(Role.SENIOR_MANAGER, first_name="Sid", last_name="Senior")


def test_only_senior_managers_see_approvals(
    client, social_worker, administrator, senior_manager, knowsley_recommendation
):
    for someone in (social_worker, administrator):
        client.force_login(someone)
        assert client.get(reverse("minutes:approvals")).status_code == 403
        page = text(client.get(reverse("home")))
        assert ">Approvals<" not in page.replace("\n", "").replace(" ", "")
        assert 'href="/actions/"' in page
    client.force_login(senior_manager)
    page = text(client.get(reverse("minutes:approvals")))
    assert 'href="/approvals/"' in page
    assert "Alan Turing" in page
    assert reverse("minutes:approve", args=[knowsley_recommendation.pk]) in page


def test_a_senior_manager_approves_and_the_long_term_match_date_is_set(
    client, senior_manager, knowsley_recommendation
):
    decision = knowsley_recommendation
    url = reverse("minutes:approve", args=[decision.pk])
    client.force_login(senior_manager)
    page = text(client.get(url))
    assert "Awaiting a decision by the Assistant Executive Director" in page
    assert "A good match: recommended." in page
    response = client.post(url, {"choice": "approve", "comment": ""})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.approval_status, decision.approval_by) == (
        ApprovalStatus.APPROVED,
        senior_manager,
    )
    child = decision.booking.child
    child.refresh_from_db()
    # Knowsley's long-term fostering match, never the adoption match (issue 11).
    assert child.long_term_match_date == decision.booking.meeting.date
    assert child.match_date is None
    page = text(client.get(reverse("minutes:approvals")))
    assert "You approved the recommendation for Alan Turing." in page
    assert "Nothing is waiting for your decision." in page


def test_the_minutes_name_who_approved_the_recommendation_as_the_pdf_does(
    client, administrator, senior_manager, knowsley_recommendation
):
    decision = knowsley_recommendation
    url = reverse("minutes:minutes", args=["knowsley", decision.booking.meeting.pk])
    client.force_login(administrator)
    assert "Sid Senior" not in text(client.get(url))
    services.decision_approve(
        decision=decision, by=senior_manager, approved=True, comment="Allowance agreed."
    )
    page = text(client.get(url))
    when = date_format(decision.booking.meeting.date)
    assert f"Sid Senior, {when}: Allowance agreed." in page


def test_declining_needs_a_comment(client, senior_manager, knowsley_recommendation):
    decision = knowsley_recommendation
    url = reverse("minutes:approve", args=[decision.pk])
    client.force_login(senior_manager)
    response = client.post(url, {"choice": "decline", "comment": " "})
    assert response.status_code == 200
    assert "Say why the recommendation is declined." in text(response)
    decision.refresh_from_db()
    assert decision.approval_status == ApprovalStatus.AWAITING

    client.post(url, {"choice": "decline", "comment": "The carers' finances need review."})
    decision.refresh_from_db()
    assert decision.approval_status == ApprovalStatus.DECLINED
    assert decision.approval_comment == "The carers' finances need review."
    child = decision.booking.child
    child.refresh_from_db()
    assert (child.match_date, child.long_term_match_date) == (None, None)


# My actions ------------------------------------------------------------------------------


def test_my_actions_lists_open_actions_first_with_their_tags(
    client, social_worker, decision, action
):
    done = services.action_add(
        decision=decision,
        description="Book the life story work",
        owner=social_worker,
        due_date=date(2027, 1, 20),
    )
    services.action_complete(action=done, note="Booked for March.")
    overdue = services.action_add(
        decision=decision,
        description="Tell the carers",
        owner=social_worker,
        due_date=date(2027, 1, 14),
    )
    with time_machine.travel(date(2027, 1, 18), tick=False):
        client.force_login(social_worker)
        page = text(client.get(reverse("minutes:my-actions")))
    positions = [
        page.index(description)
        for description in (
            "Tell the carers",
            "Send the matching report to the IRO",
            "Book the life story work",
        )
    ]
    assert positions == sorted(positions)
    assert '14 January 2027 <strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert '25 February 2027 <strong class="govuk-tag govuk-tag--blue">Due</strong>' in page
    assert '20 January 2027 <strong class="govuk-tag govuk-tag--green">Done</strong>' in page
    assert reverse("minutes:action-complete", args=[overdue.pk]) in page
    assert reverse("minutes:action-complete", args=[done.pk]) not in page


def test_only_the_owner_completes_an_action_with_a_note(
    client, social_worker, administrator, action
):
    url = reverse("minutes:action-complete", args=[action.pk])
    client.force_login(administrator)
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "Done"}).status_code == 404
    client.force_login(social_worker)
    response = client.post(url, {"note": ""})
    assert "Say what was done." in text(response)
    response = client.post(url, {"note": "Sent on 20 January."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.completion_note == "Sent on 20 January."
    assert action.completed_at is not None
    assert PanelAction.objects.filter(completed_at__isnull=True).count() == 0


# Emergency decisions ---------------------------------------------------------------------


@pytest.fixture
def director(make_user):
    return make_user(Role.SENIOR_MANAGER, first_name="Dee", last_name="Director")


def emergency_form(role, decided_by=None, **fields):
    return {
        "child": "100234",
        "decided_on_0": "18",
        "decided_on_1": "1",
        "decided_on_2": "2027",
        "decided_by_role": role,
        **({"decided_by": decided_by.pk} if decided_by else {}),
        "decision": "Move Ada to her aunt's care tonight.",
        "rationale": "The placement broke down out of hours.",
        **fields,
    }


def test_an_emergency_decision_is_booked_onto_the_next_meeting_for_ratification(
    client, administrator, child, somerset, somerset_meetings, traveller, director
):
    traveller.move_to(date(2027, 1, 19))
    client.force_login(administrator)
    url = reverse("minutes:emergency-decisions")
    page = text(client.get(url))
    assert ">Deputy Director Children and Families</option>" in page
    response = client.post(
        url, emergency_form("Deputy Director Children and Families", director), follow=True
    )
    emergency = EmergencyDecision.objects.get()
    # Recorded by the administrator on behalf of the Deputy Director, onto the child's panel.
    assert (emergency.panel, emergency.decided_by, emergency.recorded_by) == (
        somerset,
        director,
        administrator,
    )
    booking = emergency.ratification_booking
    assert (booking.status, booking.meeting.date, booking.request_type.name) == (
        BookingStatus.BOOKED,
        NEXT_MEETING,
        "Retrospective ratification of an emergency decision",
    )
    assert (emergency.decided_on, emergency.decided_by_role) == (
        date(2027, 1, 18),
        "Deputy Director Children and Families",
    )
    page = text(response)
    assert (
        "Ada Lovelace is booked onto the Somerset Permanence Panel on Thursday 28 January 2027 "
        "for retrospective ratification."
    ) in page
    assert "Move Ada to her aunt&#x27;s care tonight." in page
    assert (
        "Dee Director, Deputy Director Children and Families<br>"
        '<span class="govuk-hint govuk-!-margin-bottom-0">Recorded on their behalf by '
    ) in page


def test_an_emergency_decision_by_a_role_not_allowed_is_refused(
    client, administrator, child, somerset, somerset_meetings, traveller, director
):
    traveller.move_to(date(2027, 1, 19))
    client.force_login(administrator)
    response = client.post(
        reverse("minutes:emergency-decisions"), emergency_form("Head of Service", director)
    )
    assert response.status_code == 200
    assert "Select a valid choice." in text(response)
    with pytest.raises(ValidationError, match="Only the Deputy Director"):
        services.emergency_decision_record(
            panel=somerset,
            child=child,
            decided_on=date(2027, 1, 18),
            decided_by_role="Head of Service",
            decided_by=director,
            decision="Move",
            rationale="Urgent",
            recorded_by=administrator,
        )
    assert not EmergencyDecision.objects.exists()
    assert not Booking.objects.filter(request_type__purpose="retrospective").exists()


def test_only_administrators_and_senior_managers_record_emergency_decisions(
    client, social_worker, chair, somerset
):
    for someone in (social_worker, chair):
        client.force_login(someone)
        assert client.get(reverse("minutes:emergency-decisions")).status_code == 403


def test_a_senior_manager_records_their_own_emergency_decision(
    client, child, somerset, somerset_meetings, traveller, director
):
    traveller.move_to(date(2027, 1, 19))
    client.force_login(director)
    url = reverse("minutes:emergency-decisions")
    page = text(client.get(url))
    assert 'name="decided_by"' not in page  # they record their own
    response = client.post(url, emergency_form("Deputy Director Children and Families"))
    assert response.status_code == 302
    emergency = EmergencyDecision.objects.get()
    assert (emergency.decided_by, emergency.recorded_by, emergency.panel) == (
        director,
        director,
        somerset,
    )
    assert "Recorded on their behalf" not in text(client.get(url))


def test_an_administrator_names_the_decision_maker(
    client, administrator, child, somerset, somerset_meetings, traveller
):
    traveller.move_to(date(2027, 1, 19))
    client.force_login(administrator)
    response = client.post(
        reverse("minutes:emergency-decisions"),
        emergency_form("Deputy Director Children and Families"),
    )
    assert response.status_code == 200
    assert "Choose the senior manager who made the decision." in text(response)
    assert not EmergencyDecision.objects.exists()


def test_another_panel_than_the_childs_needs_confirming(
    client, child, somerset, somerset_meetings, traveller, director
):
    other = PanelFactory(preset="knowsley")
    other.emergency_decision_makers = "Deputy Director Children and Families"
    other.save()
    traveller.move_to(date(2027, 1, 19))
    client.force_login(director)
    url = reverse("minutes:emergency-decisions")
    form = emergency_form("Deputy Director Children and Families", panel=other.pk)
    response = client.post(url, form)
    assert response.status_code == 200
    assert (
        "The child is tracked by the Somerset Permanence Panel. Choose that panel, or confirm "
        "that the Knowsley Multi-Agency Permanency Panel ratifies this decision."
    ) in text(response).replace("&#x27;", "'")
    assert not EmergencyDecision.objects.exists()
    RequestType.objects.create(
        panel=other, name="Emergency decision", purpose=RequestPurpose.RETROSPECTIVE
    )
    response = client.post(url, {**form, "other_panel_confirmed": "on"})
    assert response.status_code == 302
    assert EmergencyDecision.objects.get().panel == other


# A decision's meaning on the pages (issue 11) ----------------------------------------------


def test_the_chair_ratifies_subject_to_the_final_order_on_the_decision_page(
    client, chair, somerset, somerset_meetings, administrator, traveller
):
    lancashire = PanelFactory(preset="lancashire")
    lancashire.chair = chair
    lancashire.save()
    meeting = agendas_services.meetings_schedule(
        panel=lancashire, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]  # Wednesday 13 January 2027
    child = ChildFactory(first_name="Pat", proceedings_issued=date(2026, 9, 1), panel=lancashire)
    booking = agendas_services.booking_create(
        meeting=meeting,
        child=child,
        request_type=lancashire.request_types.get(name="Ratification"),
        reason="Ratify the placement as permanent",
        booked_by=administrator,
    )
    traveller.move_to(meeting.date)
    client.force_login(chair)
    url = reverse("decisions:decision", args=["lancashire", meeting.pk, booking.pk])
    assert "Ratified subject to the final order" in text(client.get(url))
    form = {
        "outcome": lancashire.outcomes.get(name="Ratification of placement as permanent").pk,
        "rationale": "Settled with her carers for three years.",
        "save": "1",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "have no final order yet, so the placement cannot be ratified as permanent" in (
        text(response).replace("&#x27;", "'")
    )
    response = client.post(url, {**form, "subject_to_final_order": "on"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.permanence_secured_date, child.permanence_pending_since) == (None, meeting.date)
    page = text(client.get(reverse("tracker:child", args=[child.pk])))
    assert (
        "Panel ratified the placement as permanent on Wednesday 13 January 2027, subject to "
        "the final order."
    ) in page
    case_note = reverse("minutes:case-note", args=[booking.decision.pk])
    assert (
        "Ratified subject to the final order: permanence is secured when it is recorded."
    ) in text(client.get(case_note))


def test_the_child_page_shows_each_kind_of_match(client, administrator, decision):
    child = decision.booking.child
    client.force_login(administrator)
    page = text(client.get(reverse("tracker:child", args=[child.pk])))
    # Somerset's Matching is a long-term fostering match, never the adoption match.
    assert (
        'Adoption match</dt><dd class="govuk-summary-list__value" id="adoption-match">None</dd>'
    ) in page
    assert (
        '<dd class="govuk-summary-list__value" id="long-term-match">Thursday 14 January 2027</dd>'
    ) in page
    decision_page = reverse(
        "decisions:decision",
        args=["somerset", decision.booking.meeting.pk, decision.booking.pk],
    )
    assert "Ratified subject to the final order" not in text(client.get(decision_page))


def test_recorded_on_file_is_its_own_event_not_a_change(client, administrator, decision, traveller):
    traveller.move_to(FIVE_DAYS_ON)
    client.force_login(administrator)
    client.post(reverse("minutes:case-note-recorded", args=[decision.pk]))
    page = text(client.get(reverse("minutes:case-note", args=[decision.pk])))
    name = str(administrator)
    assert f"Recorded on file by {name} on Thursday 21 January 2027" in page
    assert decision.history.count() == 1
    assert ">Changed<" not in page
    booking_page = text(client.get(reverse("bookings:detail", args=[decision.booking.pk])))
    assert f"Recorded on file by {name} on Thursday 21 January 2027" in booking_page


def amend_links(client, decision) -> dict[str, bool]:
    """Whether each page showing the decision links to amending it."""
    booking, meeting = decision.booking, decision.booking.meeting
    amend = reverse("minutes:decision-amend", args=[decision.pk])
    pages = {
        "case note": reverse("minutes:case-note", args=[decision.pk]),
        "booking": reverse("bookings:detail", args=[booking.pk]),
        "child": reverse("tracker:child", args=[booking.child.pk]),
        "minutes": minutes_url(meeting),
        "running order": reverse("decisions:running-order", args=["somerset", meeting.pk]),
        "decision": reverse("decisions:decision", args=["somerset", meeting.pk, booking.pk]),
    }
    return {
        name: amend in text(response)
        for name, url in pages.items()
        if (response := client.get(url)).status_code == 200
    }


def test_amend_is_linked_wherever_the_decision_is_shown_once_ratified(
    client, chair, administrator, social_worker, decision
):
    client.force_login(chair)
    assert not any(amend_links(client, decision).values())  # not ratified: changed in place
    ratify(client, chair, decision.booking.meeting)
    everywhere = dict.fromkeys(
        ["case note", "booking", "child", "minutes", "running order", "decision"], True
    )
    for someone in (chair, administrator):
        client.force_login(someone)
        assert amend_links(client, decision) == everywhere
    client.force_login(social_worker)
    # The minutes of a panel they do not sit on are not found for them.
    assert amend_links(client, decision) == {"case note": False, "booking": False, "child": False}


def test_the_amendment_changes_the_fields_and_the_actions_with_the_reason(
    client, chair, decision, action, social_worker
):
    ratify(client, chair, decision.booking.meeting)
    url = reverse("minutes:decision-amend", args=[decision.pk])
    page = text(client.get(url))
    for expected in (
        "Send the matching report to the IRO",
        'name="further_information"',
        'name="primary_plan"',
        f'name="existing-{action.pk}-remove"',
        'name="action-1-description"',
    ):
        assert expected in page
    reason = "The minutes missed the plan and the carers' review"
    response = client.post(
        url,
        {
            "reason": reason,
            "outcome": decision.outcome.pk,
            "rationale": RATIONALE,
            "timescales": "Within 8 weeks",
            "primary_plan": "long_term_fostering",
            f"existing-{action.pk}-description": action.description,
            f"existing-{action.pk}-owner": social_worker.pk,
            f"existing-{action.pk}-due_date_0": "14",
            f"existing-{action.pk}-due_date_1": "1",
            f"existing-{action.pk}-due_date_2": "2027",
            "action-1-description": "Book the carers' annual review",
            "action-1-owner": social_worker.pk,
            "action-1-due_date_0": "11",
            "action-1-due_date_1": "2",
            "action-1-due_date_2": "2027",
        },
    )
    assert response.status_code == 302, text(response)
    decision.refresh_from_db()
    assert (decision.timescales, decision.primary_plan) == ("Within 8 weeks", "long_term_fostering")
    assert decision.history.first().history_change_reason == reason
    assert [(a.description, a.due_date) for a in decision.actions.order_by("pk")] == [
        ("Send the matching report to the IRO", MEETING),
        ("Book the carers' annual review", date(2027, 2, 11)),
    ]
    assert set(
        PanelAction.history.filter(history_change_reason=reason).values_list(
            "history_type", flat=True
        )
    ) == {"~", "+"}
    page = text(client.get(response.url)).replace("&#x27;", "'")
    assert "History of the actions" in page
    assert f"Added: {reason}" in page
    assert f"Changed: {reason}" in page
    assert "Set at panel" in page


def test_an_amended_action_due_the_day_before_the_panel_is_refused_on_its_field(
    client, chair, decision, action, social_worker
):
    ratify(client, chair, decision.booking.meeting)
    response = client.post(
        reverse("minutes:decision-amend", args=[decision.pk]),
        {
            "reason": "Wrong date",
            "outcome": decision.outcome.pk,
            "rationale": RATIONALE,
            f"existing-{action.pk}-description": "",
            f"existing-{action.pk}-owner": social_worker.pk,
            f"existing-{action.pk}-due_date_0": "13",
            f"existing-{action.pk}-due_date_1": "1",
            f"existing-{action.pk}-due_date_2": "2027",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Say what is to be done for action 1, or remove it." in page
    action.refresh_from_db()
    assert action.description == "Send the matching report to the IRO"


def test_the_panel_page_links_senior_managers_to_record_emergency_decisions(
    client, somerset, director, social_worker, administrator
):
    url = reverse("agendas:panel-detail", args=["somerset"])
    link = reverse("minutes:emergency-decisions")
    for someone, shown in ((director, True), (administrator, True), (social_worker, False)):
        client.force_login(someone)
        assert (link in text(client.get(url))) is shown
