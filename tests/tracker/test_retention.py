"""How long a child's record is kept (issue 14): the disposal date, the legal hold, and the
administrators' report of records past their date. Nothing is ever deleted."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from permanence.roles import Role
from tracker import retention, services
from tracker.models import Child

pytestmark = pytest.mark.django_db


def record(**fields) -> Child:
    fields.setdefault("case_number", f"R{Child.objects.count() + 1:05d}")
    return services.child_create(first_name="Rae", last_name="Keeping", **fields)


# The disposal date ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "disposal"),
    [
        # A looked-after child's case record: until the 75th birthday (CPPCR reg 50).
        (
            {"date_of_birth": date(2015, 3, 14), "looked_after_since": date(2025, 1, 6)},
            date(2090, 3, 14),
        ),
        # Born on 29 February: the 75th birthday falls on 28 February 2083.
        (
            {"date_of_birth": date(2008, 2, 29), "looked_after_since": date(2025, 1, 6)},
            date(2083, 2, 28),
        ),
        # Adopted: 100 years from the adoption order, the final order under a placement order.
        (
            {
                "date_of_birth": date(2022, 5, 1),
                "looked_after_since": date(2023, 1, 9),
                "legal_status": "E1",
                "proceedings_issued": date(2024, 9, 2),
                "final_order_date": date(2025, 6, 30),
            },
            date(2125, 6, 30),
        ),
        # The later rule wins: an order made at 1 keeps the record past the 75th birthday,
        # and so would a placement order's final order read as an adoption order.
        (
            {
                "date_of_birth": date(2002, 1, 1),
                "looked_after_since": date(2002, 2, 1),
                "legal_status": "E1",
                "proceedings_issued": date(2002, 3, 1),
                "final_order_date": date(2003, 1, 1),
            },
            date(2103, 1, 1),
        ),
        # A final care order (C2) is not an adoption order.
        (
            {
                "date_of_birth": date(2022, 5, 1),
                "looked_after_since": date(2023, 1, 9),
                "legal_status": "C2",
                "proceedings_issued": date(2024, 9, 2),
                "final_order_date": date(2025, 6, 30),
            },
            date(2097, 5, 1),
        ),
        # Not looked after (pre-proceedings only), or no date of birth: no date yet.
        ({"date_of_birth": date(2020, 1, 1), "pre_proceedings_start": date(2025, 1, 6)}, None),
        ({"looked_after_since": date(2025, 1, 6)}, None),
    ],
)
def test_each_record_carries_its_disposal_date(fields, disposal):
    child = record(**fields)
    assert child.disposal_date == disposal
    assert Child.objects.get(pk=child.pk).disposal_date == disposal


def test_the_disposal_date_follows_an_edit():
    child = record(date_of_birth=date(2015, 3, 14), looked_after_since=date(2025, 1, 6))
    services.child_update(child=child, date_of_birth=date(2016, 3, 14))
    assert Child.objects.get(pk=child.pk).disposal_date == date(2091, 3, 14)


def test_the_basis_is_said_in_words():
    adopted = Child(
        date_of_birth=date(2022, 5, 1),
        looked_after_since=date(2023, 1, 9),
        legal_status="E1",
        final_order_date=date(2025, 6, 30),
    )
    assert retention.disposal_basis(adopted).startswith("100 years from the adoption order")
    in_care = Child(date_of_birth=date(2015, 3, 14), looked_after_since=date(2025, 1, 6))
    assert retention.disposal_basis(in_care).startswith("The 75th birthday")
    assert retention.disposal_basis(Child(looked_after_since=date(2025, 1, 6))).startswith(
        "Not known until the date of birth"
    )


# The legal hold ------------------------------------------------------------------------


def test_a_legal_hold_keeps_its_reason_who_and_when(administrator):
    child = record(date_of_birth=date(2015, 3, 14), looked_after_since=date(2025, 1, 6))
    moment = timezone.make_aware(datetime(2026, 12, 1, 14, 30))
    with time_machine.travel(moment, tick=False):
        services.child_legal_hold_place(
            child=child, reason="  Civil claim 2026/117  ", by=administrator
        )
    child.refresh_from_db()
    assert (child.legal_hold_reason, child.legal_hold_by, child.legal_hold_since) == (
        "Civil claim 2026/117",
        administrator,
        moment,
    )
    assert child.history.first().history_change_reason == "Legal hold placed"
    with pytest.raises(ValidationError, match="already on legal hold"):
        services.child_legal_hold_place(child=child, reason="Another", by=administrator)
    services.child_legal_hold_lift(child=child, by=administrator)
    child.refresh_from_db()
    assert not child.on_legal_hold and child.legal_hold_reason == ""
    with pytest.raises(ValidationError, match="not on legal hold"):
        services.child_legal_hold_lift(child=child, by=administrator)


def test_only_administrators_hold_records_and_always_with_a_reason(administrator, make_user):
    child = record()
    with pytest.raises(ValidationError, match="Enter why"):
        services.child_legal_hold_place(child=child, reason="   ", by=administrator)
    with pytest.raises(ValidationError, match="Only panel administrators"):
        services.child_legal_hold_place(
            child=child, reason="Claim", by=make_user(Role.SENIOR_MANAGER)
        )
    # The database refuses a hold with no reason, whoever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Child.objects.filter(pk=child.pk).update(legal_hold_since=timezone.now())


# The report ----------------------------------------------------------------------------


def test_the_report_lists_records_past_their_date_and_deletes_nothing(
    administrator_client, administrator
):
    due = record(date_of_birth=date(2010, 1, 1), looked_after_since=date(2020, 1, 6))
    today = record(date_of_birth=date(2010, 11, 27), looked_after_since=date(2020, 1, 6))
    held = record(date_of_birth=date(2009, 6, 1), looked_after_since=date(2020, 1, 6))
    record(date_of_birth=date(2010, 11, 28), looked_after_since=date(2020, 1, 6))  # tomorrow
    record(date_of_birth=date(2015, 3, 14), looked_after_since=date(2025, 1, 6))
    services.child_legal_hold_place(child=held, reason="Inquiry ref 42", by=administrator)
    # The report as the records manager will read it on 27 November 2085.
    with time_machine.travel(datetime(2085, 11, 27, 12), tick=False):
        administrator_client.force_login(administrator)
        response = administrator_client.get(reverse("tracker:retention"))
    listed = [child.case_number for child in response.context["page"].object_list]
    assert listed == [held.case_number, due.case_number, today.case_number]
    page = response.content.decode()
    assert "Inquiry ref 42" in page
    assert "never deletes a record" in page
    assert Child.objects.count() == 5


def test_the_legal_hold_page_places_and_lifts_the_hold(administrator_client, administrator):
    child = record(date_of_birth=date(2010, 1, 1), looked_after_since=date(2020, 1, 6))
    url = reverse("tracker:legal-hold", args=[child.pk])
    page = administrator_client.get(url).content.decode()
    assert "The 75th birthday" in page and "1 January 2085" in page
    refused = administrator_client.post(url, {"reason": ""})
    assert "Enter why the record must be kept" in refused.content.decode()
    assert administrator_client.post(url, {"reason": "Claim 7"}).status_code == 302
    assert Child.objects.get(pk=child.pk).legal_hold_reason == "Claim 7"
    child_page = administrator_client.get(reverse("tracker:child", args=[child.pk]))
    assert "On hold" in child_page.content.decode()
    assert administrator_client.post(url, {}).status_code == 302
    assert not Child.objects.get(pk=child.pk).on_legal_hold


def test_no_one_else_sees_the_report_or_holds_a_record(client, make_user):
    child = record()
    for role in (Role.CHAIR, Role.SENIOR_MANAGER, Role.SOCIAL_WORKER):
        client.force_login(make_user(role))
        assert client.get(reverse("tracker:retention")).status_code == 403
        assert (
            client.post(reverse("tracker:legal-hold", args=[child.pk]), {"reason": "x"}).status_code
            == 403
        )
    assert not Child.objects.get(pk=child.pk).on_legal_hold
