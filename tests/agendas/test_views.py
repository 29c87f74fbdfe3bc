from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from agendas.forms import PanelForm
from agendas.models import AgendaSection, DocumentRequirement, PanelMembership
from permanence.roles import Role

pytestmark = pytest.mark.django_db


def panel_form_data(panel, **changes) -> dict:
    """What the browser would post back for the panel's settings form, with changes."""
    form = PanelForm(instance=panel)
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is True:
            data[name] = "on"
        elif value is None or value is False:
            continue
        elif isinstance(value, time):
            data[name] = f"{value:%H:%M}"
        else:
            data[name] = str(value)
    return data | changes


def test_signed_out_people_are_sent_to_sign_in(client, somerset):
    for url in (
        reverse("agendas:panel-list"),
        reverse("agendas:panel-detail", args=["somerset"]),
        reverse("agendas:panel-change", args=["somerset"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_a_social_worker_sees_the_panels(social_worker_client, somerset):
    page = social_worker_client.get(reverse("agendas:panel-list")).content.decode()
    assert "Somerset Permanence Panel" in page
    assert "Fortnightly, on Thursdays" in page
    assert "County Hall, Taunton" in page


def test_the_panel_page_shows_deadlines_in_words_with_their_dates(
    client, make_user, somerset, time_machine
):
    time_machine.move_to(datetime(2026, 12, 18, 9, tzinfo=ZoneInfo("Europe/London")))
    client.force_login(make_user(Role.SOCIAL_WORKER))
    response = client.get(reverse("agendas:panel-detail", args=["somerset"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert [d for d in response.context["next_meetings"]] == [
        date(2026, 12, 31),
        date(2027, 1, 14),
        date(2027, 1, 28),
    ]
    deadlines = {d["field"]: d for d in response.context["deadlines"]}
    assert deadlines["submission_due_days"]["in_words"] == "10 working days before"
    assert deadlines["booking_notice_days"]["in_words"] == "7 working days before"
    # Five working days before Thursday 31 December 2026, skipping Christmas and Boxing Day.
    assert deadlines["agenda_circulate_days"]["date"] == date(2026, 12, 22)
    assert "Tuesday 22 December 2026" in page
    assert "10 working days before" in page
    assert "Up to date C&amp;F Assessment" in page
    assert "If completed within the last 2 years" in page
    assert "09:30, 09:50, 10:10, 10:30, 10:50, 11:10" in page
    assert "Change panel settings" not in page
    assert "/remove/" not in page


def test_a_social_worker_may_not_change_a_panel(social_worker_client, somerset):
    change = reverse("agendas:panel-change", args=["somerset"])
    assert social_worker_client.get(change).status_code == 403
    response = social_worker_client.post(change, panel_form_data(somerset, venue="Elsewhere"))
    assert response.status_code == 403
    section = somerset.sections.first()
    for url in (
        reverse("agendas:section-add", args=["somerset"]),
        reverse("agendas:section-change", args=["somerset", section.pk]),
        reverse("agendas:section-remove", args=["somerset", section.pk]),
    ):
        assert social_worker_client.post(url, {"name": "Mine", "order": 9}).status_code == 403
    somerset.refresh_from_db()
    assert somerset.venue == "County Hall, Taunton"
    assert somerset.sections.count() == 6


def test_the_settings_form_shows_days_before_as_positive_numbers(administrator_client, somerset):
    response = administrator_client.get(reverse("agendas:panel-change", args=["somerset"]))
    form = response.context["form"]
    assert form.initial["submission_due_days"] == 10
    assert form.initial["minutes_ratify_days"] == 5
    page = response.content.decode()
    assert '<label for="id_submission_due_days" class="govuk-label">' in page
    assert 'name="submission_due_days" value="10"' in page


def test_an_administrator_changes_the_panel_settings(administrator_client, somerset, make_user):
    chair = make_user(Role.CHAIR, first_name="Ada", last_name="Lovelace")
    response = administrator_client.post(
        reverse("agendas:panel-change", args=["somerset"]),
        panel_form_data(
            somerset,
            venue="Shire Hall, Taunton",
            submission_due_days="8",
            minutes_distribute_days="10",
            chair=str(chair.pk),
        ),
        follow=True,
    )
    somerset.refresh_from_db()
    assert response.redirect_chain[-1][0] == reverse("agendas:panel-detail", args=["somerset"])
    assert somerset.venue == "Shire Hall, Taunton"
    assert somerset.submission_due_days == -8
    assert somerset.minutes_distribute_days == 10
    assert somerset.booking_notice_days == -7
    assert somerset.chair == chair
    page = response.content.decode()
    assert "Somerset Permanence Panel: settings saved." in page
    assert "Ada Lovelace" in page


def test_invalid_settings_show_an_error_and_save_nothing(administrator_client, somerset):
    response = administrator_client.post(
        reverse("agendas:panel-change", args=["somerset"]),
        panel_form_data(
            somerset,
            venue="Somewhere else",
            start_time="13:00",
            end_time="12:00",
            booking_notice_days="-3",
            panel_interval_months="0",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The panel must end after it starts." in page
    errors = response.context["form"].errors
    assert set(errors) == {"end_time", "booking_notice_days", "panel_interval_months"}
    assert "<title>Error: " in page
    somerset.refresh_from_db()
    assert (somerset.venue, somerset.start_time) == ("County Hall, Taunton", time(9, 30))


def test_a_day_that_no_longer_fits_its_agenda_is_refused(administrator_client, somerset):
    # The six 20-minute request slots need until 11:30.
    response = administrator_client.post(
        reverse("agendas:panel-change", args=["somerset"]),
        panel_form_data(somerset, end_time="11:00"),
    )
    assert (
        "The agenda runs until 11:30, after the panel ends at 11:00." in response.content.decode()
    )
    somerset.refresh_from_db()
    assert somerset.end_time == time(12, 30)


def test_an_administrator_adds_changes_and_removes_a_section(administrator_client, somerset):
    add = reverse("agendas:section-add", args=["somerset"])
    assert administrator_client.get(add).context["form"].initial["order"] == 7
    response = administrator_client.post(
        add,
        {"order": "7", "name": "Any other business", "booking": "section", "definition": ""},
        follow=True,
    )
    section = somerset.sections.get(order=7)
    assert section.name == "Any other business"
    assert "Section added: 7. Any other business." in response.content.decode()

    taken = administrator_client.post(
        reverse("agendas:section-change", args=["somerset", section.pk]),
        {"order": "1", "name": "Any other business", "booking": "section"},
    )
    assert "Another section already has this number on the agenda." in taken.content.decode()
    section.refresh_from_db()
    assert section.order == 7

    administrator_client.post(reverse("agendas:section-remove", args=["somerset", section.pk]))
    assert not AgendaSection.objects.filter(pk=section.pk).exists()


def test_an_administrator_lists_a_document_for_a_request_type(administrator_client, somerset):
    matching = somerset.request_types.get(name="Matching")
    add = reverse("agendas:document-add", args=["somerset"])
    form = administrator_client.get(add, {"request_type": matching.pk}).context["form"]
    assert form.initial["request_type"] == str(matching.pk)
    administrator_client.post(
        add,
        {"name": "Supervising social worker's report", "request_type": matching.pk,
         "required": "on", "note": "", "order": "5"},
    )  # fmt: skip
    document = DocumentRequirement.objects.get(name="Supervising social worker's report")
    assert (document.panel, document.request_type, document.required) == (somerset, matching, True)


def test_an_administrator_puts_a_person_in_a_seat(administrator_client, somerset, make_user):
    nurse = make_user(Role.PANEL_MEMBER, first_name="Mary", last_name="Seacole")
    seat = somerset.memberships.get(role_on_panel="Virtual School Head")
    administrator_client.post(
        reverse("agendas:member-change", args=["somerset", seat.pk]),
        {"role_on_panel": "Virtual School Head", "user": nurse.pk, "attendance": "core",
         "order": seat.order},
    )  # fmt: skip
    seat.refresh_from_db()
    assert seat.user == nurse
    assert PanelMembership.objects.filter(panel=somerset).count() == 11


def test_another_panels_part_is_not_found_under_this_one(administrator_client, somerset):
    call_command("load_panel_presets", "knowsley", stdout=StringIO())
    knowsley_section = AgendaSection.objects.filter(panel__slug="knowsley").first()
    url = reverse("agendas:section-change", args=["somerset", knowsley_section.pk])
    assert administrator_client.get(url).status_code == 404


def test_a_panel_page_costs_the_same_queries_however_big_the_panel(
    social_worker_client, django_assert_max_num_queries
):
    call_command("load_panel_presets", stdout=StringIO())
    with django_assert_max_num_queries(20) as small:
        social_worker_client.get(reverse("agendas:panel-detail", args=["north-somerset"]))
    with django_assert_max_num_queries(20) as large:
        social_worker_client.get(reverse("agendas:panel-detail", args=["knowsley"]))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_only_administrators_are_offered_to_change_or_remove_a_panels_parts(
    client, make_user, administrator, somerset
):
    url = reverse("agendas:panel-detail", args=["somerset"])
    section = somerset.sections.first()
    request_type = somerset.request_types.first()
    change_section = reverse("agendas:section-change", args=["somerset", section.pk])
    remove_request_type = reverse("agendas:request-type-remove", args=["somerset", request_type.pk])
    client.force_login(make_user(Role.SOCIAL_WORKER))
    page = client.get(url).content.decode()
    assert "govuk-summary-card__actions" not in page
    assert change_section not in page and remove_request_type not in page
    client.force_login(administrator)
    page = client.get(url).content.decode()
    assert (
        f'<a class="govuk-link" href="{change_section}">Change'
        f'<span class="govuk-visually-hidden"> section {section.name}</span></a>'
    ) in page
    assert (
        f'<a class="govuk-link" href="{remove_request_type}">Remove'
        f'<span class="govuk-visually-hidden"> request type {request_type.name}</span></a>'
    ) in page
