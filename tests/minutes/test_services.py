"""Decisions and their effects, at their edges: what panel decides changes the child's
record, books the child again, or waits for a senior officer; ratified minutes lock it."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from agendas import services as agendas_services
from agendas.models import Booking, BookingStatus, Panel
from minutes import services
from minutes.models import ApprovalStatus, PanelAction
from permanence.roles import Role
from tests.factories import ChildFactory
from tracker.codes import Plan

pytestmark = pytest.mark.django_db

BOOKED_ON = date(2026, 12, 1)
# Lancashire meets on the second Wednesday: 13 January, 10 February and 10 March 2027.
JANUARY, FEBRUARY, MARCH = date(2027, 1, 13), date(2027, 2, 10), date(2027, 3, 10)


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def chair(make_user):
    return make_user(Role.CHAIR)


def load(slug: str, chair) -> Panel:
    agendas_services.panel_preset_load(slug=slug)
    panel = Panel.objects.get(slug=slug)
    panel.chair = chair
    panel.save()
    return panel


@pytest.fixture
def lancashire(chair):
    return load("lancashire", chair)


@pytest.fixture
def meetings(lancashire):
    with time_machine.travel(BOOKED_ON, tick=False):
        return agendas_services.meetings_schedule(
            panel=lancashire, start=date(2027, 1, 1), end=date(2027, 3, 31)
        ).created


@pytest.fixture
def book(administrator):
    def book(meeting, child=None, request="New to care", **fields):
        with time_machine.travel(BOOKED_ON, tick=False):
            return agendas_services.booking_create(
                meeting=meeting,
                child=child or ChildFactory(panel=meeting.panel),
                request_type=meeting.panel.request_types.get(name=request),
                reason="To agree the plan for permanence",
                booked_by=administrator,
                **fields,
            )

    return book


def outcome(panel, name):
    return panel.outcomes.get(name=name)


@pytest.fixture
def on_the_day():
    with time_machine.travel(JANUARY, tick=False):
        yield


def decide(booking, name, chair, **fields):
    fields.setdefault("rationale", "Panel is satisfied the plan meets the child's needs.")
    return services.decision_record(
        booking=booking, outcome=outcome(booking.panel, name), recorded_by=chair, **fields
    )


# Recording and the child's record ---------------------------------------------------------


def test_a_decision_moves_the_last_panel_date_and_the_agreed_plan(
    book, meetings, chair, on_the_day
):
    child = ChildFactory(last_panel_date=date(2026, 10, 1))
    booking = book(meetings[0], child)
    decide(
        booking,
        "Agreement to the plan for permanence",
        chair,
        primary_plan=Plan.ADOPTION,
        contingency_plan=Plan.LONG_TERM_FOSTERING,
    )
    child.refresh_from_db()
    assert child.last_panel_date == JANUARY
    assert (child.primary_plan, child.contingency_plan, child.plan_agreed_date) == (
        Plan.ADOPTION,
        Plan.LONG_TERM_FOSTERING,
        JANUARY,
    )
    # The next panel is due three months on, so the drift flag moves with it.
    assert child.next_panel_due == date(2027, 4, 13)


def test_a_later_imported_last_panel_date_is_kept(book, meetings, chair):
    # Recorded late, after the spreadsheet already noted a later panel for the child.
    child = ChildFactory(last_panel_date=date(2027, 1, 20))
    booking = book(meetings[0], child)
    with time_machine.travel(date(2027, 2, 1), tick=False):
        decide(booking, "Refuse", chair)
    child.refresh_from_db()
    assert child.last_panel_date == date(2027, 1, 20)


def test_ratifying_a_placement_as_permanent_secures_permanence(book, meetings, chair, on_the_day):
    child = ChildFactory()
    booking = book(meetings[0], child, request="Ratification")
    decide(booking, "Ratification of placement as permanent", chair)
    child.refresh_from_db()
    assert child.permanence_secured_date == JANUARY


def test_a_rationale_is_always_required(book, meetings, chair, on_the_day):
    booking = book(meetings[0])
    with pytest.raises(ValidationError) as refused:
        decide(booking, "Refuse", chair, rationale="  ")
    assert refused.value.message_dict == {"rationale": ["Give panel's rationale for the decision."]}


def test_no_decision_before_the_panel_meets(book, meetings, chair):
    booking = book(meetings[0])
    with (
        time_machine.travel(date(2027, 1, 12), tick=False),  # the day before
        pytest.raises(ValidationError, match="record its decision on the day"),
    ):
        decide(booking, "Refuse", chair)
    with time_machine.travel(date(2027, 1, 13), tick=False):  # the day of
        assert decide(booking, "Refuse", chair).pk


def test_no_decision_on_a_cancelled_booking(book, meetings, chair, on_the_day):
    booking = book(meetings[0])
    agendas_services.booking_cancel(booking=booking, reason="Returned home")
    with pytest.raises(ValidationError, match="This booking is cancelled"):
        decide(booking, "Refuse", chair)


def test_correcting_a_decision_before_ratification_replaces_it(book, meetings, chair, on_the_day):
    booking = book(meetings[0])
    decide(booking, "Refuse", chair)
    decision = decide(booking, "Set an alternative course", chair, rationale="On reflection.")
    assert decision.outcome.name == "Set an alternative course"
    assert booking.decision.history.count() == 2


# Deferral and re-presentation -------------------------------------------------------------


def test_re_presenting_books_the_child_into_the_first_meeting_on_or_after_the_date(
    book, meetings, chair, on_the_day, lancashire
):
    child = ChildFactory()
    booking = book(meetings[0], child)
    decision = decide(booking, "Re-present to panel", chair, by_date=date(2027, 2, 10))
    PanelAction.objects.create(
        child=child,
        decision=decision,
        description="Sibling assessment",
        owner=chair,
        due_date=date(2027, 2, 1),
    )
    forward = decision.forward_booking
    assert forward.meeting == meetings[1]  # 10 February: the day of the date counts
    # Issue 11: the request is kept (it was "Represented"), listed under agenda item 1.
    assert forward.request_type.name == "New to care"
    assert forward.section.name == "Case re-presented back to permanence panel"
    assert "From panel on Wednesday 13 January 2027" in forward.reason


def test_a_date_the_day_after_a_meeting_books_the_next_one(book, meetings, chair, on_the_day):
    booking = book(meetings[0])
    decision = decide(booking, "Re-present to panel", chair, by_date=date(2027, 2, 11))
    assert decision.forward_booking.meeting == meetings[2]


def test_a_re_presentation_carries_the_open_actions(book, meetings, chair, on_the_day):
    booking = book(meetings[0])
    first = decide(booking, "Set an alternative course", chair)
    services.action_add(
        decision=first,
        description="Complete the sibling assessment",
        owner=chair,
        due_date=date(2027, 2, 1),
    )
    decision = decide(booking, "Re-present to panel", chair, by_date=date(2027, 2, 1))
    # Issue 11: read from the live records, no longer copied into the booking's reason.
    forward = Booking.objects.get(pk=decision.forward_booking.pk)
    assert [action.description for action in forward.previous_decision.actions.all()] == [
        "Complete the sibling assessment"
    ]


def test_deferring_needs_what_information_and_by_when(book, meetings, chair, on_the_day):
    booking = book(meetings[0])
    with pytest.raises(ValidationError) as refused:
        decide(booking, "Defer until further information is provided", chair)
    assert set(refused.value.message_dict) == {"further_information", "by_date"}
    with pytest.raises(ValidationError) as refused:
        decide(
            booking,
            "Defer until further information is provided",
            chair,
            further_information="The updated parenting assessment",
            by_date=JANUARY,  # the day of the panel is not after it
        )
    assert refused.value.message_dict == {
        "by_date": ["The date must be after the panel, Wednesday 13 January 2027."]
    }


def test_re_presentation_with_no_room_goes_on_the_waiting_list(
    book, meetings, chair, on_the_day, lancashire
):
    booking = book(meetings[0])
    decision = decide(booking, "Re-present to panel", chair, by_date=date(2027, 3, 1))
    waiting = decision.forward_booking  # no meeting on or after 1 March has room? March has.
    assert waiting.meeting == meetings[2]
    for slot in meetings[2].slots.all():
        if not Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).exists():
            book(meetings[2], slot=slot)
    other = book(meetings[0])
    decision = decide(other, "Re-present to panel", chair, by_date=date(2027, 3, 1))
    assert decision.forward_booking.status == BookingStatus.WAITING
    assert "No meeting on or after Monday 1 March 2027 had room." in decision.forward_booking.notes


def test_changing_a_re_presentation_to_another_outcome_cancels_the_forward_booking(
    book, meetings, chair, on_the_day
):
    booking = book(meetings[0])
    decision = decide(booking, "Re-present to panel", chair, by_date=date(2027, 2, 1))
    forward = decision.forward_booking
    decide(booking, "Refuse", chair)
    forward.refresh_from_db()
    assert forward.status == BookingStatus.CANCELLED
    booking.decision.refresh_from_db()
    assert booking.decision.forward_booking is None


# Ratified minutes lock their decisions ----------------------------------------------------


def test_ratified_minutes_lock_decisions_and_an_amendment_keeps_both_versions(
    book, meetings, chair, on_the_day
):
    booking = book(meetings[0])
    decision = decide(booking, "Refuse", chair)
    services.minutes_ratify(meeting=meetings[0], chair=chair)
    with pytest.raises(ValidationError, match="Amend a decision with a reason instead"):
        decide(booking, "Set an alternative course", chair)
    with pytest.raises(ValidationError):
        services.decision_amend(decision=decision, reason="", by=chair, rationale="Typo")
    services.decision_amend(
        decision=decision,
        reason="The rationale named the wrong school",
        by=chair,
        rationale="Panel is satisfied the plan meets the child's needs at Hillside.",
    )
    versions = list(decision.history.order_by("history_id"))
    assert [v.rationale for v in versions][-2:] == [
        "Panel is satisfied the plan meets the child's needs.",
        "Panel is satisfied the plan meets the child's needs at Hillside.",
    ]
    assert versions[-1].history_change_reason == "The rationale named the wrong school"


def test_minutes_are_ratified_only_by_the_chair_and_only_with_every_decision(
    book, meetings, chair, administrator, on_the_day
):
    first, second = book(meetings[0]), book(meetings[0])
    decide(first, "Refuse", chair)
    with pytest.raises(ValidationError, match="Only the panel's chair or deputy chair"):
        services.minutes_ratify(meeting=meetings[0], chair=administrator)
    with pytest.raises(ValidationError, match="Record panel's decision for every child first"):
        services.minutes_ratify(meeting=meetings[0], chair=chair)
    decide(second, "Refuse", chair)
    with pytest.raises(ValidationError, match="not ratified these minutes yet"):
        services.minutes_mark_distributed(meeting=meetings[0], by=administrator)
    services.minutes_ratify(meeting=meetings[0], chair=chair)
    assert services.minutes_mark_distributed(meeting=meetings[0], by=administrator).distributed_at


# Senior decisions (Knowsley) --------------------------------------------------------------


@pytest.fixture
def knowsley_booking(chair, book):
    knowsley = load("knowsley", chair)
    with time_machine.travel(BOOKED_ON, tick=False):
        meeting = agendas_services.meetings_schedule(
            panel=knowsley, start=date(2027, 1, 1), end=date(2027, 1, 31)
        ).created[0]  # Tuesday 5 January 2027
    return book(meeting, request="Long term fostering match"), meeting.date


def test_a_match_for_the_senior_officer_waits_and_is_recorded_on_approval(
    knowsley_booking, chair, make_user
):
    booking, day = knowsley_booking
    with time_machine.travel(day, tick=False):
        decision = decide(booking, "Approval", chair)
        assert decision.approval_status == ApprovalStatus.AWAITING
        booking.child.refresh_from_db()
        assert booking.child.match_date is None
        director = make_user(Role.SENIOR_MANAGER)
        with pytest.raises(ValidationError):
            services.decision_approve(decision=decision, by=director, approved=False, comment="")
        services.decision_approve(decision=decision, by=director, approved=True, comment="Agreed")
    booking.child.refresh_from_db()
    assert booking.child.match_date == day
    decision.refresh_from_db()
    assert (decision.approval_status, decision.approval_by) == (ApprovalStatus.APPROVED, director)
    with pytest.raises(ValidationError, match="not waiting for a senior decision"):
        services.decision_approve(decision=decision, by=director, approved=True, comment="")


def test_a_recommendation_always_waits(knowsley_booking, chair):
    booking, day = knowsley_booking
    with time_machine.travel(day, tick=False):
        decision = decide(booking, "Recommendation to the Assistant Executive Director", chair)
    assert decision.approval_status == ApprovalStatus.AWAITING


# Emergency decisions (Somerset) -----------------------------------------------------------


def test_an_emergency_decision_is_booked_onto_the_next_meeting_to_ratify(chair, administrator):
    somerset = load("somerset", chair)
    child = ChildFactory(panel=somerset)
    with time_machine.travel(date(2027, 1, 5), tick=False):
        agendas_services.meetings_schedule(
            panel=somerset, start=date(2027, 1, 1), end=date(2027, 1, 31)
        )
        with pytest.raises(ValidationError) as refused:
            services.emergency_decision_record(
                panel=somerset,
                child=child,
                decided_on=date(2027, 1, 4),
                decided_by_role="Head of Service",
                decided_by_name="A Person",
                decision="Placement with aunt",
                rationale="Risk at home",
                recorded_by=administrator,
            )
        assert "decided_by_role" in refused.value.message_dict
        emergency = services.emergency_decision_record(
            panel=somerset,
            child=child,
            decided_on=date(2027, 1, 4),
            decided_by_role="Strategic Manager Resources",
            decided_by_name="Sam Smith",
            decision="Placement with aunt",
            rationale="Risk at home",
            recorded_by=administrator,
        )
    booking = emergency.ratification_booking
    # Somerset meets fortnightly on Thursdays from 15 January 2026: next on 14 January 2027.
    assert booking.meeting.date == date(2027, 1, 14)
    assert booking.request_type.name == "Retrospective ratification of an emergency decision"
    assert booking.section.name == "Emergency decisions made outside the panel"


def test_a_panel_without_emergency_decision_makers_takes_none(lancashire, administrator):
    with pytest.raises(ValidationError, match="takes no emergency decisions"):
        services.emergency_decision_record(
            panel=lancashire,
            child=ChildFactory(),
            decided_on=date(2026, 11, 1),
            decided_by_role="Anyone",
            decided_by_name="X",
            decision="Y",
            rationale="Z",
            recorded_by=administrator,
        )


# Actions ----------------------------------------------------------------------------------


def test_an_action_is_completed_with_a_note(book, meetings, chair, on_the_day):
    decision = decide(book(meetings[0]), "Set an alternative course", chair)
    action = services.action_add(
        decision=decision,
        description="Update the care plan",
        owner=chair,
        due_date=date(2027, 1, 27),
    )
    with pytest.raises(ValidationError):
        services.action_complete(action=action, note=" ")
    services.action_complete(action=action, note="Care plan updated")
    with pytest.raises(ValidationError, match="already completed"):
        services.action_complete(action=action, note="Again")
