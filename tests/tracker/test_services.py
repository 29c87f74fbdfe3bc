from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from agendas import services as agendas_services
from agendas.models import Panel
from permanence import services as permanence_services
from permanence.models import ClosureDay
from tests.factories import UserFactory
from tracker import services
from tracker.importer import children_import
from tracker.models import Child

pytestmark = pytest.mark.django_db


def create(**fields):
    return services.child_create(case_number="CN1", first_name="Ada", last_name="Test", **fields)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"date_of_birth": date(2026, 5, 3), "looked_after_since": date(2026, 5, 1)},
            "looked_after_since",
            "The looked-after date cannot be before the date of birth (3 May 2026)",
        ),
        (
            {
                "looked_after_since": date(2026, 1, 5),
                "first_review_date": date(2026, 3, 2),
                "second_review_date": date(2026, 2, 27),
            },
            "second_review_date",
            "The second review must be after the first review (2 March 2026)",
        ),
        (
            {"looked_after_since": date(2026, 1, 5), "second_review_date": date(2026, 5, 1)},
            "second_review_date",
            "Record the first review before the second",
        ),
        (
            {"proceedings_issued": date(2026, 3, 2), "final_order_date": date(2026, 3, 1)},
            "final_order_date",
            "The final order cannot be before proceedings were issued (2 March 2026)",
        ),
        (
            {"legal_status": "X9"},
            "legal_status",
            "“X9” is not an SSDA903 legal status code (for example C1, C2, E1 or V2)",
        ),
        (
            {"placement_type": "Q1"},
            "placement_type",
            "“Q1” is not an SSDA903 placement type code (for example U4, P1, A5 or K2)",
        ),
    ],
)
def test_invalid_records_are_refused_on_the_right_field_and_nothing_is_saved(
    fields, field, message
):
    with pytest.raises(ValidationError) as refused:
        create(**fields)
    assert refused.value.message_dict[field] == [message]
    assert not Child.objects.exists()


def test_the_database_refuses_dates_out_of_order_even_past_the_service():
    with pytest.raises(IntegrityError), transaction.atomic():
        Child.objects.create(
            case_number="CN1",
            first_name="A",
            last_name="B",
            proceedings_issued=date(2026, 3, 2),
            final_order_date=date(2026, 3, 1),
        )


def test_derived_dates_are_stored_and_follow_each_edit():
    c = create(looked_after_since=date(2026, 12, 14))
    assert (c.tracking_start, c.next_review_due) == (date(2026, 12, 14), date(2027, 1, 14))
    services.child_update(child=c, first_review_date=date(2027, 1, 11))
    c.refresh_from_db()
    assert c.next_review_due == date(2027, 4, 11)


def test_a_closure_day_moves_every_childs_working_day_dates(django_capture_on_commit_callbacks):
    c = create(looked_after_since=date(2026, 12, 14))
    # In the background once the closure day commits (tests/tracker/test_recompute_job.py).
    with django_capture_on_commit_callbacks(execute=True):
        permanence_services.closure_day_create(date=date(2026, 12, 29), description="Christmas")
    c.refresh_from_db()
    assert c.next_review_due == date(2027, 1, 15)
    with django_capture_on_commit_callbacks(execute=True):
        permanence_services.closure_day_delete(closure_day=ClosureDay.objects.get())
    c.refresh_from_db()
    assert c.next_review_due == date(2027, 1, 14)


def test_a_change_to_the_panels_limits_recomputes_its_children(
    django_capture_on_commit_callbacks,
):
    call_command("load_panel_presets", "somerset", stdout=StringIO())
    somerset = Panel.objects.get(slug="somerset")
    c = create(panel=somerset, placement_order_date=date(2026, 8, 31))
    other = services.child_create(
        case_number="CN2", first_name="B", last_name="C", placement_order_date=date(2026, 8, 31)
    )
    assert c.placement_order_match_due == date(2027, 2, 28)
    with django_capture_on_commit_callbacks(execute=True):
        agendas_services.panel_update(panel=somerset, placement_order_match_limit_months=4)
    c.refresh_from_db()
    other.refresh_from_db()
    assert c.placement_order_match_due == date(2026, 12, 31)
    assert other.placement_order_match_due == date(2027, 2, 28)  # no panel: the default


def test_history_keeps_who_changed_what_from_and_to():
    manager = UserFactory()
    c = create(looked_after_since=date(2026, 1, 5))
    services.child_update(child=c, primary_plan="adoption", changed_by=manager)
    latest, first = c.history.all()[:2]
    delta = latest.diff_against(first)
    assert latest.history_user == manager
    assert [(ch.field, ch.old, ch.new) for ch in delta.changes] == [
        ("primary_plan", "", "adoption")
    ]


def test_history_of_a_child_with_no_recorded_history_is_empty():
    from tracker.selectors import child_history

    Child.objects.bulk_create([Child(case_number="CN9", first_name="A", last_name="B")])
    assert child_history(Child.objects.get()) == []


# Permanence ratified subject to the final order (issue 11) -------------------------------

RATIFIED = date(2027, 1, 13)


def pending_child(**fields) -> Child:
    return services.child_create(
        case_number="CN7001",
        first_name="Pat",
        last_name="Pending",
        proceedings_issued=date(2026, 9, 1),
        permanence_pending_since=RATIFIED,
        **fields,
    )


@pytest.mark.parametrize(
    ("order", "secured"),
    [
        (date(2027, 1, 12), RATIFIED),  # the day before the ratification: the ratification
        (RATIFIED, RATIFIED),  # the same day
        (date(2027, 1, 14), date(2027, 1, 14)),  # the day after: the order
    ],
)
def test_recording_the_final_order_secures_permanence_on_the_later_date(order, secured):
    child = pending_child()
    assert child.is_tracked
    services.child_update(child=child, final_order_date=order)
    child.refresh_from_db()
    assert (child.permanence_secured_date, child.permanence_pending_since) == (secured, None)
    assert not child.is_tracked


def test_an_edit_without_the_final_order_leaves_permanence_pending():
    child = pending_child()
    services.child_update(child=child, placement_type="U4")
    child.refresh_from_db()
    assert (child.permanence_secured_date, child.permanence_pending_since) == (None, RATIFIED)


def test_the_import_recording_the_final_order_secures_permanence():
    pending_child()
    header = "case_number,first_name,last_name,proceedings_issued,final_order_date"
    result = children_import(data=f"{header}\nCN7001,Pat,Pending,2026-09-01,2027-01-20\n".encode())
    assert result.problems == []
    child = Child.objects.get(case_number="CN7001")
    assert (child.permanence_secured_date, child.permanence_pending_since) == (
        date(2027, 1, 20),
        None,
    )
    assert child.history.first().permanence_secured_date == date(2027, 1, 20)
