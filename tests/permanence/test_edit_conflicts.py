"""Two people open the same record and both save: the second is told who saved, and what
now reads differently, and nothing of the first save is overwritten. Their own entries
stay on the page with the record's new version, so saving again is their choice.

The same under real concurrency, on PostgreSQL with threads: test_edit_conflicts_postgres.py.
"""

import re
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from agendas import services as agendas_services
from minutes import services as minutes_services
from permanence.roles import Role
from permanence.versions import EditConflict
from tests.days import JANUARY
from tracker import services as tracker_services
from tracker.codes import Plan
from tracker.forms import CASEWORK_FIELDS
from tracker.models import Child

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_on(page) -> int:
    """The version the page's form carries in its hidden field."""
    found = re.search(r'name="version" value="(\d+)"', page.content.decode())
    assert found, "the form carries its record's version"
    return int(found.group(1))


def casework(child: Child, **changes) -> dict:
    """The social worker's casework form as posted, with the child's values and changes."""
    data = {}
    for name in CASEWORK_FIELDS:
        value = changes.get(name, getattr(child, name))
        if isinstance(value, date):
            data |= {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}
        elif not hasattr(child._meta.get_field(name), "choices") or value is not None:
            data[name] = value or ""
    return data


@pytest.fixture
def ada_worked(ada, team_manager):
    Child.objects.filter(pk=ada.pk).update(team_manager=team_manager)
    ada.refresh_from_db()
    return ada


def test_the_second_save_of_a_child_is_told_and_overwrites_nothing(
    ada_worked, social_worker, team_manager
):
    ada, url = ada_worked, reverse("tracker:child-update", args=[ada_worked.pk])
    sam, tess = browser(social_worker), browser(team_manager)
    opened = version_on(sam.get(url))
    assert version_on(tess.get(url)) == opened

    saved = sam.post(url, casework(ada, placement_start=date(2026, 3, 2)) | {"version": opened})
    assert saved.status_code == 302

    refused = tess.post(url, casework(ada, primary_plan=Plan.ADOPTION) | {"version": opened})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Sam Worker saved this child&#x27;s record at" in page
    assert "Placement start now reads Monday 2 March 2026" in page
    ada.refresh_from_db()
    assert (ada.placement_start, ada.primary_plan) == (date(2026, 3, 2), "")
    # Tess's choice is still on the page, and the page now carries Sam's version.
    assert re.search(r'<option value="adoption" selected', page)
    assert version_on(refused) == opened + 1

    again = tess.post(
        url,
        casework(ada, primary_plan=Plan.ADOPTION) | {"version": version_on(refused)},
    )
    assert again.status_code == 302
    ada.refresh_from_db()
    assert (ada.placement_start, ada.primary_plan) == (date(2026, 3, 2), Plan.ADOPTION)


def test_a_save_with_the_current_version_goes_through_and_moves_it_on(ada, administrator):
    before = ada.version
    tracker_services.child_update(child=ada, version=before, sibling_group="S1")
    assert Child.objects.get(pk=ada.pk).version == before + 1
    with pytest.raises(EditConflict) as refused:
        tracker_services.child_update(child=ada, version=before, sibling_group="S2")
    assert refused.value.version == before + 1
    assert Child.objects.get(pk=ada.pk).sibling_group == "S1"


def test_an_import_between_opening_and_saving_is_noticed(ada):
    opened = Child.objects.get(pk=ada.pk).version
    tracker_services.children_bulk_write(new=[], changed=[(ada, {"sibling_group": "S9"})])
    with pytest.raises(EditConflict):
        tracker_services.child_update(child=ada, version=opened, sibling_group="S1")


def test_the_second_save_of_a_submission_is_told_and_overwrites_nothing(
    booking, social_worker, team_manager
):
    url = reverse("bookings:submission", args=[booking.pk])
    sam, tess = browser(social_worker), browser(team_manager)
    booking.child.team_manager = team_manager
    booking.child.save()
    opened = version_on(sam.get(url))
    assert version_on(tess.get(url)) == opened == 0

    assert sam.post(url, {"current_plan": "Adoption", "version": opened}).status_code == 302
    refused = tess.post(url, {"current_plan": "Long-term fostering", "version": opened})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Sam Worker saved this submission at" in page
    assert "Current plan and contingency now reads “Adoption”" in page
    assert "Long-term fostering</textarea>" in page
    booking.submission.refresh_from_db()
    assert booking.submission.current_plan == "Adoption"


def test_a_submission_saved_as_version_zero_when_one_exists_is_refused(booking, social_worker):
    agendas_services.submission_save(booking=booking, by=social_worker, version=0, ask_of_panel="A")
    with pytest.raises(EditConflict):
        agendas_services.submission_save(
            booking=booking, by=social_worker, version=0, ask_of_panel="B"
        )
    assert booking.submission.ask_of_panel == "A"


@pytest.fixture
def deputy(make_user, lancashire):
    deputy = make_user(Role.CHAIR, first_name="Dee", last_name="Deputy")
    lancashire.deputy_chair = deputy
    lancashire.save()
    return deputy


def test_two_chairs_recording_one_decision_the_second_is_told(booking, chair, deputy):
    outcome = booking.panel.outcomes.exclude(effect__in=["tracking"]).first()
    with time_machine.travel(JANUARY, tick=False):
        minutes_services.decision_record(
            booking=booking, outcome=outcome, rationale="Cara's words", recorded_by=chair, version=0
        )
        with pytest.raises(EditConflict) as refused:
            minutes_services.decision_record(
                booking=booking,
                outcome=outcome,
                rationale="Dee's words",
                recorded_by=deputy,
                version=0,
            )
    assert "Cara Chair saved this decision" in refused.value.messages[0]
    assert "Rationale now reads “Cara's words”" in refused.value.messages[0]
    booking.decision.refresh_from_db()
    assert booking.decision.rationale == "Cara's words"


def test_the_decision_page_carries_the_decision_version(booking, chair):
    outcome = booking.panel.outcomes.first()
    url = reverse("decisions:decision", args=[booking.panel.slug, booking.meeting.pk, booking.pk])
    with time_machine.travel(JANUARY, tick=False):
        assert version_on(browser(chair).get(url)) == 0
        minutes_services.decision_record(
            booking=booking, outcome=outcome, rationale="Agreed.", recorded_by=chair
        )
        assert version_on(browser(chair).get(url)) == 1
