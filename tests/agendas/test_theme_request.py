"""Lancashire's agenda item 5, Thematic selection: "The HoS will identify a specific theme to
be presented to Panel … Business Support will request details of the theme in advance from
the HoS". The panel asks the chair a set number of working days before each meeting
(Lancashire: 15); until the theme is given, the agenda says "Theme: To be confirmed".

Counted by hand for the panel on Wednesday 13 January 2027, across Christmas (25 and 28
December and 1 January are bank holidays):
- asked 15 working days before: Friday 18 December 2026 (12, 11, 8, 7, 6, 5, 4 January;
  31, 30, 29, 24, 23, 22, 21, 18 December)
- due by the day the agenda is agreed, 5 working days before: Wednesday 6 January 2027
- asked 10 working days before instead: Tuesday 29 December 2026, the first working day
  after the Christmas bank holidays; the working day before it is Thursday 24 December.
"""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from agendas import selectors, services
from agendas.forms import PanelForm
from agendas.models import Panel
from permanence.models import ClosureDay, Notification
from permanence.roles import Role
from permanence.tasks import scan
from permanence.workdays import calendar
from tests.days import JANUARY, LONDON

from .test_pdfs import text_of
from .test_views import panel_form_data

pytestmark = pytest.mark.django_db

ASKED_ON = date(2026, 12, 18)
DUE = date(2027, 1, 6)
ASKED_AFTER_CHRISTMAS = date(2026, 12, 29)


def at(day: date, hour: int = 8):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)


def scan_on(day: date) -> None:
    with at(day):
        scan.apply()


def requests() -> list[tuple]:
    return list(
        Notification.objects.filter(kind="theme_request")
        .order_by("pk")
        .values_list("recipient__first_name", "about", "due_on")
    )


@pytest.fixture
def deputy(make_user):
    return make_user(Role.CHAIR, first_name="Dev", last_name="Deputy", email="dev@council.example")


@pytest.fixture
def panel(lancashire, deputy):
    services.panel_update(panel=lancashire, deputy_chair=deputy)
    return lancashire


def test_lancashire_asks_15_working_days_before_and_no_other_seed_panel_asks():
    asking = Panel.objects.filter(theme_request_days__isnull=False)
    assert [(p.slug, p.theme_request_days) for p in asking] == [("lancashire", -15)]


def test_the_hand_counted_dates_are_the_calendars(panel, meeting):
    assert selectors.theme_request(meeting, calendar()) == selectors.ThemeRequest(ASKED_ON, DUE)
    services.panel_update(panel=panel, theme_request_days=-10)
    meeting.refresh_from_db()
    assert selectors.theme_request(meeting, calendar()).asked_on == ASKED_AFTER_CHRISTMAS


# The email, through the periodic scan -------------------------------------------------------


def test_the_chair_and_deputy_are_asked_on_the_day_and_once(panel, meeting, settings):
    scan_on(date(2026, 12, 17))  # the day before
    assert requests() == []

    scan_on(ASKED_ON)
    scan_on(ASKED_ON)  # the scan runs every quarter of an hour
    about = f"meeting:{meeting.pk}"
    assert requests() == [("Cara", about, ASKED_ON), ("Dev", about, ASKED_ON)]

    scan_on(date(2026, 12, 21))  # the working day after
    assert len(requests()) == 2

    email = next(email for email in mail.outbox if email.to == ["cara@council.example"])
    assert email.subject == (
        "Give the theme by Wednesday 6 January 2027: Lancashire Permanence Panel, "
        "Wednesday 13 January 2027"
    )
    assert "Please give the theme for the month for Lancashire Permanence Panel on " in email.body
    assert "Wednesday 13 January 2027 by Wednesday 6 January 2027" in email.body
    assert f"{settings.SITE_URL}/panels/lancashire/meetings/{meeting.pk}/theme/" in email.body


def test_a_day_the_scan_missed_still_asks_once(panel, meeting):
    scan_on(date(2026, 12, 21))
    scan_on(date(2026, 12, 22))
    assert [due_on for _, _, due_on in requests()] == [ASKED_ON, ASKED_ON]


def test_across_the_christmas_bank_holidays_the_chair_is_asked_on_the_first_working_day(
    panel, meeting
):
    services.panel_update(panel=panel, theme_request_days=-10)
    for day in (date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 28)):
        scan_on(day)  # the working day before, Christmas Day, the Boxing Day bank holiday
    assert requests() == []
    scan_on(ASKED_AFTER_CHRISTMAS)
    scan_on(date(2026, 12, 30))
    assert [due_on for _, _, due_on in requests()] == [ASKED_AFTER_CHRISTMAS] * 2


def test_a_closure_day_before_the_meeting_asks_a_working_day_sooner(panel, meeting):
    ClosureDay.objects.create(date=date(2027, 1, 4), description="Council closure")
    scan_on(date(2026, 12, 17))
    assert [due_on for _, _, due_on in requests()] == [date(2026, 12, 17)] * 2


