"""Field-level writes: the child's social worker and team manager correct only their
casework fields (tracker.forms.CASEWORK_FIELDS). Whatever else a hand-made post carries,
court dates, allocation, panel, names, is ignored, and nothing outside the list changes."""

from datetime import date

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.factories import PanelFactory, TeamFactory, UserFactory
from tracker.codes import Plan
from tracker.forms import CASEWORK_FIELDS
from tracker.models import Child

pytestmark = pytest.mark.django_db


def split_date(name: str, value: date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


@pytest.mark.parametrize("worker", ["social_worker", "team_manager"])
def test_a_caseworkers_post_changes_only_the_casework_fields(
    worker, request, client, ada, team_manager
):
    Child.objects.filter(pk=ada.pk).update(team_manager=team_manager)
    before = model_to_dict(Child.objects.get(pk=ada.pk))
    client.force_login(request.getfixturevalue(worker))
    other_team = TeamFactory(name="Children in Care West")
    posted = {
        # Their own fields.
        "placement_type": "U1",
        **split_date("placement_start", date(2026, 3, 2)),
        "primary_plan": Plan.ADOPTION,
        # And everything else a hand-made post might try.
        "first_name": "Changed",
        "last_name": "Changed",
        "case_number": "999999",
        **split_date("date_of_birth", date(2020, 1, 1)),
        "team": other_team.pk,
        "social_worker": UserFactory().pk,
        "team_manager": UserFactory().pk,
        "panel": PanelFactory(slug="elsewhere").pk,
        "legal_status": "C2",
        **split_date("looked_after_since", date(2025, 1, 6)),
        **split_date("proceedings_issued", date(2025, 2, 3)),
        **split_date("final_order_date", date(2025, 7, 1)),
        **split_date("placement_order_date", date(2025, 7, 1)),
        **split_date("last_panel_date", date(2025, 12, 1)),
        **split_date("permanence_secured_date", date(2026, 1, 5)),
        "sibling_group": "S99",
        "version": Child.objects.get(pk=ada.pk).version,
    }
    response = client.post(reverse("tracker:child-update", args=[ada.pk]), posted)
    assert response.status_code == 302

    # model_to_dict reads every field a person can edit (derived dates follow from them).
    after = model_to_dict(Child.objects.get(pk=ada.pk))
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"placement_type", "placement_start", "primary_plan"}
    assert changed <= set(CASEWORK_FIELDS)
