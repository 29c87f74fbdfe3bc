"""An administrator works through the panel pages; every page, and a form with errors,
passes axe-core."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from agendas.models import AgendaSection
from permanence.roles import Role
from tests.factories import UserFactory

from .keyboard import sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_panel_page_is_accessible(page, assert_accessible, live_server):
    call_command("load_panel_presets", stdout=StringIO())
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    section = AgendaSection.objects.filter(panel__slug="knowsley").first()
    sign_in_by_keyboard(page, admin.email)
    for url in [
        reverse("agendas:panel-list"),
        reverse("agendas:panel-detail", args=["knowsley"]),
        reverse("agendas:panel-detail", args=["lancashire"]),
        reverse("agendas:panel-change", args=["knowsley"]),
        reverse("agendas:section-add", args=["knowsley"]),
        reverse("agendas:section-change", args=["knowsley", section.pk]),
        reverse("agendas:section-remove", args=["knowsley", section.pk]),
        reverse("agendas:break-add", args=["knowsley"]),
        reverse("agendas:request-type-add", args=["knowsley"]),
        reverse("agendas:document-add", args=["knowsley"]),
        reverse("agendas:member-add", args=["knowsley"]),
    ]:
        page.goto(url)
        expect(page).to_have_url(live_server.url + url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)

    page.goto(reverse("agendas:panel-change", args=["knowsley"]))
    page.fill("#id_end_time", "08:00")
    page.click("#submit-id-submit")
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    assert_accessible(page)
