"""Somerset's key planning dates on the child (3.1): the permanence planning meeting, the
matching meeting and the sibling assessment (found to be needed, then completed), each a
tracker column and filter, on the child's page, and kept in order by the database."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from permanence.roles import Role
from tests.factories import ChildFactory, UserFactory
from tracker import services
from tracker.filters import TrackerFilter
from tracker.models import Child

pytestmark = pytest.mark.django_db

MEETING, MATCHING = date(2026, 11, 12), date(2026, 11, 26)
NEEDED, COMPLETED = date(2026, 10, 1), date(2026, 11, 20)


@pytest.fixture
def children():
    """Four children, one for each state of their key dates."""
    return {
        "planned": ChildFactory(case_number="K1", permanence_planning_meeting_date=MEETING),
        "matched": ChildFactory(
            case_number="K2",
            permanence_planning_meeting_date=MEETING,
            matching_meeting_date=MATCHING,
        ),
        "needed": ChildFactory(case_number="K3", sibling_assessment_required_date=NEEDED),
        "assessed": ChildFactory(
            case_number="K4",
            sibling_assessment_required_date=NEEDED,
            sibling_assessment_completed_date=COMPLETED,
        ),
    }


def found(**query) -> list[str]:
    return sorted(
        TrackerFilter(query, queryset=Child.objects.all()).qs.values_list("case_number", flat=True)
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"planning_meeting": "held"}, ["K1", "K2"]),
        ({"planning_meeting": "not_held"}, ["K3", "K4"]),
        ({"matching_meeting": "held"}, ["K2"]),
        ({"matching_meeting": "not_held"}, ["K1", "K3", "K4"]),
        ({"sibling_assessment": "needed"}, ["K3"]),
        ({"sibling_assessment": "completed"}, ["K4"]),
        ({"sibling_assessment": "none"}, ["K1", "K2"]),
        ({"planning_meeting": "held", "matching_meeting": "not_held"}, ["K1"]),
    ],
)
def test_each_key_date_filters_the_tracker(children, query, expected):
    assert found(**query) == expected


@pytest.mark.parametrize(
    "order",
    ["matching_meeting_date", "-matching_meeting_date", "-sibling_assessment_completed_date"],
)
def test_the_tracker_sorts_by_a_key_date_with_unknown_dates_last(children, order):
    qs = TrackerFilter({"order": order}, queryset=Child.objects.all()).qs
    field = order.lstrip("-")
    dates = [getattr(child, field) for child in qs]
    known = [day for day in dates if day is not None]
    assert dates == known + [None] * (len(dates) - len(known))
    assert len(known) == 1


def test_the_tracker_shows_each_key_date_as_a_column(client, children):
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    response = client.get(reverse("tracker:list"))
    page = response.content.decode()
    for heading in ("Planning meeting", "Matching meeting", "Sibling assessment"):
        assert heading in page
    rows = {row.record.case_number: row for row in response.context["table"].rows}
    assert rows["K3"].get_cell("sibling_assessment") == "Needed since 1 Oct 2026"
    assert rows["K4"].get_cell("sibling_assessment") == "Completed 20 Nov 2026"
    assert rows["K1"].get_cell("sibling_assessment") == "—"
    assert rows["K2"].get_cell("matching_meeting_date") == "26 Nov 2026"


def test_the_filter_form_offers_the_key_dates(client, children):
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    response = client.get(reverse("tracker:list"), {"sibling_assessment": "needed"})
    assert [row.record.case_number for row in response.context["table"].rows] == ["K3"]
    page = response.content.decode()
    assert 'name="planning_meeting"' in page and 'name="matching_meeting"' in page


def test_the_child_page_reads_the_key_dates(client, children):
    client.force_login(UserFactory(roles=[Role.CHAIR]))
    page = client.get(reverse("tracker:child", args=[children["assessed"].pk])).content.decode()
    assert "Key planning dates" in page
    assert "Completed Friday 20 November 2026 (found to be needed Thursday 1 October 2026)" in page
    page = client.get(reverse("tracker:child", args=[children["planned"].pk])).content.decode()
    assert "Thursday 12 November 2026" in page
    assert "Not held yet" in page  # the matching meeting


@pytest.mark.parametrize(
    ("completed", "refused"),
    [(date(2026, 9, 30), True), (NEEDED, False), (date(2026, 10, 2), False)],
)
def test_a_sibling_assessment_is_not_completed_before_it_was_needed(completed, refused):
    child = ChildFactory(sibling_assessment_required_date=NEEDED)
    if refused:
        with pytest.raises(ValidationError) as error:
            services.child_update(child=child, sibling_assessment_completed_date=completed)
        assert "cannot be completed before it was found to be needed" in str(error.value)
        with pytest.raises(IntegrityError), transaction.atomic():
            Child.objects.filter(pk=child.pk).update(sibling_assessment_completed_date=completed)
    else:
        services.child_update(child=child, sibling_assessment_completed_date=completed)
        child.refresh_from_db()
        assert child.sibling_assessment_completed_date == completed


def test_the_administrator_records_the_key_dates_on_the_childs_form(administrator_client):
    child = ChildFactory()
    url = reverse("tracker:child-update", args=[child.pk])
    form = administrator_client.get(url).context["form"]
    assert "Key planning dates" in administrator_client.get(url).content.decode()
    for name in (
        "permanence_planning_meeting_date",
        "matching_meeting_date",
        "sibling_assessment_required_date",
        "sibling_assessment_completed_date",
    ):
        assert name in form.fields
