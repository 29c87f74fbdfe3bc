"""An administrator adds a person, gives them a seat and deactivates a leaver, by keyboard
alone, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.models import Panel, PanelMembership
from permanence.models import Notification, User
from permanence.roles import Role
from tests.factories import TeamFactory, UserFactory

from .keyboard import activate, sign_in_by_keyboard, tab_to, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_adds_a_person_seats_them_and_deactivates_a_leaver(
    page, assert_accessible
):
    agendas_services.panel_preset_load(slug="lancashire")
    lancashire = Panel.objects.get(slug="lancashire")
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    TeamFactory(name="Children in Care North")
    leaver = UserFactory(
        roles=[Role.PANEL_MEMBER], first_name="Lee", last_name="Leaver", email="lee@council.example"
    )
    PanelMembership.objects.filter(panel=lancashire, role_on_panel="Fostering Manager").update(
        user=leaver
    )

    sign_in_by_keyboard(page, admin.email)
    activate(page, 'nav[aria-label="Menu"] a[href="/people/"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)

    # Add a person.
    activate(page, 'a[href="/people/add/"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")
    assert_accessible(page)
    activate(page, "#submit-id-submit")  # nothing filled in: one error summary
    expect(page.locator(".govuk-error-summary")).to_have_count(1)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter")
    assert_accessible(page)
    type_into(page, "#id_first_name", "Hana")
    type_into(page, "#id_last_name", "Health")
    type_into(page, "#id_email", "hana.health@council.example")
    type_into(page, "#id_job_title", "Designated Nurse")
    activate(page, f'input[name="roles"][value="{Role.PANEL_MEMBER.value}"]', key="Space")
    activate(page, "#submit-id-submit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hana Health")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("emailed a link")
    assert_accessible(page)
    hana = User.objects.get(email="hana.health@council.example")
    assert hana.roles == {Role.PANEL_MEMBER}
    assert Notification.objects.filter(recipient=hana, kind="account_created").exists()

    # Give her the Health Representative's seat on Lancashire.
    activate(page, f'a[href="/people/{hana.pk}/seats/"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel seats")
    assert_accessible(page)
    tab_to(page, f"#id_seat_{lancashire.pk}", limit=80)
    page.keyboard.type("Health Representative")
    expect(page.locator(f"#id_seat_{lancashire.pk} option:checked")).to_contain_text(
        "Health Representative"
    )
    activate(page, "#submit-id-submit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hana Health")
    expect(page.locator("main")).to_contain_text(
        "Health Representative on the Lancashire Permanence Panel"
    )
    assert_accessible(page)
    assert (
        PanelMembership.objects.get(panel=lancashire, role_on_panel="Health Representative").user
        == hana
    )

    # Deactivate a leaver, found by searching the list.
    activate(page, 'nav[aria-label="Menu"] a[href="/people/"]')
    type_into(page, "#id_q", "leaver")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/people/\?q=leaver"))
    activate(page, f'a[href="/people/{leaver.pk}/"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("Lee Leaver")
    activate(page, f'a[href="/people/{leaver.pk}/deactivate/"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Lee Leaver?")
    expect(page.locator("main")).to_contain_text("Fostering Manager on the Lancashire")
    assert_accessible(page)
    activate(page, "form button.govuk-button--warning")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Lee Leaver is deactivated")
    expect(page.get_by_role("button", name="Reactivate Lee Leaver")).to_be_visible()
    assert_accessible(page)
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not PanelMembership.objects.filter(user=leaver).exists()
