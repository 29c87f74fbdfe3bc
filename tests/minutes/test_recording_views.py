"""Recording the meeting: the running order, panel's decision for each child and
attendance; who may open them, what they save and what they keep when refused."""

from datetime import date
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agendas import services as agendas_services
from agendas.models import BookingStatus, PanelMembership
from minutes import services
from minutes.models import (
    ApprovalStatus,
    AttendanceStatus,
    Decision,
    MeetingAttendance,
    PanelAction,
)
from permanence.roles import Role
from tests.days import BOOKED_ON, JANUARY
from tests.factories import ChildFactory
from tracker.codes import Plan

# The chair records the decisions on the day of Lancashire's January panel.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_the_day")]


@pytest.fixture
def chair_client(client, chair):
    client.force_login(chair)
    return client


def running_order_url(meeting):
    return reverse("decisions:running-order", args=[meeting.panel.slug, meeting.pk])


def decision_url(booking):
    return reverse("decisions:decision", args=[booking.panel.slug, booking.meeting.pk, booking.pk])


def attendance_url(meeting):
    return reverse("decisions:attendance", args=[meeting.panel.slug, meeting.pk])


def outcome(panel, name):
    return panel.outcomes.get(name=name)


def date_fields(name: str, value: date | None) -> dict:
    parts = (value.day, value.month, value.year) if value else ("", "", "")
    return {f"{name}_{n}": str(part) for n, part in enumerate(parts)}


def decision_data(panel, name="Agreement to the plan for permanence", **fields) -> dict:
    data = {
        "outcome": outcome(panel, name).pk,
        "rationale": "Panel is satisfied the plan meets Ada's needs.",
        "timescales": "",
        "further_information": "",
        **date_fields("by_date", None),
        "primary_plan": "",
        "contingency_plan": "",
        "save": "1",
    }
    for number in (1, 2, 3):
        data.update(
            {f"action-{number}-description": "", f"action-{number}-owner": ""},
            **date_fields(f"action-{number}-due_date", None),
        )
    data.update(fields)
    return data


# Recording a decision ------------------------------------------------------------------


