"""The factories build what the services build, and keep related objects on one panel."""

import pytest

from agendas.models import BookingStatus, Panel
from minutes.models import ApprovalStatus
from tests.factories import (
    ActionFactory,
    BookingFactory,
    DecisionFactory,
    MeetingFactory,
    PanelFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db


def test_a_panel_from_its_preset_is_the_seed_panel_with_its_chair(chair):
    lancashire = PanelFactory(preset="lancashire", chair=chair)
    assert lancashire == Panel.objects.get(slug="lancashire")
    assert lancashire.name == "Lancashire Permanence Panel"
    assert lancashire.sections.count() == 5
    lancashire.refresh_from_db()
    assert lancashire.chair == chair


def test_a_meeting_has_the_slots_its_panel_lays_out(time_machine):
    time_machine.move_to("2026-12-01 09:00 +00:00", tick=False)
    meeting = MeetingFactory()
    assert meeting.panel.slug == "lancashire"
    assert meeting.date.isoformat() == "2026-12-09"  # the second Wednesday
    assert meeting.slots.filter(section=None).count() == 20


def test_a_booking_is_of_its_meetings_panel_throughout(time_machine):
    time_machine.move_to("2026-12-01 09:00 +00:00", tick=False)
    booking = BookingFactory(meeting__panel=PanelFactory(preset="knowsley"))
    panel = booking.meeting.panel
    assert booking.status == BookingStatus.BOOKED
    assert booking.panel == booking.child.panel == booking.request_type.panel == panel
    assert booking.section.panel == panel
    assert booking.request_type.name == "Special Guardianship Order: friends and family carers"


def test_a_submission_a_decision_and_an_action_go_through_the_services(time_machine):
    time_machine.move_to("2026-12-01 09:00 +00:00", tick=False)
    booking = BookingFactory(request="Ratification")
    submission = SubmissionFactory(booking=booking, reason_for_presentation="Settled")
    assert submission.reason_for_presentation == "Settled"
    time_machine.move_to(booking.meeting.date, tick=False)
    decision = DecisionFactory(booking=booking, outcome="Ratification of placement as permanent")
    assert decision.approval_status == ApprovalStatus.NOT_NEEDED
    booking.child.refresh_from_db()
    assert booking.child.last_panel_date == booking.meeting.date
    action = ActionFactory(decision=decision)
    assert action.child == booking.child
