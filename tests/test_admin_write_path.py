"""Django's admin writes through the services, as the pages do (issue 12: one write path).

Each test posts to the real admin pages as a superuser and looks for what only the service
does: derived dates recomputed, slots moved, seats freed, a refusal in words.
"""

from datetime import date, time
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from agendas import services as agendas_services
from agendas.models import DocumentRequirement, Meeting, Panel, PanelMembership
from permanence.models import ClosureDay, Notification, Team, User
from permanence.roles import Role
from tests.factories import TeamFactory, UserFactory
from tracker import services as tracker_services
from tracker.models import Child

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def admin(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def lancashire():
    call_command("load_panel_presets", "lancashire", stdout=StringIO())
    return Panel.objects.get(slug="lancashire")


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def _posted(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return "" if value is None else str(value)


def as_posted(admin, url: str, **changes) -> dict:
    """What the admin page at `url` posts back unchanged, with `changes` made to it."""
    page = admin.get(url)
    assert page.status_code == 200
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = _posted(field.value())
            if value is not None:
                data[field.html_name] = value
    for name, value in changes.items():
        value = _posted(value)
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def errors_shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# The tracker -------------------------------------------------------------------------------


def test_a_child_changed_in_the_admin_has_their_dates_recomputed(admin, superuser):
    child = tracker_services.child_create(
        case_number="CN1", first_name="Ada", last_name="Test", looked_after_since=date(2026, 1, 5)
    )
    assert child.next_review_due == date(2026, 2, 2)

    response = admin.post(
        change_url(child), as_posted(admin, change_url(child), looked_after_since="2026-03-02")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    child.refresh_from_db()
    assert child.looked_after_since == date(2026, 3, 2)
    # Twenty working days after 2 March 2026, as the first looked-after review is due.
    assert child.next_review_due == date(2026, 3, 30)
    assert child.history.first().history_user == superuser


def test_a_child_added_in_the_admin_is_given_their_dates(admin):
    response = admin.post(
        add_url(Child),
        {
            "case_number": "CN2",
            "first_name": "Bea",
            "last_name": "Test",
            "proceedings_issued": "2026-01-05",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    # The last day of the 26 weeks that begin on the day of issue.
    assert Child.objects.get(case_number="CN2").proceedings_deadline == date(2026, 7, 5)


def test_a_child_is_not_deleted_in_the_admin(admin):
    child = tracker_services.child_create(case_number="CN3", first_name="Cy", last_name="Test")

    response = admin.post(reverse("admin:tracker_child_delete", args=[child.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Child.objects.filter(pk=child.pk).exists()


# Panels and meetings -----------------------------------------------------------------------


def test_a_panel_limit_changed_in_the_admin_recomputes_its_children(
    admin, lancashire, django_capture_on_commit_callbacks
):
    child = tracker_services.child_create(
        case_number="CN4",
        first_name="Dee",
        last_name="Test",
        panel=lancashire,
        placement_order_date=date(2026, 6, 1),
    )
    assert child.placement_order_match_due == date(2026, 12, 1)

    url = change_url(lancashire)
    with django_capture_on_commit_callbacks(execute=True):  # the recompute job
        response = admin.post(url, as_posted(admin, url, placement_order_match_limit_months=3))

    assert response.status_code == 302, response.context["adminform"].form.errors
    child.refresh_from_db()
    assert child.placement_order_match_due == date(2026, 9, 1)


def test_a_panel_day_too_short_for_its_agenda_is_refused_and_nothing_is_saved(admin):
    call_command("load_panel_presets", "somerset", stdout=StringIO())
    somerset = Panel.objects.get(slug="somerset")
    finish = max(row.ends_at for row in somerset.timetable())
    too_soon = time(finish.hour - 1, finish.minute)
    url = change_url(somerset)
    data = as_posted(admin, url, name="Renamed in the admin", end_time=f"{too_soon:%H:%M}")

    response = admin.post(url, data)

    assert response.status_code == 302
    assert response.url == url
    assert errors_shown(response) == [
        f"The agenda runs until {finish:%H:%M}, after the panel ends at {too_soon:%H:%M}. "
        "Shorten a section or make the day longer."
    ]
    somerset.refresh_from_db()
    assert somerset.name != "Renamed in the admin"


def test_a_seat_added_in_the_admin_goes_through_the_panel_services(admin, lancashire):
    url = change_url(lancashire)
    seats = lancashire.memberships.count()
    member = UserFactory()
    data = as_posted(
        admin,
        url,
        **{
            "memberships-TOTAL_FORMS": seats + 1,
            f"memberships-{seats}-role_on_panel": "Virtual school head",
            f"memberships-{seats}-user": member.pk,
            f"memberships-{seats}-attendance": "core",
            f"memberships-{seats}-order": 99,
        },
    )

    response = admin.post(url, data)

    assert response.status_code == 302
    assert PanelMembership.objects.get(panel=lancashire, user=member).role_on_panel == (
        "Virtual school head"
    )


def test_a_meeting_re_timed_in_the_admin_moves_its_slots(admin, lancashire):
    chair = UserFactory(roles=[Role.CHAIR])
    agendas_services.panel_update(panel=lancashire, chair=chair)
    meeting = agendas_services.meetings_schedule(
        panel=lancashire, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    first_slot = meeting.slots.filter(starts_at__isnull=False).order_by("starts_at").first()
    url = change_url(meeting)
    moved_on = (
        meeting.starts_at.hour * 60 + meeting.starts_at.minute + 30,
        meeting.ends_at.hour * 60 + meeting.ends_at.minute + 30,
    )

    response = admin.post(
        url,
        as_posted(
            admin,
            url,
            starts_at=f"{moved_on[0] // 60:02}:{moved_on[0] % 60:02}",
            ends_at=f"{moved_on[1] // 60:02}:{moved_on[1] % 60:02}",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    first_slot.refresh_from_db()
    start = first_slot.starts_at.hour * 60 + first_slot.starts_at.minute
    assert start == moved_on[0]
    # The chair is told the new time, as when it is re-timed on the meeting's page.
    assert Notification.objects.filter(kind="meeting_changed", recipient=chair).exists()


def test_a_meeting_moved_onto_a_bank_holiday_in_the_admin_is_refused(admin, lancashire):
    meeting = agendas_services.meetings_schedule(
        panel=lancashire, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    url = change_url(meeting)

    response = admin.post(url, as_posted(admin, url, date="2027-05-03"))

    assert response.url == url
    assert errors_shown(response) == [
        "Monday 3 May 2027 is a bank holiday (May Day). Choose a working day."
    ]
    assert Meeting.objects.get(pk=meeting.pk).date == date(2027, 1, 13)


def test_meetings_are_neither_added_nor_deleted_in_the_admin(admin, lancashire):
    meeting = agendas_services.meetings_schedule(
        panel=lancashire, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]

    assert admin.get(add_url(Meeting)).status_code == 403
    assert admin.post(reverse("admin:agendas_meeting_delete", args=[meeting.pk])).status_code == (
        403
    )


def test_a_document_added_to_a_request_type_in_the_admin_belongs_to_its_panel(admin, lancashire):
    request_type = lancashire.request_types.first()
    url = change_url(request_type)
    documents = request_type.document_requirements.count()
    data = as_posted(
        admin,
        url,
        **{
            "document_requirements-TOTAL_FORMS": documents + 1,
            f"document_requirements-{documents}-name": "Life story book",
            f"document_requirements-{documents}-required": True,
            f"document_requirements-{documents}-order": 50,
        },
    )

    response = admin.post(url, data)

    assert response.status_code == 302
    document = DocumentRequirement.objects.get(name="Life story book")
    assert (document.panel, document.request_type) == (lancashire, request_type)


# People, teams and closure days ----------------------------------------------------------


def test_a_person_deactivated_in_the_admin_gives_up_their_seats(admin, lancashire):
    member = UserFactory(roles=[Role.PANEL_MEMBER])
    seat = lancashire.memberships.first()
    agendas_services.panel_membership_update(membership=seat, user=member)
    url = change_url(member)

    response = admin.post(url, as_posted(admin, url, is_active=False))

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert not member.is_active
    seat.refresh_from_db()
    assert seat.user is None


def test_an_administrator_cannot_take_away_their_own_role_in_the_admin(client):
    administrator = UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True)
    client.force_login(administrator)
    url = change_url(administrator)

    response = client.post(url, as_posted(client, url, groups=[]))

    assert errors_shown(response) == [
        "You can't remove your own Panel administrator role. Ask another administrator to do it."
    ]
    assert Role.ADMINISTRATOR in User.objects.get(pk=administrator.pk).roles


def test_a_person_added_in_the_admin_without_a_password_is_invited(admin):
    response = admin.post(
        add_url(User), {"email": "New.Officer@Council.example", "usable_password": "false"}
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    person = User.objects.get(email="new.officer@council.example")
    assert not person.has_usable_password()
    assert Notification.objects.filter(kind=Notification.ACCOUNT_CREATED, recipient=person)


def test_people_are_not_deleted_in_the_admin(admin):
    person = UserFactory()

    response = admin.post(reverse("admin:permanence_user_delete", args=[person.pk]))

    assert response.status_code == 403


def test_a_team_cannot_be_renamed_to_another_teams_name_in_the_admin(admin):
    TeamFactory(name="Adoption Team")
    team = TeamFactory(name="Fostering Team")

    response = admin.post(change_url(team), {"name": "adoption team"})

    assert errors_shown(response) == ["There is already a team called adoption team."]
    assert Team.objects.get(pk=team.pk).name == "Fostering Team"


def test_a_team_with_people_in_it_is_not_deleted_in_bulk(admin):
    team = TeamFactory(name="Adoption Team")
    empty = TeamFactory(name="Misspelt Team")
    UserFactory(team=team)

    admin.post(
        reverse("admin:permanence_team_changelist"),
        {"action": "delete_selected", "_selected_action": [team.pk, empty.pk], "post": "yes"},
    )

    # All or nothing: the empty team stays too.
    assert set(Team.objects.values_list("name", flat=True)) == {"Adoption Team", "Misspelt Team"}


def test_a_closure_day_on_a_weekend_is_refused_in_the_admin(admin):
    response = admin.post(
        add_url(ClosureDay), {"date": "2027-01-09", "description": "Staff training day"}
    )

    assert errors_shown(response) == ["Saturday 9 January 2027 is a weekend day already."]
    assert not ClosureDay.objects.exists()


def test_a_closure_day_added_in_the_admin_moves_a_childs_review(
    admin, django_capture_on_commit_callbacks
):
    child = tracker_services.child_create(
        case_number="CN5", first_name="Eve", last_name="Test", looked_after_since=date(2026, 1, 5)
    )

    with django_capture_on_commit_callbacks(execute=True):  # the recompute job
        response = admin.post(
            add_url(ClosureDay), {"date": "2026-01-12", "description": "Staff training day"}
        )

    assert response.status_code == 302
    child.refresh_from_db()
    assert child.next_review_due == date(2026, 2, 3)


def test_a_closure_day_is_removed_in_the_admin_not_changed(admin):
    day = ClosureDay.objects.create(date=date(2027, 1, 11), description="Staff training day")

    assert admin.post(change_url(day), {"date": "2027-01-12"}).status_code == 403
    response = admin.post(reverse("admin:permanence_closureday_delete", args=[day.pk]), {"post": 1})

    assert response.status_code == 302
    assert not ClosureDay.objects.exists()
