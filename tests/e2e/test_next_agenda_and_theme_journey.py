"""Issue 13, the rest of the meeting's work, end to end.

Knowsley: at the January panel the chair reaches Part 4 of the running order, "Agree next
agenda", sees February's children in running order, and agrees February's agenda there
with one button; Dan's social worker and team manager are each sent the confirmation,
which the administrator reads in the outbox; February's agenda says it was agreed at the
January panel.

Lancashire: 15 working days before the January panel (Friday 18 December 2026) the scan
asks the Head of Service for the month's theme; the agenda says "To be confirmed"; the
chair follows the line on My tasks to the theme page, gives the theme, and the agenda and
its PDF show it.

axe runs on every page visited; the chairs work by keyboard alone.
"""

import io
import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from agendas import services as agendas_services
from permanence import tasks
from permanence.models import Notification
from permanence.roles import Role
from tests.factories import BookingFactory, ChildFactory, PanelFactory, TeamFactory, UserFactory

from .keyboard import press, sign_in_by_keyboard, tab_to, type_into
from .test_booking_journey import sign_out
from .test_my_tasks_journey import follow_the_line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KNOWSLEY = "Knowsley Multi-Agency Permanency Panel"
BOOKED_ON = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def schedule(panel) -> list:
    with time_machine.travel(BOOKED_ON, tick=False):
        return agendas_services.meetings_schedule(
            panel=panel, start=date(2027, 1, 1), end=date(2027, 2, 28)
        ).created


def test_knowsley_chair_agrees_the_next_agenda_in_part_4(page, assert_accessible):
    chair = UserFactory(
        roles=[Role.CHAIR], email="hos@knowsley.example", first_name="Hana", last_name="Service"
    )
    knowsley = PanelFactory(preset="knowsley", chair=chair)
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@knowsley.example")
    team = TeamFactory(name="Children Looked After Team 1")
    worker = UserFactory(
        roles=[Role.SOCIAL_WORKER], email="worker@knowsley.example", first_name="Sam", team=team
    )
    manager = UserFactory(
        roles=[Role.TEAM_MANAGER], email="tm@knowsley.example", first_name="Tara", team=team
    )
    january, february = schedule(knowsley)
    assert (january.date, february.date) == (date(2027, 1, 5), date(2027, 2, 2))
    with time_machine.travel(BOOKED_ON, tick=False):
        dan = BookingFactory(
            meeting=february,
            request="Staying Put",
            child=ChildFactory(
                case_number="200451",
                first_name="Dan",
                last_name="Lovelace",
                panel=knowsley,
                team=team,
                social_worker=worker,
                team_manager=manager,
            ),
            booked_by=admin,
        )

    # At the January panel the chair works down the running order to Part 4.
    with time_machine.travel(at(january.date, 12), tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"/panels/knowsley/meetings/{january.pk}/running-order/")
        expect(
            page.get_by_role("heading", level=2, name="4. Part 4: Agree next agenda")
        ).to_be_visible()
        draft = page.locator("#next-agenda")
        expect(
            draft.get_by_role("link", name=re.compile("Tuesday 2 February 2027"))
        ).to_be_visible()
        row = draft.locator("tbody tr").filter(has_text="Dan Lovelace")
        expect(row).to_contain_text("10:15")
        expect(row).to_contain_text("Staying Put")
        expect(draft.locator("#next-agenda-status")).to_contain_text("Not agreed yet")
        assert_accessible(page)
        press(page, "Agree the next agenda")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "You agreed the agenda for Tuesday 2 February 2027."
        )
        expect(page.locator("#next-agenda-status")).to_contain_text(
            "Hana Service agreed it on Tuesday 5 January 2027"
        )
        expect(page.locator("#next-agenda-status")).to_contain_text("at this meeting")
        expect(page.get_by_role("button", name="Agree the next agenda")).to_have_count(0)
        assert_accessible(page)

        # February's agenda says where it was agreed.
        tab_to(page, f'#next-agenda a[href="/panels/knowsley/meetings/{february.pk}/agenda/"]', 120)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(f"/meetings/{february.pk}/agenda/$"))
        expect(page.locator(".govuk-summary-list").first).to_contain_text(
            "Hana Service, Tuesday 5 January 2027"
        )
        expect(page.locator(".govuk-summary-list").first).to_contain_text(
            "at the panel of Tuesday 5 January 2027"
        )
        assert_accessible(page)
        sign_out(page)
    february.refresh_from_db()
    assert (february.agenda_agreed_by, february.agenda_agreed_at_meeting) == (chair, january)

    # Dan's social worker and team manager were each sent one confirmation, naming him
    # only by initials and case number.
    subject = f"Agenda agreed: DL (200451) is on the agenda for {KNOWSLEY}, Tuesday 2 February 2027"
    confirmed = [email for email in mail.outbox if email.subject == subject]
    assert sorted(email.to[0] for email in confirmed) == [manager.email, worker.email]
    assert (
        Notification.objects.filter(kind="booking_confirmed", about=f"booking:{dan.pk}").count()
        == 2
    )

    # The administrator reads the social worker's in the outbox.
    with time_machine.travel(at(january.date, 14), tick=True):
        sign_in_by_keyboard(page, admin.email)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Outbox").click()
        rows = page.locator("main table").get_by_role("row").filter(has_text="Agenda agreed")
        expect(rows).to_have_count(2)
        expect(rows.filter(has_text=worker.email)).to_contain_text("DL (200451)")
        assert_accessible(page)
        rows.filter(has_text=worker.email).get_by_role("link").click()
        expect(page.locator(".app-email-text")).to_contain_text("Dan Lovelace (200451) is on it.")
        assert_accessible(page)


