"""Issue 13, intake (North Somerset 3.2-3.3): a team manager refers a child who has just
become looked after; the administrator is emailed once, sees the referral on My tasks with
its deadline 3 working days on, accepts it within them onto the tracker, and books the
child into the next available panel. Then Lancashire's new children looked after: the
administrator books a child into agenda item 2 with one click. axe runs on every page;
everything is done by keyboard."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.models import BookingStatus, Panel
from permanence.models import Notification
from permanence.roles import Role
from tests.factories import TeamFactory, UserFactory
from tracker import services as tracker_services
from tracker.flags import with_flags
from tracker.models import Child, Referral, ReferralStatus

from .keyboard import activate, choose, press, sign_in_by_keyboard, type_date, type_into
from .test_my_tasks_journey import follow_the_line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEDULED_ON = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
# Looked after on Friday 8 January 2027; referred on Monday 11th, so due by Thursday 14th.
LOOKED_AFTER = date(2027, 1, 8)
SENT_ON = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
ACCEPTED_ON = datetime(2027, 1, 13, 10, 0, tzinfo=UTC)


@pytest.fixture
def person(browser, live_server):
    contexts = []

    def open_as(user):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        sign_in_by_keyboard(page, user.email)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_a_team_managers_referral_is_accepted_and_booked_at_the_next_panel(
    person, assert_accessible
):
    agendas_services.panel_preset_load(slug="north-somerset")
    panel = Panel.objects.get(slug="north-somerset")
    with time_machine.travel(SCHEDULED_ON, tick=False):
        # Third Tuesdays: 19 January and 16 February 2027.
        january, _ = agendas_services.meetings_schedule(
            panel=panel, start=date(2027, 1, 1), end=date(2027, 2, 28)
        ).created
    team = TeamFactory(name="Children in Care")
    tess = UserFactory(
        roles=[Role.TEAM_MANAGER], email="tess@council.example", first_name="Tess", team=team
    )
    admin = UserFactory(
        roles=[Role.ADMINISTRATOR], email="ptp.admin@council.example", first_name="Bea"
    )

    with time_machine.travel(SENT_ON, tick=True):
        page = person(tess)
        activate(page, '.govuk-service-navigation a:text-is("My referrals")')
        expect(page.get_by_role("heading", level=1)).to_have_text("My referrals")
        assert_accessible(page)
        activate(page, 'a:text-is("Send a referral")')
        expect(page.get_by_role("heading", level=1)).to_have_text("Send a referral")
        assert_accessible(page)
        type_into(page, "#id_case_number", "NS7001")
        type_into(page, "#id_first_name", "Robin")
        type_into(page, "#id_last_name", "Fairweather")
        type_date(page, "date_of_birth", date(2022, 5, 3))
        choose(page, "Became looked after", group="kind")
        type_date(page, "happened_on", LOOKED_AFTER)
        type_into(page, "#id_note", "Accommodated under section 20; placed with foster carers.")
        press(page, "Send referral")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Your referral is sent")
        expect(page.locator("main")).to_contain_text("Thursday 14 January 2027")
        assert_accessible(page)

    referral = Referral.objects.get()
    [email] = Notification.objects.filter(kind="referral_sent")
    assert (email.recipient, email.subject) == (
        admin,
        "Referral: RF (NS7001), became looked after",
    )

    with time_machine.travel(ACCEPTED_ON, tick=True):
        page = person(admin)
        page.goto("/tasks/")
        line = page.locator("#tasks tr").filter(has_text="Robin Fairweather, case number NS7001")
        expect(line).to_contain_text("Thursday 14 January 2027")
        expect(line).to_contain_text("Due soon")
        follow_the_line(page, assert_accessible, "Check the referred child onto the tracker")
        expect(page).to_have_url(re.compile(f"/referrals/{referral.pk}/$"))
        expect(page.locator("main")).to_contain_text("No child on the tracker has case number")
        assert_accessible(page)
        activate(page, 'a:text-is("Accept")')
        expect(page.get_by_role("heading", level=1)).to_have_text("Accept the referral")
        assert_accessible(page)
        choose(page, "North Somerset Permanency Tracking Panel", group="panel")
        press(page, "Accept and add to the tracker")

        # The booking page, as it offers any child the next available panel.
        expect(page).to_have_url(re.compile(r"/bookings/new/\d+/$"))
        child = Child.objects.get(case_number="NS7001")
        assert page.url.endswith(f"/bookings/new/{child.pk}/")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("is on the tracker")
        assert_accessible(page)
        request_type = panel.request_types.get(name="New to PLO or care")
        expect(page.locator("#id_request_type")).to_have_value(str(request_type.pk))
        press(page, "Continue")
        expect(page.locator("#id_place")).to_have_value(f"{january.pk}:")
        assert_accessible(page)
        type_into(page, "#id_reason", "New to care: presented at the next available panel.")
        press(page, "Book")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("is booked")
        assert_accessible(page)

    referral.refresh_from_db()
    assert (referral.status, referral.child) == (ReferralStatus.ACCEPTED, child)
    assert child.looked_after_since == LOOKED_AFTER and child.team_manager == tess
    assert child.history.get().history_change_reason.startswith(f"Referral {referral.pk}:")
    booking = child.bookings.get()
    assert (booking.meeting, booking.status) == (january, BookingStatus.BOOKED)
    # Booked for the next panel, so not flagged as missing it once it has met.
    flagged = with_flags(Child.objects.filter(pk=child.pk), date(2027, 1, 20)).get()
    assert not flagged.flag_not_presented_at_next_panel


def test_lancashire_books_a_new_child_looked_after_with_one_click(person, assert_accessible):
    agendas_services.panel_preset_load(slug="lancashire")
    panel = Panel.objects.get(slug="lancashire")
    with time_machine.travel(SCHEDULED_ON, tick=False):
        january, _, _ = agendas_services.meetings_schedule(
            panel=panel, start=date(2027, 1, 1), end=date(2027, 3, 31)
        ).created
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="case.support@council.example")
    # Looked after on 2 November 2026: second review due by 28 February 2027.
    child = tracker_services.child_create(
        case_number="LA4001",
        first_name="Ada",
        last_name="Lovelace",
        panel=panel,
        looked_after_since=date(2026, 11, 2),
    )

    with time_machine.travel(SCHEDULED_ON, tick=True):
        page = person(admin)
        activate(page, '.govuk-service-navigation a:text-is("New to care")')
        expect(page.get_by_role("heading", level=1)).to_have_text("New children looked after")
        row = page.locator("tbody tr").filter(has_text="Ada Lovelace")
        expect(row).to_contain_text("Sunday 28 February 2027")
        assert_accessible(page)
        activate(page, f'form[action="/new-children-looked-after/{child.pk}/book/"] button')
        expect(page.locator(".govuk-notification-banner")).to_contain_text("is booked")
        expect(row).to_contain_text("Booked for Wednesday 13 January 2027")
        assert_accessible(page)

    booking = child.bookings.get()
    assert (booking.meeting, booking.request_type.name, booking.section.name) == (
        january,
        "New to care",
        "New Children Looked After",
    )