def test_the_chair_records_a_decision_and_the_tracker_moves_on(chair_client, booking, ada):
    page = chair_client.get(decision_url(booking)).content.decode()
    assert "Ada Lovelace" in page
    assert "To agree the plan for permanence before the second review" in page
    assert f'data-keep-draft="decision-{booking.pk}"' in page

    response = chair_client.post(
        decision_url(booking),
        decision_data(
            booking.panel,
            primary_plan=Plan.ADOPTION,
            contingency_plan=Plan.LONG_TERM_FOSTERING,
            attended=["social_worker"],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == decision_url(booking)
    decision = Decision.objects.get(booking=booking)
    assert decision.outcome.name == "Agreement to the plan for permanence"
    assert (decision.social_worker_attended, decision.team_manager_attended) == (True, False)
    ada.refresh_from_db()
    assert (ada.last_panel_date, ada.primary_plan, ada.plan_agreed_date) == (
        JANUARY,
        Plan.ADOPTION,
        JANUARY,
    )

    # The page after the save tells the browser to forget the draft it kept.
    page = chair_client.get(response["Location"]).content.decode()
    assert "Panel's decision for Ada Lovelace is recorded." in unescape(page)
    assert f'data-draft-saved="decision-{booking.pk}"' in page
    assert "Change panel’s decision" in page
    again = chair_client.get(decision_url(booking)).content.decode()
    assert "data-draft-saved" not in again


def test_a_missing_rationale_is_shown_and_what_was_typed_is_kept(chair_client, booking):
    response = chair_client.post(
        decision_url(booking),
        decision_data(
            booking.panel,
            rationale="  ",
            timescales="Within six weeks of panel",
            **{"action-1-description": "Book the matching meeting"},
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Give panel's rationale for the decision." in unescape(page)
    assert "Within six weeks of panel" in page
    assert "Book the matching meeting" in page
    assert "data-draft-has-errors" in page
    form = response.context["form"]
    assert str(form["outcome"].value()) == str(
        outcome(booking.panel, "Agreement to the plan for permanence").pk
    )
    assert not Decision.objects.exists()


def test_a_deferral_needs_further_information_and_a_date_then_books_the_child_again(
    chair_client, booking
):
    deferral = "Defer until further information is provided"
    response = chair_client.post(decision_url(booking), decision_data(booking.panel, deferral))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["further_information"] == ["Say what further information panel needs."]
    assert errors["by_date"] == ["Give the date by which the information is needed."]
    assert not Decision.objects.exists()

    response = chair_client.post(
        decision_url(booking),
        decision_data(
            booking.panel,
            deferral,
            further_information="The updated health assessment",
            **date_fields("by_date", date(2027, 2, 1)),
        ),
        follow=True,
    )
    decision = Decision.objects.get(booking=booking)
    assert decision.forward_booking.meeting.date == date(2027, 2, 10)
    assert "Booked into Wednesday 10 February 2027." in response.content.decode()
    # Shown again as recorded: the date input holds the date panel gave.
    form = chair_client.get(decision_url(booking)).context["form"]
    assert form["by_date"].value() == date(2027, 2, 1)
    assert "Booked again into Wednesday 10 February 2027." in response.content.decode()


def test_with_no_meeting_with_room_the_child_goes_on_the_waiting_list(chair_client, booking):
    response = chair_client.post(
        decision_url(booking),
        decision_data(
            booking.panel,
            "Re-present to panel",
            **date_fields("by_date", date(2027, 6, 1)),  # no meeting scheduled after it
        ),
        follow=True,
    )
    decision = Decision.objects.get(booking=booking)
    assert decision.forward_booking.status == BookingStatus.WAITING
    assert (
        "No meeting on or after Tuesday 1 June 2027 had room, so the child is on the "
        "waiting list for the administrator to book." in response.content.decode()
    )


def test_a_decision_waiting_for_a_senior_officer_says_so(chair_client, booking, lancashire):
    lancashire.senior_decision_maker = "Assistant Executive Director"
    lancashire.save()
    booking.request_type.needs_senior_decision = True
    booking.request_type.save()
    response = chair_client.post(decision_url(booking), decision_data(lancashire), follow=True)
    assert Decision.objects.get().approval_status == ApprovalStatus.AWAITING
    page = response.content.decode()
    assert "It now waits for the decision of the Assistant Executive Director." in page
    assert "it waits for a senior officer’s decision (Assistant Executive Director)." in page


def test_action_rows_create_actions_and_empty_rows_are_ignored(
    chair_client, booking, make_user, ada
):
    owner = make_user(Role.SOCIAL_WORKER, first_name="Sam", last_name="Worker")
    response = chair_client.post(
        decision_url(booking),
        decision_data(
            booking.panel,
            **{
                "action-1-description": "Book the matching meeting",
                "action-1-owner": owner.pk,
                **date_fields("action-1-due_date", date(2027, 2, 1)),
                "action-3-description": "Send the later life letter",
                "action-3-owner": owner.pk,
                **date_fields("action-3-due_date", date(2027, 3, 1)),
            },
        ),
    )
    assert response.status_code == 302
    actions = list(PanelAction.objects.order_by("due_date"))
    assert [(a.description, a.owner, a.due_date, a.child) for a in actions] == [
        ("Book the matching meeting", owner, date(2027, 2, 1), ada),
        ("Send the later life letter", owner, date(2027, 3, 1), ada),
    ]
    assert all(action.decision.booking == booking for action in actions)
    # The decision page lists them, and offers three empty rows again.
    page = chair_client.get(decision_url(booking)).content.decode()
    assert "Book the matching meeting: Sam Worker, by Monday 1 February 2027" in page
    assert 'name="action-1-description"' in page


def test_a_partly_filled_action_row_is_refused_and_nothing_is_saved(chair_client, booking):
    response = chair_client.post(
        decision_url(booking),
        decision_data(booking.panel, **{"action-2-description": "Book the matching meeting"}),
    )
    assert response.status_code == 200
    rows = response.context["actions_to_add"]
    assert rows[0].errors == {}
    assert rows[1].errors == {
        "owner": ["Choose who does new action 2, or clear the row."],
        "due_date": ["Enter the date new action 2 is due, or clear the row."],
    }
    page = response.content.decode()
    assert 'href="#id_action-2-owner"' in page
    assert 'href="#id_action-2-due_date_0"' in page
    assert not Decision.objects.exists()
    assert not PanelAction.objects.exists()


def test_an_action_the_service_refuses_leaves_no_decision_behind(chair_client, booking, make_user):
    owner = make_user(Role.SOCIAL_WORKER)
    response = chair_client.post(
        decision_url(booking),
        decision_data(
            booking.panel,
            **{
                "action-1-description": "Book the matching meeting",
                "action-1-owner": owner.pk,
                **date_fields("action-1-due_date", date(2027, 1, 4)),  # before the panel
            },
        ),
    )
    assert response.status_code == 200
    assert response.context["actions_to_add"][0].errors["due_date"] == [
        "An action is due on or after the panel."
    ]
    # One transaction: the decision recorded before the action was refused is undone.
    assert not Decision.objects.exists()
    assert "Panel is satisfied the plan meets Ada" in response.content.decode()


def test_a_decision_before_the_meeting_day_is_refused_on_the_form(chair_client, booking):
    with time_machine.travel(date(2027, 1, 12), tick=False):
        response = chair_client.post(decision_url(booking), decision_data(booking.panel))
    assert response.status_code == 200
    assert "record its decision on the day" in response.content.decode()
    assert not Decision.objects.exists()


def test_save_and_go_to_the_next_child_follows_the_running_order(
    chair_client, book, meetings, booking
):
    later = book(meetings[0])  # the next free slot, after Ada's
    data = decision_data(booking.panel, next="1")
    del data["save"]
    response = chair_client.post(decision_url(booking), data)
    assert response["Location"] == decision_url(later)
    # After the last child, back to the running order.
    response = chair_client.post(decision_url(later), data)
    assert response["Location"] == running_order_url(meetings[0])


# Who may record ------------------------------------------------------------------------


def test_a_social_worker_is_refused_the_meeting(client, make_user, booking):
    client.force_login(make_user(Role.SOCIAL_WORKER))
    meeting = booking.meeting
    # Issue 11: refused in plain words (403) rather than a bare 404.
    for url in (running_order_url(meeting), decision_url(booking), attendance_url(meeting)):
        assert client.get(url).status_code == 403
    assert client.post(decision_url(booking), decision_data(booking.panel)).status_code == 403
    assert not Decision.objects.exists()


def test_a_panel_member_reads_the_agenda_but_does_not_record(client, make_user, booking):
    member = make_user(Role.PANEL_MEMBER)
    PanelMembership.objects.filter(
        panel=booking.panel, role_on_panel="Health Representative"
    ).update(user=member)
    client.force_login(member)
    meeting = booking.meeting
    assert client.get(reverse("agendas:agenda", args=["lancashire", meeting.pk])).status_code == 200
    for url in (running_order_url(meeting), decision_url(booking), attendance_url(meeting)):
        assert client.get(url).status_code == 403
    assert client.post(decision_url(booking), decision_data(booking.panel)).status_code == 403


def test_an_administrator_records_too(client, administrator, booking):
    client.force_login(administrator)
    assert client.get(running_order_url(booking.meeting)).status_code == 200
    response = client.post(decision_url(booking), decision_data(booking.panel))
    assert response.status_code == 302


def test_a_cancelled_booking_has_no_decision_page(chair_client, booking):
    with time_machine.travel(BOOKED_ON, tick=False):
        agendas_services.booking_cancel(booking=booking, reason="Child moved authority")
    assert chair_client.get(decision_url(booking)).status_code == 404


# The running order ---------------------------------------------------------------------


def test_the_running_order_lists_each_child_with_its_state(
    chair_client, book, meetings, booking, chair
):
    other = book(meetings[0], ChildFactory(first_name="Byron", last_name="Lovelace"))
    services.decision_record(
        booking=other,
        outcome=outcome(other.panel, "Refuse"),
        rationale="Not in the child's interest.",
        recorded_by=chair,
    )
    page = chair_client.get(running_order_url(meetings[0])).content.decode()
    assert page.index("Ada Lovelace") < page.index("Byron Lovelace")
    assert (
        f'href="{decision_url(booking)}">Record decision'
        '<span class="govuk-visually-hidden"> for Ada Lovelace</span>'
    ) in page
    assert "Change decision" in page
    assert "Refuse" in page
    assert "Not recorded" in page
    # No submission yet: the form and Lancashire's three documents are missing.
    assert "4 missing" in page
    assert "09:30" in page and "09:50" in page
    assert reverse("bookings:detail", args=[booking.pk]) in page
    assert attendance_url(meetings[0]) in page


def test_the_running_order_takes_the_same_queries_for_two_children_as_for_six(
    chair_client, book, meetings, chair
):
    meeting = meetings[0]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = chair_client.get(running_order_url(meeting))
        assert response.status_code == 200
        return len(captured.captured_queries)

    bookings = [book(meeting) for _ in range(2)]
    services.decision_record(
        booking=bookings[0],
        outcome=outcome(meeting.panel, "Refuse"),
        rationale="Not in the child's interest.",
        recorded_by=chair,
    )
    two = queries()
    more = [book(meeting, request=name) for name in ("Represented", "Ratification")] + [
        book(meeting) for _ in range(2)
    ]
    for booking in more[:2]:
        services.decision_record(
            booking=booking,
            outcome=outcome(meeting.panel, "Refuse"),
            rationale="Not in the child's interest.",
            recorded_by=chair,
        )
    assert meeting.bookings.filter(status=BookingStatus.BOOKED).count() == 6
    assert queries() == two


def test_the_meeting_page_links_to_the_running_order_and_attendance(
    client, administrator, meetings
):
    client.force_login(administrator)
    page = client.get(reverse("agendas:meeting", args=["lancashire", meetings[0].pk]))
    content = page.content.decode()
    assert f'href="{running_order_url(meetings[0])}">Running order and decisions' in content
    assert f'href="{attendance_url(meetings[0])}">Attendance' in content


# Attendance ----------------------------------------------------------------------------


def seat(panel, role):
    return panel.memberships.get(role_on_panel=role)


def test_attendance_is_saved_and_shown_again(chair_client, meetings, lancashire, make_user):
    meeting = meetings[0]
    head = seat(lancashire, "Children's Social Care Head of Service (chair)")
    health = seat(lancashire, "Health Representative")
    fostering = seat(lancashire, "Fostering Manager")
    page = chair_client.get(attendance_url(meeting)).content.decode()
    # Each seat's radios are a fieldset whose legend names the seat.
    assert "Health Representative: vacant" in page
    assert page.count('<fieldset class="govuk-fieldset"') >= lancashire.memberships.count()

    response = chair_client.post(
        attendance_url(meeting),
        {
            f"seat-{head.pk}-status": AttendanceStatus.PRESENT,
            f"seat-{health.pk}-status": AttendanceStatus.REPRESENTED,
            f"seat-{health.pk}-representative_name": "Dr Rao",
            f"seat-{health.pk}-representative_role": "Designated doctor",
            f"seat-{fostering.pk}-status": AttendanceStatus.APOLOGIES,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == running_order_url(meeting)
    rows = {row.role_on_panel: row for row in MeetingAttendance.objects.filter(meeting=meeting)}
    assert set(rows) == {head.role_on_panel, health.role_on_panel, fostering.role_on_panel}
    assert (rows[health.role_on_panel].status, rows[health.role_on_panel].representative_name) == (
        AttendanceStatus.REPRESENTED,
        "Dr Rao",
    )
    assert rows[fostering.role_on_panel].status == AttendanceStatus.APOLOGIES

    again = chair_client.get(attendance_url(meeting))
    forms = {form.membership.pk: form for form in again.context["seats"]}
    assert forms[health.pk]["status"].value() == AttendanceStatus.REPRESENTED
    assert forms[health.pk]["representative_name"].value() == "Dr Rao"
    assert forms[fostering.pk]["status"].value() == AttendanceStatus.APOLOGIES


def test_a_representative_needs_a_name(chair_client, meetings, lancashire):
    meeting = meetings[0]
    health = seat(lancashire, "Health Representative")
    response = chair_client.post(
        attendance_url(meeting),
        {
            f"seat-{health.pk}-status": AttendanceStatus.REPRESENTED,
            f"seat-{health.pk}-representative_role": "Designated doctor",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the name of the representative for Health Representative." in page
    assert "Designated doctor" in page
    assert not MeetingAttendance.objects.exists()


def test_attendance_of_ratified_minutes_is_refused_on_the_page(
    chair_client, meetings, lancashire, chair
):
    meeting = meetings[0]
    services.minutes_ratify(meeting=meeting, chair=chair)
    head = seat(lancashire, "Children's Social Care Head of Service (chair)")
    response = chair_client.post(
        attendance_url(meeting), {f"seat-{head.pk}-status": AttendanceStatus.PRESENT}
    )
    assert response.status_code == 200
    assert "The chair has ratified these minutes" in response.content.decode()
    assert not MeetingAttendance.objects.exists()
