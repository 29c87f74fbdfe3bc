"""A panel member gets their calendar link from their account, copies it, and a calendar
app reads their panel's meetings through it without signing in; they stop it, and the old
link is gone. By keyboard alone, with axe-core on every page."""

import urllib.error
import urllib.request

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.calendar import meeting_uid
from agendas.models import Panel
from permanence.roles import Role
from tests.factories import UserFactory, winter_meetings

from .keyboard import activate, sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def read_as_a_calendar_app(link: str):
    """What a calendar app gets: no cookies, no sign-in, only the link."""
    with urllib.request.urlopen(link, timeout=10) as response:  # noqa: S310 - the live server
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        return Calendar.from_ical(response.read())


def test_a_member_subscribes_to_their_panels_meetings_then_stops_the_link(
    page, assert_accessible, live_server, settings
):
    settings.SITE_URL = live_server.url  # the link the page gives points at this server
    agendas_services.panel_preset_load(slug="lancashire")
    lancashire = Panel.objects.get(slug="lancashire")
    meetings = winter_meetings(lancashire)
    member = UserFactory(roles=[Role.PANEL_MEMBER], email="mo@council.example")
    seat = lancashire.memberships.order_by("order").first()
    seat.user = member
    seat.save()
    page.context.grant_permissions(["clipboard-write"])

    sign_in_by_keyboard(page, member.email)
    activate(page, 'header a[href="/account/"]')
    expect(page.get_by_role("heading", name="Your calendar")).to_be_visible()
    assert_accessible(page)
    activate(page, 'main a[href="/account/calendar/"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("Your calendar")
    expect(page.locator(".govuk-warning-text")).to_contain_text("The link is the key")
    assert_accessible(page)

    activate(page, 'button:has-text("Get a calendar link")')
    expect(page.locator(".govuk-notification-banner")).to_contain_text("new calendar link")
    assert_accessible(page)
    activate(page, "#copy-calendar-link")
    expect(page.locator("#copy-status")).to_have_text("The link is copied.")
    # The site's Permissions-Policy lets it write to the clipboard, never read it back.
    link = page.locator("#calendar-link").input_value()
    assert link.startswith(f"{live_server.url}/calendar/")

    calendar = read_as_a_calendar_app(link)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    assert list(events) == [meeting_uid(meeting) for meeting in meetings]
    assert {str(event["summary"]) for event in events.values()} == {lancashire.name}

    # Shown once: back on the page, the link is not there, only that there is one.
    page.reload()
    expect(page.locator("#calendar-link")).to_have_count(0)
    expect(page.get_by_role("heading", name="Your link")).to_be_visible()
    assert_accessible(page)

    activate(page, 'button:has-text("Stop your calendar link")')
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is stopped")
    expect(page.locator("main")).to_contain_text("You have no calendar link.")
    assert_accessible(page)
    with pytest.raises(urllib.error.HTTPError) as gone:
        read_as_a_calendar_app(link)
    assert gone.value.code == 410
