"""Carers' records (issue 16): their approval, as whole as the approving panel gave it, the
children linked to them, and the pages that keep them."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.days import BOOKED_ON
from tests.factories import (
    BookingFactory,
    CarerFactory,
    ChildFactory,
    PanelFactory,
    decide,
    winter_meetings,
)
from tracker import selectors, services
from tracker.models import Carer, CarerKind, CarerRole, ChildCarer

pytestmark = pytest.mark.django_db

TODAY = date(2027, 1, 14)


def approval(**fields):
    return {
        "approved_for": "One child aged 5 to 12",
        "approved_for_permanence": True,
        "approving_panel": "Fostering Panel",
        "approved_on": TODAY,
        **fields,
    }


@pytest.mark.parametrize(
    ("approved_on", "recorded"),
    [(date(2027, 1, 13), True), (TODAY, True), (date(2027, 1, 15), False)],
)
def test_an_approval_is_dated_today_or_before(administrator, approved_on, recorded):
    carer = CarerFactory(by=administrator)
    with time_machine.travel(TODAY, tick=False):
        if recorded:
            services.carer_approval_record(
                carer=carer, by=administrator, **approval(approved_on=approved_on)
            )
            carer.refresh_from_db()
            assert carer.approved_on == approved_on
        else:
            with pytest.raises(ValidationError, match="cannot be in the future"):
                services.carer_approval_record(
                    carer=carer, by=administrator, **approval(approved_on=approved_on)
                )


def test_an_approval_needs_what_for_the_panel_and_the_date(administrator):
    carer = CarerFactory(by=administrator)
    with pytest.raises(ValidationError) as refused:
        services.carer_approval_record(
            carer=carer,
            by=administrator,
            **approval(approved_for=" ", approving_panel="", approved_on=None),
        )
    assert set(refused.value.message_dict) == {"approved_for", "approving_panel", "approved_on"}


def test_the_database_refuses_half_an_approval():
    with pytest.raises(IntegrityError), transaction.atomic():
        Carer.objects.create(name="Jo Bloggs", kind=CarerKind.ADOPTER, approved_for_permanence=True)


def test_a_new_approval_keeps_the_earlier_one_in_the_history(administrator):
    carer = CarerFactory(by=administrator, approved_for_permanence=False)
    with time_machine.travel(TODAY, tick=False):
        services.carer_approval_record(carer=carer, by=administrator, **approval())
    assert [h.approved_for_permanence for h in carer.history.order_by("history_date")] == [
        False,
        False,
        True,
    ]


def test_linking_again_changes_the_role_and_never_links_twice(administrator):
    child, carer = ChildFactory(), CarerFactory(by=administrator)
    services.child_carer_link(child=child, carer=carer, role=CarerRole.PROPOSED, by=administrator)
    services.child_carer_link(child=child, carer=carer, role=CarerRole.CURRENT, by=administrator)
    assert list(ChildCarer.objects.values_list("role", flat=True)) == [CarerRole.CURRENT]


def test_the_carer_page_shows_their_children_and_panels_decisions_in_constant_queries(
    administrator_client, administrator, chair
):
    somerset = PanelFactory(preset="somerset", chair=chair)
    meeting = winter_meetings(somerset)[0]
    carer = CarerFactory(name="Sam and Alex Taylor", by=administrator, approved_for_permanence=True)

    def add_matched_child(first_name):
        with time_machine.travel(BOOKED_ON, tick=False):
            booking = BookingFactory(
                meeting=meeting, request="Matching", child__first_name=first_name
            )
        services.child_carer_link(
            child=booking.child, carer=carer, role=CarerRole.PROPOSED, by=administrator
        )
        with time_machine.travel(meeting.date, tick=False):
            decide(booking, "Ratify the request, with timescales for the action plan", chair)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = administrator_client.get(f"/carers/{carer.pk}/")
        assert response.status_code == 200
        return len(captured), response.content.decode()

    add_matched_child("Ada")
    one, page = queries()
    assert "Ada" in page and "Thursday 14 January 2027" in page
    add_matched_child("Byron")
    add_matched_child("Clara")
    three, page = queries()
    assert "Clara" in page
    assert one == three


def test_linking_by_an_unknown_case_number_says_so(administrator_client, administrator):
    carer = CarerFactory(by=administrator)
    response = administrator_client.post(
        f"/carers/{carer.pk}/children/", {"case_number": "NOPE", "role": "proposed"}
    )
    assert "There is no child with this case number on the tracker." in response.content.decode()
    assert not ChildCarer.objects.exists()


def test_the_child_page_shows_current_and_proposed_carers(administrator_client, administrator):
    child = ChildFactory()
    for name, role, permanence in (
        ("Jo Bloggs", CarerRole.CURRENT, True),
        ("Sam and Alex Taylor", CarerRole.PROPOSED, False),
    ):
        services.child_carer_link(
            child=child,
            carer=CarerFactory(name=name, by=administrator, approved_for_permanence=permanence),
            role=role,
            by=administrator,
        )
    page = administrator_client.get(f"/children/{child.pk}/").content.decode()
    assert "Jo Bloggs</a>: current carer, foster carer." in page
    assert "Sam and Alex Taylor</a>: proposed carer, foster carer." in page
    assert selectors.carers_to_match(child)[0].name == "Sam and Alex Taylor"


def test_the_social_worker_records_the_guardians_feedback_on_torbays_sgo_request(
    client, social_worker, chair
):
    torbay = PanelFactory(preset="torbay", chair=chair)
    meeting = winter_meetings(torbay)[0]
    with time_machine.travel(BOOKED_ON, tick=False):
        booking = BookingFactory(
            meeting=meeting,
            request="SGO Support Plan sign-off",
            child__social_worker=social_worker,
            child__team=social_worker.team,
        )
    with time_machine.travel(date(2027, 1, 5), tick=False):
        client.force_login(social_worker)
        page = client.get(f"/bookings/{booking.pk}/").content.decode()
        assert "No communications or feedback recorded yet." in page
        response = client.post(
            f"/bookings/{booking.pk}/guardians-feedback/",
            {
                "received_on_0": "4",
                "received_on_1": "1",
                "received_on_2": "2027",
                "summary": "They agree the support plan.",
            },
        )
        assert response.url == f"/bookings/{booking.pk}/"
        page = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert "They agree the support plan." in page
    assert "Panel cannot agree this request yet." not in page


def test_the_carers_list_reads_a_page_at_a_time_in_constant_queries(
    administrator_client, administrator
):
    def queries(page=1):
        with CaptureQueriesContext(connection) as captured:
            response = administrator_client.get(f"/carers/?page={page}")
        assert response.status_code == 200
        return len(captured), response.content.decode()

    CarerFactory.create_batch(3, by=administrator)
    three, page = queries()
    assert page.count('<tr class="govuk-table__row">') - 1 == 3  # less the header row
    assert "Pages of carers" not in page
    CarerFactory.create_batch(57, by=administrator, approved_for_permanence=True)
    sixty, page = queries()
    assert three == sixty
    assert "Pages of carers" in page and "?page=2" in page
    assert page.count('<tr class="govuk-table__row">') - 1 == 50
    _, last = queries(page=2)
    assert last.count('<tr class="govuk-table__row">') - 1 == 10
