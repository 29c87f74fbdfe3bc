"""Members' contributions per child (Lancashire, Knowsley): each seat asked when a child is
booked, with a working-day due date; written by the member or a representative; shown on
the booking, the chair's page and the cover sheet, missing ones as missing."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from agendas import pdfs, selectors, services
from agendas.models import Contribution, ExpectedContribution, Panel
from minutes.my_tasks import tasks_of
from permanence.roles import Role
from permanence.versions import EditConflict
from permanence.workdays import calendar
from tests.factories import ChildFactory

from .test_pdfs import text_of

pytestmark = pytest.mark.django_db

LANCASHIRE_SEATS = {
    "health": "Health Representative",
    "education": "Education Representative (virtual school)",
    "iro": "Independent Reviewing Officer representative (Quality and Assurance Manager)",
    "access_to_resources": "Access to Resources representative",
    "fostering_residential": "Fostering Manager",
}


def seated(panel, role_on_panel, person):
    seat = panel.memberships.get(role_on_panel=role_on_panel)
    services.panel_membership_update(membership=seat, user=person)
    return seat


@pytest.fixture
def health_member(make_user, lancashire):
    person = make_user(Role.PANEL_MEMBER, first_name="Hana", last_name="Health")
    seated(lancashire, "Health Representative", person)
    return person


@pytest.fixture
def iro_member(make_user, lancashire):
    person = make_user(Role.PANEL_MEMBER, first_name="Ira", last_name="Officer")
    seated(lancashire, LANCASHIRE_SEATS["iro"], person)
    return person


def contribution(booking, kind) -> Contribution:
    return booking.contributions.get(kind=kind)


# The presets ------------------------------------------------------------------------------


def test_lancashire_expects_five_contributions_each_from_its_seat_before_the_agenda_goes_out():
    panel = Panel.objects.get(slug="lancashire")
    expected = list(panel.expected_contributions.select_related("seat"))
    assert {item.kind: item.seat.role_on_panel for item in expected} == LANCASHIRE_SEATS
    assert {item.due_days for item in expected} == {panel.agenda_circulate_days - 1}


def test_knowsley_expects_health_and_education_with_the_reports_and_the_others_none():
    knowsley = Panel.objects.get(slug="knowsley")
    assert {
        item.kind: (item.seat.role_on_panel, item.due_days)
        for item in knowsley.expected_contributions.all()
    } == {
        "health": ("Specialist Nurse CLA", knowsley.submission_due_days),
        "education": ("Virtual School Head", knowsley.submission_due_days),
    }
    for slug in ("torbay", "north-somerset", "somerset"):
        assert not ExpectedContribution.objects.filter(panel__slug=slug).exists()


def test_reloading_a_preset_puts_the_expected_contributions_back(lancashire):
    lancashire.expected_contributions.filter(kind="iro").delete()
    lancashire.expected_contributions.filter(kind="health").update(due_days=-2)
    result = services.panel_preset_load(slug="lancashire")
    assert result.changes == 2
    assert lancashire.expected_contributions.get(kind="health").due_days == -6
    assert services.panel_preset_load(slug="lancashire").changes == 0


def test_a_contribution_is_due_on_or_before_the_day_of_panel(lancashire):
    with pytest.raises(IntegrityError), transaction.atomic():
        lancashire.expected_contributions.filter(kind="health").update(due_days=1)


# Requested when the child is booked, due by working days ----------------------------------


def test_booking_a_child_asks_each_seat_due_the_working_day_before_the_agenda_goes_out(booking):
    # Wednesday 13 January 2027: the agenda goes out 5 working days before, on Wednesday 6
    # January, so each contribution is due on Tuesday 5 January.
    assert [
        (item.kind, item.role_on_panel, item.due_date) for item in booking.contributions.all()
    ] == [(kind, seat, date(2027, 1, 5)) for kind, seat in LANCASHIRE_SEATS.items()]
    assert calendar().add_working_days(date(2027, 1, 13), -5) == date(2027, 1, 6)
    assert not any(item.is_written for item in booking.contributions.all())


def test_over_christmas_the_due_date_skips_the_bank_holidays(book, knowsley_meetings):
    # Knowsley's Tuesday 5 January 2027, 5 working days back: 4 January, 31, 30 and 29
    # December, then past 28 December (Boxing Day's substitute), 25 December and the
    # weekend, to Thursday 24 December 2026.
    booking = book(knowsley_meetings[0])
    assert {item.kind: item.due_date for item in booking.contributions.all()} == {
        "health": date(2026, 12, 24),
        "education": date(2026, 12, 24),
    }


def test_moving_the_booking_moves_what_is_still_to_write_and_keeps_what_is_written(
    booking, meetings, health_member
):
    services.contribution_write(
        contribution=contribution(booking, "health"), by=health_member, summary="Up to date."
    )
    services.booking_move(booking=booking, meeting=meetings[1])
    # Wednesday 10 February 2027: due six working days before, on Tuesday 2 February.
    due = {item.kind: (item.due_date, item.is_written) for item in booking.contributions.all()}
    assert due["health"] == (date(2027, 1, 5), True)
    assert due["education"] == (date(2027, 2, 2), False)
    assert booking.contributions.count() == 5


def test_a_tracking_review_asks_for_none(book, knowsley_meetings):
    # Knowsley's Part 1, adoption tracking: "the Virtual Head will not be required".
    booking = book(knowsley_meetings[0], request="Adoption tracking")
    assert not booking.contributions.exists()


def test_a_panel_that_expects_none_asks_none(book, somerset):
    meeting = services.meetings_schedule(
        panel=somerset, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    assert not book(meeting).contributions.exists()


# Writing one ------------------------------------------------------------------------------


def test_the_member_writes_their_contribution(booking, health_member):
    written = services.contribution_write(
        contribution=contribution(booking, "health"),
        by=health_member,
        summary="Review Health Assessment held; dental check booked.",
        last_health_assessment=date(2026, 11, 12),
        health_plan_on_track=True,
    )
    assert written.is_written and not written.by_representative
    assert written.answers() == [
        ("Date of the last Initial or Review Health Assessment", "Thursday 12 November 2026"),
        ("Is the health plan on track?", "Yes"),
    ]


def test_a_representative_writes_it_when_the_member_is_away(booking, iro_member, make_user):
    deputy = make_user(Role.PANEL_MEMBER, first_name="Dee", last_name="Puty")
    seated(booking.panel, "Children's Social Care Senior Manager", deputy)
    written = services.contribution_write(
        contribution=contribution(booking, "iro"),
        by=deputy,
        summary="The IRO supports the plan but asks for a later-life letter.",
        iro_agrees_with_plan=True,
    )
    assert written.by_representative
    assert written.written_by == deputy
    assert written.represented_member == f"Ira Officer, {LANCASHIRE_SEATS['iro']}"


def test_the_representative_does_not_overwrite_the_member_unseen(booking, health_member, chair):
    opened = contribution(booking, "health").version
    services.contribution_write(
        contribution=contribution(booking, "health"),
        by=health_member,
        summary="Dental check booked.",
        version=opened,
    )
    with pytest.raises(EditConflict, match="Hana Health saved this contribution") as refused:
        services.contribution_write(
            contribution=contribution(booking, "health"),
            by=chair,
            summary="Nothing new.",
            version=opened,
        )
    assert "Summary now reads “Dental check booked.”" in refused.value.message
    assert contribution(booking, "health").summary == "Dental check booked."


def test_a_contribution_needs_a_summary(booking, health_member):
    with pytest.raises(ValidationError) as refused:
        services.contribution_write(
            contribution=contribution(booking, "health"), by=health_member, summary="  "
        )
    assert refused.value.message_dict == {"summary": ["Write a short summary for panel."]}


def test_a_contribution_holds_only_its_own_kind_of_answers(booking, health_member):
    with pytest.raises(TypeError):
        services.contribution_write(
            contribution=contribution(booking, "health"),
            by=health_member,
            summary="Fine",
            pep_up_to_date=True,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.filter(pk=contribution(booking, "health").pk).update(
            weekly_placement_cost=Decimal("850")
        )


def test_a_cancelled_booking_takes_no_contribution(booking, health_member):
    services.booking_cancel(booking=booking, reason="Permanence secured")
    with pytest.raises(ValidationError, match="cancelled"):
        services.contribution_write(
            contribution=contribution(booking, "health"), by=health_member, summary="Fine"
        )


# My tasks ---------------------------------------------------------------------------------


def _contribution_tasks(user, today):
    tasks = tasks_of(user, today=today, working_days=calendar())
    return [task for task in tasks.lines if task.kind == "contribution"]


def test_the_seats_member_has_the_request_on_my_tasks_until_it_is_written(booking, health_member):
    [task] = _contribution_tasks(health_member, date(2027, 1, 4))
    assert task.action == "Write the health contribution"
    assert task.due == date(2027, 1, 5)
    assert task.url == reverse("bookings:contribution", args=[booking.pk, "health"])
    assert task.hint.startswith("As Health Representative.")
    services.contribution_write(
        contribution=contribution(booking, "health"), by=health_member, summary="Fine"
    )
    assert _contribution_tasks(health_member, date(2027, 1, 4)) == []


def test_the_request_leaves_my_tasks_once_the_panel_has_met(booking, health_member):
    assert len(_contribution_tasks(health_member, date(2027, 1, 13))) == 1
    assert _contribution_tasks(health_member, date(2027, 1, 14)) == []


@pytest.mark.parametrize(
    ("today", "state"),
    [(date(2027, 1, 4), "Due soon"), (date(2027, 1, 5), "Due soon"), (date(2027, 1, 6), "Overdue")],
)
def test_my_tasks_shows_the_request_overdue_only_after_its_due_day(
    client, booking, health_member, today, state
):
    with time_machine.travel(today, tick=False):
        client.force_login(health_member)
        page = client.get(reverse("minutes:my-tasks")).content.decode()
    assert "Write the health contribution" in page
    assert 'Tuesday 5 January 2027 <strong class="govuk-tag govuk-tag--' in page
    assert state in page


# The pages and the cover sheet ------------------------------------------------------------


def test_the_member_writes_it_on_its_page(client, booking, health_member):
    client.force_login(health_member)
    url = reverse("bookings:contribution", args=[booking.pk, "health"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Health contribution" in page.content.decode()
    response = client.post(
        url,
        {
            "last_health_assessment_0": "12",
            "last_health_assessment_1": "11",
            "last_health_assessment_2": "2026",
            "health_plan_on_track": "no",
            "summary": "Dental check overdue.",
        },
    )
    assert response.status_code == 302
    written = contribution(booking, "health")
    assert written.health_plan_on_track is False
    assert written.last_health_assessment == date(2026, 11, 12)


def test_the_form_says_what_is_wrong(client, booking, health_member):
    client.force_login(health_member)
    url = reverse("bookings:contribution", args=[booking.pk, "access_to_resources"])
    page = client.post(url, {"weekly_placement_cost": "lots", "summary": ""}).content.decode()
    assert "Enter the weekly placement cost as an amount in pounds, like 850.00" in page
    assert "Write a short summary for panel" in page


def test_the_social_worker_may_not_write_a_members_contribution(client, booking, social_worker):
    client.force_login(social_worker)
    url = reverse("bookings:contribution", args=[booking.pk, "health"])
    assert client.get(url).status_code == 403


def test_the_cover_sheet_shows_each_contribution_and_the_missing_ones(booking, health_member):
    services.contribution_write(
        contribution=contribution(booking, "health"),
        by=health_member,
        summary="Review Health Assessment held.",
        last_health_assessment=date(2026, 11, 12),
    )
    text = text_of(pdfs.cover_sheet_pdf(booking))
    assert "Members’ contributions" in text
    assert "Review Health Assessment held." in text
    assert "Date of the last Initial or Review Health Assessment Thursday 12 November 2026" in text
    assert (
        "Missing: Education from the Education Representative (virtual school), due by "
        "Tuesday 5 January 2027; Independent Reviewing Officer from the Independent Reviewing "
        "Officer representative (Quality and Assurance Manager), due by Tuesday 5 January 2027; "
        "Access to Resources from the Access to Resources representative, due by Tuesday 5 "
        "January 2027; Fostering and residential from the Fostering Manager, due by Tuesday 5 "
        "January 2027."
    ) in text


def test_the_chairs_page_shows_the_contributions_and_the_missing_ones(
    client, booking, chair, health_member
):
    services.contribution_write(
        contribution=contribution(booking, "health"), by=health_member, summary="All well."
    )
    url = reverse("decisions:decision", args=[booking.panel.slug, booking.meeting.pk, booking.pk])
    with time_machine.travel(date(2027, 1, 13), tick=False):
        client.force_login(chair)
        page = client.get(url).content.decode()
    assert 'id="contribution-health"' in page
    assert "All well." in page
    assert page.count("Missing</strong> Due by Tuesday 5 January 2027 (overdue)") == 4


def test_a_booking_reads_its_contributions_in_one_query(booking, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = selectors.contributions_of(booking)
        [row.seat.user for row in rows]


def test_a_child_booked_elsewhere_keeps_its_own(book, meetings):
    other = book(meetings[0], ChildFactory(panel=meetings[0].panel))
    assert other.contributions.count() == 5


# Setting them for a panel -----------------------------------------------------------------


def _form(panel, **chosen) -> dict:
    data = {f"{kind}_seat": "" for kind in LANCASHIRE_SEATS} | {
        f"{kind}_due_days": "-6" for kind in LANCASHIRE_SEATS
    }
    for kind, (seat, due_days) in chosen.items():
        data[f"{kind}_seat"] = str(panel.memberships.get(role_on_panel=seat).pk)
        data[f"{kind}_due_days"] = str(due_days)
    return data


def test_an_administrator_sets_which_contributions_a_panel_expects(
    administrator_client, somerset, book
):
    url = reverse("agendas:contributions-change", args=["somerset"])
    assert administrator_client.get(url).status_code == 200
    response = administrator_client.post(
        url, _form(somerset, education=("Virtual School Head", -10))
    )
    assert response.status_code == 302
    [expected] = somerset.expected_contributions.all()
    assert (expected.kind, expected.seat.role_on_panel, expected.due_days) == (
        "education",
        "Virtual School Head",
        -10,
    )
    page = administrator_client.get(reverse("agendas:panel-detail", args=["somerset"]))
    assert "10 working days before the panel" in page.content.decode()

    # Thursday 14 January 2027: 10 working days back are 13 to 4 January (eight), then past
    # New Year's Day (a bank holiday) to 31 and 30 December: Wednesday 30 December 2026.
    meeting = services.meetings_schedule(
        panel=somerset, start=date(2027, 1, 14), end=date(2027, 1, 14)
    ).created[0]
    [asked] = book(meeting).contributions.all()
    assert (asked.kind, asked.due_date) == ("education", date(2026, 12, 30))

    administrator_client.post(url, _form(somerset))
    assert not somerset.expected_contributions.exists()


def test_a_contribution_due_after_the_panel_is_refused_with_the_reason(
    administrator_client, somerset
):
    url = reverse("agendas:contributions-change", args=["somerset"])
    page = administrator_client.post(url, _form(somerset, health=("IRO Manager", 2)))
    assert "A contribution is due on or before the day of panel" in page.content.decode()
    assert not somerset.expected_contributions.exists()


def test_a_seat_of_another_panel_is_refused(somerset, lancashire):
    seat = lancashire.memberships.get(role_on_panel="Health Representative")
    with pytest.raises(ValidationError):
        services.expected_contributions_set(panel=somerset, expected={"health": (seat, -6)})


def test_only_administrators_set_a_panels_contributions(client, chair, somerset):
    client.force_login(chair)
    url = reverse("agendas:contributions-change", args=["somerset"])
    assert client.get(url).status_code == 403


def test_a_seat_without_a_due_date_is_asked_for_one_and_a_kind_not_asked_needs_none(
    administrator_client, somerset
):
    url = reverse("agendas:contributions-change", args=["somerset"])
    data = _form(somerset, health=("IRO Manager", -6)) | {
        "health_due_days": "",
        "education_due_days": "",
    }
    page = administrator_client.post(url, data).content.decode()
    assert page.count("Say when the health contribution is due") == 2  # summary and field
    assert "education contribution is due" not in page
