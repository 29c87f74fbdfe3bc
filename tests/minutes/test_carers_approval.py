"""Somerset 7: panel cannot agree a match until the carers' approval for permanent, long-term
placements is recorded; Torbay: the SGO support plan is not signed off until what the
prospective special guardians said is recorded. The refusal says what is needed."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from agendas import pdfs
from agendas import selectors as agendas_selectors
from agendas import services as agendas_services
from minutes.models import ApprovalStatus
from tests.agendas.test_pdfs import text_of
from tests.days import BOOKED_ON
from tests.factories import BookingFactory, CarerFactory, PanelFactory, decide, winter_meetings
from tracker import selectors as tracker_selectors
from tracker import services as tracker_services
from tracker.models import CarerRole

pytestmark = pytest.mark.django_db

RATIFY = "Ratify the request, with timescales for the action plan"


@pytest.fixture
def somerset_match(somerset):
    """A child booked for Somerset's first January panel, Thursday 14 January 2027, to be
    matched with their foster carers."""
    meeting = winter_meetings(somerset)[0]
    assert meeting.date == date(2027, 1, 14)
    with time_machine.travel(BOOKED_ON, tick=False):
        return BookingFactory(meeting=meeting, request="Matching")


def link(booking, carer, role=CarerRole.PROPOSED):
    admin = carer.history.first().history_user
    tracker_services.child_carer_link(child=booking.child, carer=carer, role=role, by=admin)


def approve(carer, *, permanence=True):
    tracker_services.carer_approval_record(
        carer=carer,
        approved_for="One child aged 5 to 12, long term",
        approved_for_permanence=permanence,
        approving_panel="Fostering Panel",
        approved_on=date(2027, 1, 7),
        by=carer.history.first().history_user,
    )


def test_a_match_with_no_carers_linked_is_refused_with_what_to_do(somerset_match, chair):
    with (
        time_machine.travel(date(2027, 1, 14), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        decide(somerset_match, RATIFY, chair)
    assert "No carers are linked to this child" in str(refused.value.message_dict["outcome"])


def test_carers_not_approved_for_permanence_block_the_match_until_the_approval_is_recorded(
    somerset_match, chair
):
    carers = CarerFactory(name="Sam and Alex Taylor", approved_for_permanence=False)
    link(somerset_match, carers)
    assert agendas_selectors.carers_needed_first(somerset_match) == [
        "Sam and Alex Taylor are not approved for permanent, long-term placements. Record "
        "their approval for permanence (what for, the approving panel and the date) on the "
        "carers' record before panel agrees the match."
    ]
    with time_machine.travel(date(2027, 1, 14), tick=False):
        with pytest.raises(ValidationError) as refused:
            decide(somerset_match, RATIFY, chair)
        assert "Sam and Alex Taylor are not approved" in refused.value.message_dict["outcome"][0]

        approve(carers)
        assert agendas_selectors.carers_needed_first(somerset_match) == []
        decision = decide(somerset_match, RATIFY, chair)
    somerset_match.child.refresh_from_db()
    assert somerset_match.child.long_term_match_date == date(2027, 1, 14)
    # The decision is on the carers' file.
    admin = carers.history.first().history_user
    assert [b.decision for b in tracker_selectors.carer_decisions(carers, admin)] == [decision]


def test_panel_may_still_refuse_a_match_the_carers_are_not_approved_for(somerset_match, chair):
    link(somerset_match, CarerFactory(approved_for_permanence=False))
    with time_machine.travel(date(2027, 1, 14), tick=False):
        assert decide(somerset_match, "Refuse", chair).outcome.name == "Refuse"


def test_the_proposed_carers_are_the_ones_checked_not_the_current_ones(somerset_match, chair):
    link(somerset_match, CarerFactory(approved_for_permanence=True), CarerRole.CURRENT)
    proposed = CarerFactory(name="Jo Bloggs", approved_for_permanence=False)
    link(somerset_match, proposed)
    assert tracker_selectors.carers_to_match(somerset_match.child) == [proposed]
    with (
        time_machine.travel(date(2027, 1, 14), tick=False),
        pytest.raises(ValidationError, match="Jo Bloggs is not approved"),
    ):
        decide(somerset_match, RATIFY, chair)


def test_a_long_term_match_with_the_current_foster_carers_checks_them(somerset_match, chair):
    current = CarerFactory(approved_for_permanence=True)
    link(somerset_match, current, CarerRole.CURRENT)
    assert tracker_selectors.carers_to_match(somerset_match.child) == [current]
    with time_machine.travel(date(2027, 1, 14), tick=False):
        decide(somerset_match, RATIFY, chair)


def test_a_panel_without_the_rule_agrees_the_match(knowsley, chair):
    meeting = winter_meetings(knowsley)[0]
    with time_machine.travel(BOOKED_ON, tick=False):
        booking = BookingFactory(meeting=meeting, request="Long term fostering match")
    link(booking, CarerFactory(approved_for_permanence=False))
    with time_machine.travel(meeting.date, tick=False):
        decision = decide(booking, "Approval", chair)
    # Knowsley's long-term match waits for the Assistant Executive Director, as before.
    assert decision.approval_status == ApprovalStatus.AWAITING


def test_a_request_that_is_not_a_match_is_not_checked(somerset, chair):
    meeting = winter_meetings(somerset)[0]
    with time_machine.travel(BOOKED_ON, tick=False):
        booking = BookingFactory(meeting=meeting, request="Placement move")
    with time_machine.travel(meeting.date, tick=False):
        decide(booking, RATIFY, chair)


# Torbay: the prospective special guardians' feedback before the SGO support plan sign-off


@pytest.fixture
def torbay_sgo(chair):
    torbay = PanelFactory(preset="torbay", chair=chair)
    meeting = winter_meetings(torbay)[0]
    assert meeting.date == date(2027, 1, 7)
    with time_machine.travel(BOOKED_ON, tick=False):
        return BookingFactory(meeting=meeting, request="SGO Support Plan sign-off")


def test_the_sgo_support_plan_is_not_signed_off_before_the_guardians_feedback(
    torbay_sgo, chair, make_user
):
    with time_machine.travel(date(2027, 1, 7), tick=False):
        with pytest.raises(ValidationError) as refused:
            decide(torbay_sgo, RATIFY, chair)
        assert refused.value.message_dict["outcome"] == [
            "No communications or feedback from the prospective special guardians are "
            "recorded against this request. Record what they said before the SGO support "
            "plan is signed off."
        ]
        agendas_services.guardians_feedback_record(
            booking=torbay_sgo,
            received_on=date(2027, 1, 6),
            summary="They agree the support plan; they ask for help with contact.",
            by=torbay_sgo.booked_by,
        )
        assert decide(torbay_sgo, RATIFY, chair).outcome.name == RATIFY


@pytest.mark.parametrize(
    ("received_on", "summary", "field"),
    [
        (date(2027, 1, 8), "Agreed", "received_on"),  # the day after today
        (None, "Agreed", "received_on"),
        (date(2027, 1, 6), "   ", "summary"),
    ],
)
def test_the_feedback_needs_a_past_date_and_what_was_said(torbay_sgo, received_on, summary, field):
    with (
        time_machine.travel(date(2027, 1, 7), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        agendas_services.guardians_feedback_record(
            booking=torbay_sgo,
            received_on=received_on,
            summary=summary,
            by=torbay_sgo.booked_by,
        )
    assert field in refused.value.message_dict


def test_feedback_dated_today_is_recorded(torbay_sgo):
    with time_machine.travel(date(2027, 1, 7), tick=False):
        feedback = agendas_services.guardians_feedback_record(
            booking=torbay_sgo,
            received_on=date(2027, 1, 7),
            summary="Agreed",
            by=torbay_sgo.booked_by,
        )
    assert list(torbay_sgo.guardians_feedback.all()) == [feedback]


def test_the_presets_set_somersets_rule_and_torbays_feedback(somerset, knowsley, chair):
    torbay = PanelFactory(preset="torbay")
    assert somerset.match_needs_permanence_approval
    assert not knowsley.match_needs_permanence_approval
    assert not torbay.match_needs_permanence_approval
    assert [t.name for t in torbay.request_types.filter(needs_guardians_feedback=True)] == [
        "SGO Support Plan sign-off"
    ]
    assert not somerset.request_types.filter(needs_guardians_feedback=True).exists()


def test_the_cover_sheet_shows_the_carers_and_what_panel_needs_first(somerset_match):
    carers = CarerFactory(name="Sam and Alex Taylor", approved_for_permanence=False)
    link(somerset_match, carers)
    text = text_of(pdfs.cover_sheet_pdf(somerset_match))
    assert (
        "Sam and Alex Taylor (foster carer): not approved for permanence (approved by "
        "Fostering Panel on Thursday 4 June 2026 for: Two children aged 0 to 10)." in text
    )
    assert "Record their approval for permanence" in text
    with time_machine.travel(date(2027, 1, 11), tick=False):
        approve(carers)
    text = text_of(pdfs.cover_sheet_pdf(somerset_match))
    assert "approved for permanent, long-term placements (approved by Fostering Panel" in text
    assert "Record their approval" not in text