def test_lancashire_chair_gives_the_theme_from_my_tasks(page, assert_accessible):
    chair = UserFactory(
        roles=[Role.CHAIR], email="hos@lancashire.example", first_name="Hal", last_name="Head"
    )
    lancashire = PanelFactory(preset="lancashire", chair=chair)
    january = schedule(lancashire)[0]
    assert january.date == date(2027, 1, 13)

    # 15 working days before, across Christmas: the scan asks the chair, once.
    with time_machine.travel(at(date(2026, 12, 17), 9), tick=True):
        tasks.scan()
    assert not Notification.objects.filter(kind="theme_request").exists()
    with time_machine.travel(at(date(2026, 12, 18), 9), tick=True):
        tasks.scan()
        tasks.scan()
    [asked] = [email for email in mail.outbox if email.subject.startswith("Give the theme")]
    assert asked.to == [chair.email]
    assert f"/panels/lancashire/meetings/{january.pk}/theme/" in asked.body

    with time_machine.travel(at(date(2026, 12, 21)), tick=True):
        sign_in_by_keyboard(page, chair.email)
        page.goto(f"/panels/lancashire/meetings/{january.pk}/agenda/")
        expect(page.locator("#theme")).to_have_text("To be confirmed")
        assert_accessible(page)

        follow_the_line(page, assert_accessible, "Give the theme for the month")
        expect(page).to_have_url(re.compile(f"/meetings/{january.pk}/theme/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Theme for the month")
        assert_accessible(page)
        press(page, "Save the theme")  # nothing typed: refused in words
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter the theme for the month"
        )
        assert_accessible(page)
        type_into(page, "#id_theme", "Life story work")
        press(page, "Save the theme")
        expect(page).to_have_url(re.compile(f"/meetings/{january.pk}/agenda/$"))
        expect(page.locator(".govuk-notification-banner")).to_contain_text("The theme is saved")
        expect(page.locator("#theme")).to_have_text("Life story work")
        assert_accessible(page)

        pdf = page.request.get(f"/panels/lancashire/meetings/{january.pk}/agenda.pdf")
        assert pdf.ok
        pages = PdfReader(io.BytesIO(pdf.body())).pages
        text = " ".join(" ".join(part.extract_text() for part in pages).split())
        assert "Theme Life story work" in text

        page.goto("/tasks/")
        expect(page.locator("main")).not_to_contain_text("Give the theme")
        assert_accessible(page)
