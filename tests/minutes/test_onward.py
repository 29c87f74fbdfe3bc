"""After the decision (Somerset): the referral on to the Complex Cases Panel "immediately
following Permanence Panel" (3.9), and the recommendation to revoke the care order of a child
placed with parents (3.8), shown on the tracker until it is made or withdrawn."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from agendas import services as agendas_services
from minutes import services
from minutes.models import CareOrderRevocation, RevocationOutcome
from permanence.models import Notification
from permanence.roles import Role
from tests.factories import ChildFactory, DecisionFactory, PanelFactory, winter_meetings
from tracker import selectors as tracker_selectors
from tracker.codes import LegalStatus, PlacementType

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(somerset, chair, book):
    """A Somerset child placed with parents under a care order, decided at January's panel."""
    meeting = winter_meetings(somerset)[0]
    child = ChildFactory(
        panel=somerset,
        case_number="SOM0301",
        first_name="Ruby",
        last_name="Ashdown",
        looked_after_since=meeting.date - timedelta(days=400),
        legal_status=LegalStatus.C1,
        placement_type=PlacementType.P1,
    )
    booking = book(meeting, child)
    with time_machine.travel(meeting.date, tick=False):
        return DecisionFactory(booking=booking, recorded_by=chair)


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.SENIOR_MANAGER, email="complex.cases@council.example")


# The Complex Cases Panel --------------------------------------------------------------------


def test_a_referral_is_recorded_and_emails_the_panels_recipient_once(decided, chair, coordinator):
    PanelFactory(preset="somerset", complex_cases_recipient=coordinator)
    referral = services.complex_cases_referral_create(
        decision=decided, needs="Speech and language therapy; an EHCP assessment.", by=chair
    )
    assert referral.recipient == coordinator
    assert referral.child == decided.booking.child
    (email,) = Notification.objects.filter(kind="complex_cases_referral")
    assert email.recipient == coordinator
    assert email.subject.startswith("Complex Cases Panel referral: RA (SOM0301), ")
    assert "Ruby" not in email.subject
    assert "Speech and language therapy" in email.body_text
    with pytest.raises(ValidationError, match="already referred"):
        services.complex_cases_referral_create(decision=decided, needs="Again", by=chair)
    assert Notification.objects.filter(kind="complex_cases_referral").count() == 1


def test_without_a_recipient_the_referral_is_refused_with_what_to_do(decided, chair):
    with pytest.raises(ValidationError, match="administrator sets who on the panel's settings"):
        services.complex_cases_referral_create(decision=decided, needs="Health", by=chair)


def test_a_referral_says_what_is_needed(decided, chair, coordinator):
    PanelFactory(preset="somerset", complex_cases_recipient=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.complex_cases_referral_create(decision=decided, needs="  ", by=chair)
    assert "needs" in refused.value.message_dict


def test_reloading_the_preset_keeps_the_recipient(coordinator):
    panel = PanelFactory(preset="somerset", complex_cases_recipient=coordinator)
    agendas_services.panel_preset_load(slug="somerset")
    panel.refresh_from_db()
    assert panel.complex_cases_recipient == coordinator


# Care order revocation ----------------------------------------------------------------------


def tracker_row(child, user):
    return tracker_selectors.tracker_children(user).get(pk=child.pk)


def test_revocation_shows_on_the_tracker_until_made(decided, chair, administrator):
    child = decided.booking.child
    assert not tracker_row(child, administrator).revocation_recommended
    revocation = services.care_order_revocation_recommend(decision=decided, by=chair)
    assert tracker_row(child, administrator).revocation_recommended
    meeting_day = decided.booking.meeting.date
    with pytest.raises(ValidationError) as early:
        services.care_order_revocation_record(
            revocation=revocation,
            outcome=RevocationOutcome.MADE,
            on=meeting_day - timedelta(days=1),
            by=administrator,
        )
    assert "on" in early.value.message_dict
    services.care_order_revocation_record(
        revocation=revocation, outcome=RevocationOutcome.MADE, on=meeting_day, by=administrator
    )
    assert not tracker_row(child, administrator).revocation_recommended
    with pytest.raises(ValidationError, match="Already recorded"):
        services.care_order_revocation_record(
            revocation=revocation,
            outcome=RevocationOutcome.WITHDRAWN,
            on=meeting_day,
            by=administrator,
        )


def test_a_withdrawn_recommendation_leaves_the_tracker(decided, chair, administrator):
    revocation = services.care_order_revocation_recommend(decision=decided, by=chair)
    services.care_order_revocation_record(
        revocation=revocation,
        outcome=RevocationOutcome.WITHDRAWN,
        on=decided.booking.meeting.date + timedelta(days=30),
        by=administrator,
    )
    assert not tracker_row(decided.booking.child, administrator).revocation_recommended


def test_only_a_child_placed_with_parents_under_a_care_order(decided, chair):
    child = decided.booking.child
    type(child).objects.filter(pk=child.pk).update(placement_type=PlacementType.U1)
    with pytest.raises(ValidationError, match="placed with parents under a care order"):
        services.care_order_revocation_recommend(decision=decided, by=chair)


def test_the_database_keeps_one_open_recommendation_a_child(decided, chair):
    services.care_order_revocation_recommend(decision=decided, by=chair)
    with pytest.raises(ValidationError, match="already recommends"):
        services.care_order_revocation_recommend(decision=decided, by=chair)
    with pytest.raises(IntegrityError), transaction.atomic():
        CareOrderRevocation.objects.bulk_create(
            [
                CareOrderRevocation(
                    decision=decided, child=decided.booking.child, recommended_by=chair
                )
            ]
        )


# The pages ----------------------------------------------------------------------------------


def test_the_chair_refers_and_recommends_from_the_child_page(
    client, decided, chair, coordinator, administrator
):
    PanelFactory(preset="somerset", complex_cases_recipient=coordinator)
    child = decided.booking.child
    client.force_login(chair)
    page = client.get(reverse("tracker:child", args=[child.pk])).content.decode()
    refer = reverse("minutes:complex-cases-referral", args=[decided.pk])
    recommend = reverse("minutes:revocation-recommend", args=[decided.pk])
    assert refer in page and recommend in page
    response = client.post(refer, {"needs": "Speech and language therapy"})
    assert response.status_code == 302
    assert client.post(recommend, {}).status_code == 302
    page = client.get(reverse("tracker:child", args=[child.pk])).content.decode()
    assert "Speech and language therapy" in page
    assert "Revocation recommended" in page
    assert refer not in page
    tracker = client.get(reverse("tracker:list")).content.decode()
    assert "Revocation recommended" in tracker

    client.force_login(administrator)
    outcome = reverse("minutes:revocation-outcome", args=[decided.pk])
    assert outcome in client.get(reverse("tracker:child", args=[child.pk])).content.decode()
    day = decided.booking.meeting.date
    response = client.post(
        outcome,
        {"outcome": "made", "on_0": day.day, "on_1": day.month, "on_2": day.year},
    )
    assert response.status_code == 302
    assert "Revocation recommended" not in client.get(reverse("tracker:list")).content.decode()


def test_the_outcome_page_refuses_in_words(client, decided, chair, administrator):
    services.care_order_revocation_recommend(decision=decided, by=chair)
    client.force_login(administrator)
    response = client.post(
        reverse("minutes:revocation-outcome", args=[decided.pk]), {"outcome": "made"}
    )
    assert response.status_code == 200
    assert "Enter the date" in response.content.decode()
