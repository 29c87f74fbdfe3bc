import pytest
import time_machine

from agendas.models import AgendaSection, Booking, PanelMembership, RequestType
from permanence.roles import Role
from tests.days import JANUARY
from tests.factories import ChildFactory, PanelFactory


@pytest.fixture
def on_the_day():
    """Lancashire's January panel, 13 January 2027: the chair records the decisions."""
    with time_machine.travel(JANUARY, tick=False):
        yield


# My tasks: a bare Somerset panel with the model's default lead times, its people, and
# bookings put straight into whichever state each test needs.


@pytest.fixture
def people(make_user):
    def person(first, role):
        return make_user(role, first_name=first, last_name="Tester")

    return {
        "admin": person("Abe", Role.ADMINISTRATOR),
        "chair": person("Cara", Role.CHAIR),
        "deputy": person("Dee", Role.CHAIR),
        "member": person("Mo", Role.PANEL_MEMBER),
        "sam": person("Sam", Role.SOCIAL_WORKER),
        "tess": person("Tess", Role.TEAM_MANAGER),
        "kim": person("Kim", Role.SOCIAL_WORKER),
        "senior": person("Sid", Role.SENIOR_MANAGER),
    }


@pytest.fixture
def panel(people):
    panel = PanelFactory(
        slug="somerset",
        name="Somerset Permanence Panel",
        chair=people["chair"],
        deputy_chair=people["deputy"],
    )
    PanelMembership.objects.create(panel=panel, role_on_panel="Health", user=people["member"])
    return panel


@pytest.fixture
def place(panel):
    """Put a booking straight into the state a test needs (held meetings, the waiting
    list), where the booking service would rightly refuse."""
    section = AgendaSection.objects.create(panel=panel, order=1, name="Children")
    request_type = RequestType.objects.create(panel=panel, name="Matching")

    def place(meeting, *, social_worker=None, team_manager=None, child=None, **fields):
        return Booking.objects.create(
            panel=panel,
            meeting=meeting,
            section=None if meeting is None else section,
            request_type=request_type,
            child=child or ChildFactory(),
            reason="Permanence plan",
            social_worker=social_worker,
            team_manager=team_manager,
            **fields,
        )

    return place
