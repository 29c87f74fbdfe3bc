"""A person's seats on panels, set from their page in People, and freed when they leave."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agendas import services
from agendas.models import Panel, PanelMembership
from agendas.selectors import seats_held
from permanence import services as permanence_services
from permanence.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def panels(db):
    for slug in ("lancashire", "north-somerset"):
        services.panel_preset_load(slug=slug)
    return Panel.objects.get(slug="lancashire"), Panel.objects.get(slug="north-somerset")


def seat(panel, role_on_panel):
    return panel.memberships.get(role_on_panel=role_on_panel)


def test_a_chair_is_seated_and_whoever_held_the_places_gives_them_up(panels, make_user):
    lancashire, north_somerset = panels
    before = make_user(Role.CHAIR, first_name="Pat", last_name="Previous")
    lancashire.chair = before
    lancashire.save()
    chair_seat = seat(lancashire, "Children's Social Care Head of Service (chair)")
    chair_seat.user = before
    chair_seat.save()

    person = make_user(Role.CHAIR, first_name="Nia", last_name="New")
    displaced = services.person_seats_set(
        person=person,
        places={
            lancashire: services.Place(chairing=services.CHAIR, seat=chair_seat),
            north_somerset: services.Place(chairing=services.DEPUTY),
        },
    )
    lancashire.refresh_from_db()
    north_somerset.refresh_from_db()
    assert lancashire.chair == person
    assert north_somerset.deputy_chair == person
    assert seat(lancashire, chair_seat.role_on_panel).user == person
    assert displaced == [
        "Pat Previous is no longer chair of the Lancashire Permanence Panel.",
        "Pat Previous no longer sits on the Lancashire Permanence Panel as "
        "Children's Social Care Head of Service (chair).",
    ]
    assert seats_held(person=person) == [
        "Chair of the Lancashire Permanence Panel",
        "Joint chair of the North Somerset Permanency Tracking Panel",
        "Children's Social Care Head of Service (chair) on the Lancashire Permanence Panel",
    ]

    # Moving from chair to deputy, and to another seat, leaves the old places empty.
    health = seat(lancashire, "Health Representative")
    services.person_seats_set(
        person=person,
        places={lancashire: services.Place(chairing=services.DEPUTY, seat=health)},
    )
    lancashire.refresh_from_db()
    assert (lancashire.chair, lancashire.deputy_chair) == (None, person)
    assert seat(lancashire, chair_seat.role_on_panel).user is None
    assert list(PanelMembership.objects.filter(user=person)) == [health]


def test_chairing_needs_the_chair_role_and_a_leaver_takes_no_seat(panels, make_user):
    lancashire, _ = panels
    member = make_user(Role.PANEL_MEMBER)
    with pytest.raises(ValidationError, match="Chair role before they chair"):
        services.person_seats_set(
            person=member, places={lancashire: services.Place(chairing=services.CHAIR)}
        )
    member.is_active = False
    member.save()
    with pytest.raises(ValidationError, match="deactivated. Reactivate them first"):
        services.person_seats_set(
            person=member,
            places={lancashire: services.Place(seat=seat(lancashire, "Health Representative"))},
        )


def test_deactivating_a_leaver_frees_every_place_they_held(panels, make_user, administrator):
    lancashire, north_somerset = panels
    leaver = make_user(Role.CHAIR)
    lancashire.chair = leaver
    lancashire.save()
    north_somerset.deputy_chair = leaver
    north_somerset.save()
    PanelMembership.objects.filter(pk=seat(lancashire, "Health Representative").pk).update(
        user=leaver
    )
    permanence_services.user_deactivate(user=leaver, by=administrator)
    lancashire.refresh_from_db()
    north_somerset.refresh_from_db()
    assert lancashire.chair is None and north_somerset.deputy_chair is None
    assert not PanelMembership.objects.filter(user=leaver).exists()


def test_the_seats_page_shows_and_sets_a_persons_places(client, panels, make_user, administrator):
    lancashire, north_somerset = panels
    person = make_user(Role.PANEL_MEMBER, first_name="Hana", last_name="Health")
    client.force_login(administrator)
    url = reverse("seats:person", args=[person.pk])
    page = client.get(url).content.decode()
    assert "Lancashire Permanence Panel" in page and "Second joint chair" in page
    health = seat(lancashire, "Health Representative")
    response = client.post(
        url,
        {
            f"chairing_{lancashire.pk}": "",
            f"seat_{lancashire.pk}": health.pk,
            f"chairing_{north_somerset.pk}": "",
            f"seat_{north_somerset.pk}": "",
        },
    )
    assert response.url == reverse("person", args=[person.pk])
    assert seat(lancashire, "Health Representative").user == person
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Health Representative on the Lancashire Permanence Panel" in page
    # The deactivation page warns which seats will be freed.
    page = client.get(reverse("person-deactivate", args=[person.pk])).content.decode()
    assert "These seats will become free" in page
    assert "Health Representative on the Lancashire Permanence Panel" in page


def test_making_a_panel_member_chair_on_the_page_is_refused_with_the_reason(
    client, panels, make_user, administrator
):
    lancashire, north_somerset = panels
    person = make_user(Role.PANEL_MEMBER)
    client.force_login(administrator)
    page = client.post(
        reverse("seats:person", args=[person.pk]),
        {f"chairing_{lancashire.pk}": "chair", f"seat_{lancashire.pk}": ""},
    ).content.decode()
    assert "There is a problem" in page and "Chair role before they chair" in page
    lancashire.refresh_from_db()
    assert lancashire.chair is None


def test_someone_without_a_seat_is_told_which_panel_and_who_to_ask(client, panels, make_user):
    lancashire, _ = panels
    make_user(
        Role.ADMINISTRATOR, first_name="Alex", last_name="Admin", email="alex@council.example"
    )
    meeting = services.meetings_schedule(
        panel=lancashire, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    client.force_login(make_user(Role.SOCIAL_WORKER))
    response = client.get(reverse("agendas:meeting", args=["lancashire", meeting.pk]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "You don&#x27;t sit on the Lancashire Permanence Panel" in page
    assert "Ask a panel administrator" in page
    assert "Alex Admin" in page and 'href="mailto:alex@council.example"' in page
    assert "OFFICIAL-SENSITIVE" in page  # the service's own layout, not a bare page
    # A meeting that does not exist is still "Page not found", in the same layout.
    response = client.get(reverse("agendas:meeting", args=["lancashire", meeting.pk + 99]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