def test_a_theme_already_given_is_not_asked_for(panel, meeting):
    services.meeting_update(meeting=meeting, theme="Life story work")
    scan_on(ASKED_ON)
    assert requests() == []


def test_a_panel_that_asks_for_no_theme_asks_nothing(panel, meeting):
    services.panel_update(panel=panel, theme_request_days=None)
    scan_on(ASKED_ON)
    assert requests() == []


def test_without_a_thematic_item_the_setting_is_cleared_and_nothing_is_asked(panel, meeting):
    services.panel_update(panel=panel, has_thematic_item=False)
    panel.refresh_from_db()
    assert panel.theme_request_days is None
    scan_on(ASKED_ON)
    assert requests() == []


def test_the_subject_names_no_child(panel, meeting, book, ada):
    book(meeting, ada)
    scan_on(ASKED_ON)
    for notification in Notification.objects.filter(kind="theme_request"):
        assert "Ada" not in notification.subject and "Lovelace" not in notification.subject


# The panel setting -------------------------------------------------------------------------


def test_the_panel_form_shows_working_days_before_and_stores_them_signed(
    administrator_client, panel
):
    assert PanelForm(instance=panel).initial["theme_request_days"] == 15
    url = reverse("agendas:panel-change", args=["lancashire"])
    response = administrator_client.post(url, panel_form_data(panel, theme_request_days="12"))
    assert response.status_code == 302
    panel.refresh_from_db()
    assert panel.theme_request_days == -12
    data = panel_form_data(panel)
    del data["theme_request_days"]  # left empty: never asked
    administrator_client.post(url, data)
    panel.refresh_from_db()
    assert panel.theme_request_days is None


def test_the_panel_form_refuses_asking_on_the_day(administrator_client, panel):
    url = reverse("agendas:panel-change", args=["lancashire"])
    response = administrator_client.post(url, panel_form_data(panel, theme_request_days="0"))
    assert response.status_code == 200
    assert "theme_request_days" in response.context["form"].errors


# The theme page, and "To be confirmed" until it is given ----------------------------------


def theme_url(meeting) -> str:
    return reverse("agendas:meeting-theme", args=[meeting.panel.slug, meeting.pk])


def squeezed(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_agenda_and_meeting_pages_say_to_be_confirmed_with_a_link_for_the_chair(
    client, chair, panel, meeting
):
    client.force_login(chair)
    agenda = squeezed(client.get(reverse("agendas:agenda", args=["lancashire", meeting.pk])))
    assert '<dd class="govuk-summary-list__value" id="theme">To be confirmed</dd>' in agenda
    assert f'href="{theme_url(meeting)}">Give the theme' in agenda
    page = squeezed(client.get(reverse("agendas:meeting", args=["lancashire", meeting.pk])))
    assert '<dd class="govuk-summary-list__value" id="theme">To be confirmed</dd>' in page


def test_the_chair_gives_the_theme_and_the_agenda_shows_it(client, chair, panel, meeting):
    client.force_login(chair)
    page = client.get(theme_url(meeting))
    assert page.status_code == 200
    assert "What is the theme for this month" in page.content.decode()
    response = client.post(theme_url(meeting), {"theme": " Life story work "})
    assert response.status_code == 302
    assert response.url == reverse("agendas:agenda", args=["lancashire", meeting.pk])
    meeting.refresh_from_db()
    assert meeting.theme == "Life story work"
    agenda = squeezed(client.get(response.url))
    assert '<dd class="govuk-summary-list__value" id="theme">Life story work</dd>' in agenda
    assert "The theme is saved. The agenda shows it." in agenda
    assert "Theme Life story work" in text_of(
        client.get(reverse("agendas:agenda-pdf", args=["lancashire", meeting.pk])).content
    )


def test_no_theme_is_refused_in_words(client, chair, panel, meeting):
    client.force_login(chair)
    response = client.post(theme_url(meeting), {"theme": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"theme": ["Enter the theme for the month"]}


def test_the_deputy_and_administrators_may_give_it_and_a_member_may_not(
    client, deputy, administrator, make_user, panel, meeting
):
    member = make_user(Role.PANEL_MEMBER)
    services.panel_membership_create(panel=panel, role_on_panel="Health", user=member)
    for person, status in ((deputy, 200), (administrator, 200), (member, 403)):
        client.force_login(person)
        assert client.get(theme_url(meeting)).status_code == status, person


def test_a_panel_without_a_thematic_item_has_no_theme_to_give(client, chair, somerset):
    with time_machine.travel(JANUARY, tick=False):
        meeting = services.meetings_schedule(
            panel=somerset, start=date(2027, 1, 1), end=date(2027, 1, 31)
        ).created[0]
        client.force_login(chair)
        assert client.get(theme_url(meeting)).status_code == 403
        agenda = client.get(reverse("agendas:agenda", args=["somerset", meeting.pk]))
    assert 'id="theme"' not in agenda.content.decode()
