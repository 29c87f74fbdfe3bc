"""Decisions and their effects, at their edges: what panel decides changes the child's
record, books the child again, or waits for a senior officer; ratified minutes lock it."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from agendas import services as agendas_services
from agendas.models import Booking, BookingStatus, RequestPurpose, RequestType
from minutes import services
from minutes.models import ApprovalStatus, PanelAction
from permanence.roles import Role
from tests.days import BOOKED_ON, JANUARY, MARCH
from tests.factories import ChildFactory, PanelFactory, decide
from tracker import services as tracker_services
from tracker.codes import Plan
from tracker.flags import raised, with_flags
from tracker.models import Child

pytestmark = pytest.mark.django_db

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
    knowsley = PanelFactory(preset="knowsley", chair=chair)
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
        assert booking.child.long_term_match_date is None
        director = make_user(Role.SENIOR_MANAGER)
        with pytest.raises(ValidationError):
            services.decision_approve(decision=decision, by=director, approved=False, comment="")
        services.decision_approve(decision=decision, by=director, approved=True, comment="Agreed")
    booking.child.refresh_from_db()
    # Knowsley's long-term fostering match: its own field, never the adoption match.
    assert booking.child.long_term_match_date == day
    assert booking.child.match_date is None
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


def test_an_emergency_decision_is_booked_onto_the_next_meeting_to_ratify(
    chair, administrator, make_user
):
    director = make_user(Role.SENIOR_MANAGER)
    somerset = PanelFactory(preset="somerset", chair=chair)
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
                decided_by=director,
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
            decided_by=director,
            decision="Placement with aunt",
            rationale="Risk at home",
            recorded_by=administrator,
        )
    booking = emergency.ratification_booking
    # Somerset meets fortnightly on Thursdays from 15 January 2026: next on 14 January 2027.
    assert booking.meeting.date == date(2027, 1, 14)
    assert booking.request_type.name == "Retrospective ratification of an emergency decision"
    assert booking.section.name == "Emergency decisions made outside the panel"


def test_a_panel_without_emergency_decision_makers_takes_none(lancashire, administrator, make_user):
    with pytest.raises(ValidationError, match="takes no emergency decisions"):
        services.emergency_decision_record(
            panel=lancashire,
            child=ChildFactory(panel=lancashire),
            decided_on=date(2026, 11, 1),
            decided_by_role="Anyone",
            decided_by=make_user(Role.SENIOR_MANAGER),
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


# What a decision means (issue 11) ---------------------------------------------------------


def request_type(panel, name, purpose):
    return RequestType.objects.create(
        panel=panel, name=name, purpose=purpose, default_section=panel.sections.first()
    )


def test_a_long_term_fostering_match_never_sets_the_adoption_match(
    book, meetings, lancashire, chair, on_the_day
):
    # Placement order on 1 June 2026: six months to an adoption match ended 1 December.
    child = ChildFactory(placement_order_date=date(2026, 6, 1), looked_after_since=None)
    request_type(lancashire, "Long-term fostering match", RequestPurpose.LONG_TERM_MATCH)
    booking = book(meetings[0], child, request="Long-term fostering match")
    decide(booking, "Agreement to the plan for permanence", chair)
    child.refresh_from_db()
    assert (child.match_date, child.long_term_match_date) == (None, JANUARY)
    flagged = with_flags(Child.objects.filter(pk=child.pk), JANUARY).get()
    assert "placement_order_no_match" in [flag.code for flag in raised(flagged)]


def test_an_adoption_match_clears_placement_order_no_match(
    book, meetings, lancashire, chair, on_the_day
):
    child = ChildFactory(placement_order_date=date(2026, 6, 1), looked_after_since=None)
    request_type(lancashire, "Adoption match", RequestPurpose.ADOPTION_MATCH)
    booking = book(meetings[0], child, request="Adoption match")
    decide(booking, "Agreement to the plan for permanence", chair)
    child.refresh_from_db()
    assert (child.match_date, child.long_term_match_date) == (JANUARY, None)
    flagged = with_flags(Child.objects.filter(pk=child.pk), JANUARY).get()
    assert "placement_order_no_match" not in [flag.code for flag in raised(flagged)]


def test_a_match_only_refused_sets_neither_match(book, meetings, lancashire, chair, on_the_day):
    child = ChildFactory(placement_order_date=date(2026, 6, 1))
    request_type(lancashire, "Adoption match", RequestPurpose.ADOPTION_MATCH)
    decide(book(meetings[0], child, request="Adoption match"), "Refuse", chair)
    child.refresh_from_db()
    assert (child.match_date, child.long_term_match_date) == (None, None)


RATIFY = "Ratification of placement as permanent"


@pytest.fixture
def in_proceedings():
    return ChildFactory(proceedings_issued=date(2026, 9, 1), final_order_date=None)


def test_ratifying_as_permanent_without_a_final_order_is_refused_with_the_reason(
    book, meetings, chair, on_the_day, in_proceedings
):
    booking = book(meetings[0], in_proceedings, request="Ratification")
    with pytest.raises(ValidationError) as refused:
        decide(booking, RATIFY, chair)
    assert refused.value.message_dict == {
        "subject_to_final_order": [
            f"{in_proceedings.full_name}'s care proceedings, issued on Tuesday 1 September "
            "2026, have no final order yet, so the placement cannot be ratified as permanent "
            "today. Record it as ratified subject to the final order, or record the final "
            "order on the child first."
        ]
    }
    assert not Booking.objects.filter(pk=booking.pk, decision__isnull=False).exists()
    in_proceedings.refresh_from_db()
    assert in_proceedings.permanence_secured_date is None


def test_ratified_subject_to_the_final_order_is_secured_when_the_order_is_recorded(
    book, meetings, chair, on_the_day, in_proceedings, administrator
):
    booking = book(meetings[0], in_proceedings, request="Ratification")
    decision = decide(booking, RATIFY, chair, subject_to_final_order=True)
    assert decision.subject_to_final_order
    child = in_proceedings
    child.refresh_from_db()
    assert (child.permanence_secured_date, child.permanence_pending_since) == (None, JANUARY)
    assert child.is_tracked
    # The order made the day after panel: permanence is secured on the order's date.
    tracker_services.child_update(
        child=child, changed_by=administrator, final_order_date=date(2027, 1, 14)
    )
    child.refresh_from_db()
    assert (child.permanence_secured_date, child.permanence_pending_since) == (
        date(2027, 1, 14),
        None,
    )


def test_a_final_order_made_before_the_ratification_secures_permanence_on_the_ratification(
    book, meetings, chair, on_the_day, in_proceedings, administrator
):
    decide(
        book(meetings[0], in_proceedings, request="Ratification"),
        RATIFY,
        chair,
        subject_to_final_order=True,
    )
    # Made the day before panel, recorded after it: the later of the two dates.
    in_proceedings.refresh_from_db()
    tracker_services.child_update(
        child=in_proceedings, changed_by=administrator, final_order_date=date(2027, 1, 12)
    )
    in_proceedings.refresh_from_db()
    assert in_proceedings.permanence_secured_date == JANUARY


def test_subject_to_the_final_order_only_where_there_is_one_to_wait_for(
    book, meetings, chair, on_the_day
):
    with_order = ChildFactory(proceedings_issued=date(2026, 9, 1), final_order_date=JANUARY)
    booking = book(meetings[0], with_order, request="Ratification")
    with pytest.raises(ValidationError) as refused:
        decide(booking, RATIFY, chair, subject_to_final_order=True)
    assert list(refused.value.message_dict) == ["subject_to_final_order"]
    decide(booking, RATIFY, chair)
    with_order.refresh_from_db()
    assert (with_order.permanence_secured_date, with_order.permanence_pending_since) == (
        JANUARY,
        None,
    )


def test_marking_recorded_on_file_is_not_a_change_to_the_decision(
    book, meetings, chair, administrator, on_the_day
):
    decision = decide(book(meetings[0]), "Refuse", chair)
    versions = decision.history.count()
    services.decision_mark_recorded_on_file(decision=decision, by=administrator)
    decision.refresh_from_db()
    assert (decision.recorded_on_file_by, decision.recorded_on_file_at is not None) == (
        administrator,
        True,
    )
    assert decision.history.count() == versions
    with pytest.raises(ValidationError, match="already marked"):
        services.decision_mark_recorded_on_file(decision=decision, by=administrator)


@pytest.fixture
def ratified(book, meetings, chair, on_the_day):
    """A ratified decision with two actions."""
    decision = decide(book(meetings[0]), "Set an alternative course", chair)
    for description in ("Update the care plan", "Book a life story session"):
        services.action_add(
            decision=decision, description=description, owner=chair, due_date=date(2027, 2, 1)
        )
    services.minutes_ratify(meeting=meetings[0], chair=chair)
    return decision


def test_an_amendment_changes_every_field_and_the_actions_with_the_reason(
    ratified, chair, administrator
):
    keep, drop = ratified.actions.order_by("pk")
    reason = "Panel agreed the plan; the minutes recorded the wrong outcome"
    services.decision_amend(
        decision=ratified,
        reason=reason,
        by=chair,
        outcome=ratified.booking.panel.outcomes.get(name="Agreement to the plan for permanence"),
        rationale="The plan for adoption is agreed.",
        timescales="Within 8 weeks",
        further_information="The adoption medical",
        primary_plan=Plan.ADOPTION,
        contingency_plan=Plan.LONG_TERM_FOSTERING,
        social_worker_attended=True,
        actions=[
            {
                "action": keep,
                "description": "Update the care plan for adoption",
                "owner": administrator,
                "due_date": JANUARY,  # the day of the panel: the earliest allowed
                "remove": False,
            },
            {"action": drop, "remove": True},
        ],
        new_actions=[
            {"description": "Refer to the adoption agency", "owner": chair, "due_date": MARCH}
        ],
    )
    ratified.refresh_from_db()
    assert (ratified.outcome.name, ratified.rationale, ratified.primary_plan) == (
        "Agreement to the plan for permanence",
        "The plan for adoption is agreed.",
        Plan.ADOPTION,
    )
    latest = ratified.history.first()
    assert (latest.history_change_reason, latest.history_user) == (reason, chair)
    assert [(a.description, a.owner, a.due_date) for a in ratified.actions.order_by("pk")] == [
        ("Update the care plan for adoption", administrator, JANUARY),
        ("Refer to the adoption agency", chair, MARCH),
    ]
    action_history = PanelAction.history.filter(history_change_reason=reason)
    assert sorted(action_history.values_list("history_type", flat=True)) == ["+", "-", "~"]
    assert {row.history_user for row in action_history} == {chair}
    child = ratified.booking.child
    child.refresh_from_db()
    assert (child.primary_plan, child.plan_agreed_date) == (Plan.ADOPTION, JANUARY)


def test_an_amendment_refuses_an_action_due_before_the_panel_and_changes_nothing(ratified, chair):
    action = ratified.actions.first()
    versions = ratified.history.count()
    with pytest.raises(ValidationError, match="due on or after the panel"):
        services.decision_amend(
            decision=ratified,
            reason="Wrong date",
            by=chair,
            rationale="Changed too",
            actions=[
                {
                    "action": action,
                    "description": action.description,
                    "owner": chair,
                    "due_date": date(2027, 1, 12),  # the day before the panel
                    "remove": False,
                }
            ],
        )
    action.refresh_from_db()
    assert action.due_date == date(2027, 2, 1)
    assert ratified.history.count() == versions


def test_an_amendment_that_changes_nothing_is_refused(ratified, chair):
    with pytest.raises(ValidationError, match="Nothing is changed"):
        services.decision_amend(
            decision=ratified, reason="Checking", by=chair, rationale=ratified.rationale
        )


def test_an_action_only_amendment_is_a_version_of_the_decision_with_its_reason(ratified, chair):
    versions = ratified.history.count()
    services.decision_amend(
        decision=ratified,
        reason="The life story session is not needed",
        by=chair,
        actions=[{"action": ratified.actions.order_by("pk").last(), "remove": True}],
    )
    assert ratified.history.count() == versions + 1
    assert ratified.history.first().history_change_reason == (
        "The life story session is not needed"
    )
    assert ratified.actions.count() == 1
    assert PanelAction.history.filter(
        history_type="-", history_change_reason="The life story session is not needed"
    ).exists()


def test_an_amendment_to_an_outcome_that_needs_approval_waits_for_it(knowsley_booking, chair):
    booking, day = knowsley_booking
    with time_machine.travel(day, tick=False):
        decision = decide(booking, "Refuse", chair)
        services.minutes_ratify(meeting=booking.meeting, chair=chair)
        decision = services.decision_amend(
            decision=decision,
            reason="Panel recommended the match",
            by=chair,
            outcome=booking.panel.outcomes.get(
                name="Recommendation to the Assistant Executive Director"
            ),
        )
    assert decision.approval_status == ApprovalStatus.AWAITING


# Emergency decisions: who records them, and onto which panel -------------------------------


@pytest.fixture
def somerset_day(chair):
    somerset = PanelFactory(preset="somerset", chair=chair)
    with time_machine.travel(date(2027, 1, 5), tick=False):
        agendas_services.meetings_schedule(
            panel=somerset, start=date(2027, 1, 1), end=date(2027, 1, 31)
        )
        yield somerset


def emergency(recorded_by, decided_by, child, **fields):
    return services.emergency_decision_record(
        child=child,
        decided_on=date(2027, 1, 4),
        decided_by_role="Deputy Director Children and Families",
        decided_by=decided_by,
        decision="Placement with aunt",
        rationale="Risk at home",
        recorded_by=recorded_by,
        **fields,
    )


def test_a_senior_manager_records_their_own_emergency_decision(somerset_day, make_user):
    director = make_user(Role.SENIOR_MANAGER, first_name="Dee", last_name="Director")
    record = emergency(director, director, ChildFactory(panel=somerset_day))
    assert (record.panel, record.decided_by, record.recorded_by) == (
        somerset_day,
        director,
        director,
    )
    assert record.decided_by_name == "Dee Director"
    assert "by Dee Director, Deputy Director Children and Families:" in (
        record.ratification_booking.reason
    )


def test_only_an_administrator_records_for_someone_else(
    somerset_day, make_user, administrator, chair
):
    director, other = make_user(Role.SENIOR_MANAGER), make_user(Role.SENIOR_MANAGER)
    child = ChildFactory(panel=somerset_day)
    with pytest.raises(ValidationError, match="You record your own emergency decisions"):
        emergency(other, director, child)
    with pytest.raises(ValidationError) as refused:
        emergency(administrator, chair, child)  # the chair is not a senior manager
    assert list(refused.value.message_dict) == ["decided_by"]
    record = emergency(administrator, director, child)
    assert "(recorded by " in record.ratification_booking.reason


def test_an_emergency_decision_goes_to_another_panel_only_when_confirmed(
    somerset_day, make_user, chair
):
    director = make_user(Role.SENIOR_MANAGER)
    other = PanelFactory(preset="torbay", chair=chair)
    other.emergency_decision_makers = "Deputy Director Children and Families"
    other.save()
    request_type(other, "Emergency decision", RequestPurpose.RETROSPECTIVE)
    child = ChildFactory(panel=somerset_day)
    with pytest.raises(ValidationError) as refused:
        emergency(director, director, child, panel=other)
    assert refused.value.message_dict["panel"] == [
        "The child is tracked by the Somerset Permanence Panel. Choose that panel, or confirm "
        f"that the {other.name} ratifies this decision."
    ]
    record = emergency(director, director, child, panel=other, other_panel_confirmed=True)
    assert record.panel == other
    assert record.ratification_booking.panel == other


def test_a_child_no_panel_tracks_needs_a_panel_chosen(somerset_day, make_user):
    director = make_user(Role.SENIOR_MANAGER)
    child = ChildFactory(panel=None)
    with pytest.raises(ValidationError, match="No panel tracks this child"):
        emergency(director, director, child)
    assert emergency(director, director, child, panel=somerset_day).panel == somerset_day
