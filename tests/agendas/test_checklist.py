"""What a booking still needs is defined once: the checklist page, the reminder the scan
sends, the running order and the chair's decision page agree. A verbal update (Torbay)
needs nothing written, so nothing is chased and nothing is late."""

import re
from datetime import date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from agendas import selectors, services
from agendas.models import Booking, Submission
from agendas.notices.common import booking_about
from permanence.models import Notification
from permanence.roles import Role
from permanence.tasks import scan
from permanence.workdays import calendar
from tests.days import BOOKED_ON, LONDON
from tests.factories import BookingFactory, PanelFactory, winter_meetings

from .test_packs import pdf_file, store

pytestmark = pytest.mark.django_db

MEETING = date(2027, 1, 7)  # Torbay's fortnightly Thursday
FORM = "Panel submission form"
ANSWERS = dict.fromkeys(Submission.FORM_FIELDS, "Answered")


def at(day: date, hour: int = 8):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)


@pytest.fixture
def torbay_meeting():
    """Torbay's first panel of 2027, Thursday 7 January."""
    meeting = winter_meetings(PanelFactory(preset="torbay"), end=date(2027, 1, 14))[0]
    assert meeting.date == MEETING
    return meeting


@pytest.fixture
def book_at_torbay(torbay_meeting, social_worker, administrator):
    """Book one of the social worker's children for the request, on BOOKED_ON at 10am."""

    def book_at_torbay(request: str, case_number: str):
        panel = torbay_meeting.panel
        request_type = panel.request_types.get(name=request)
        with at(BOOKED_ON, hour=10):
            return BookingFactory(
                meeting=torbay_meeting,
                child__case_number=case_number,
                child__last_name=case_number,
                child__social_worker=social_worker,
                child__team=social_worker.team,
                request_type=request_type,
                # A verbal update has no usual section: the administrator picks one.
                section=request_type.default_section or panel.sections.get(order=3),
                booked_by=administrator,
                social_worker=social_worker,
            )

    return book_at_torbay


@pytest.fixture
def bookings(book_at_torbay, social_worker):
    """A booking in each state, with what its checklist should say is missing."""
    verbal = book_at_torbay("Verbal update", "CHK-V")
    nothing_done = book_at_torbay("Long term matching", "CHK-N")
    form_done = book_at_torbay("Long term matching", "CHK-F")
    services.submission_save(booking=form_done, by=social_worker, **ANSWERS)
    plan_only = book_at_torbay("SGO Support Plan sign-off", "CHK-P")
    store(plan_only, "SGO Support Plan", "plan.pdf", pdf_file("SGO Support Plan"))
    services.submission_save(booking=plan_only, by=social_worker, reason_for_presentation="Part")
    return {
        verbal: [],
        nothing_done: [FORM, "Long term matching report"],
        form_done: ["Long term matching report"],
        plan_only: [FORM],
    }


def missing_on_page(html: str) -> list[str]:
    """The names of the checklist's items marked Missing."""
    items = re.findall(r'<li class="govuk-task-list__item">(.*?)</li>', html, flags=re.S)
    return [
        re.search(r'font-weight-bold">(.*?)</div>', item).group(1)
        for item in items
        if "Missing" in item
    ]


def reminder_lists(booking) -> list[str]:
    """The 'Still to do' lines of the submission reminder sent for the booking."""
    reminder = Notification.objects.get(kind="submission_reminder", about=booking_about(booking))
    return re.findall(r"^- (.+)$", reminder.body_text, flags=re.M)


def test_the_checklist_page_the_reminder_the_running_order_and_the_decision_page_agree(
    torbay_meeting, bookings, administrator, client, make_user
):
    due = selectors.submission_due_date(torbay_meeting)
    with at(due):
        scan.apply()
    chair = make_user(Role.CHAIR)
    torbay_meeting.panel.chair = chair
    torbay_meeting.panel.save()
    client.force_login(chair)
    running_order = client.get(
        reverse("decisions:running-order", args=[torbay_meeting.panel.slug, torbay_meeting.pk])
    ).content.decode()

    # The database's reading of "nothing to send", which the pages' counts and My tasks
    # filter by, is the checklist's.
    assert set(Booking.objects.with_nothing_to_send()) == {
        booking
        for booking in bookings
        if selectors.nothing_to_send(selectors.submission_checklist(booking))
    }
    assert set(Booking.objects.with_something_to_send()) == set(bookings) - {
        booking for booking, expected in bookings.items() if not expected
    }
    for booking, expected in bookings.items():
        assert [item.name for item in selectors.submission_checklist(booking) if item.missing] == (
            expected
        )
        client.force_login(administrator)
        page = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
        assert missing_on_page(page) == expected, booking
        client.force_login(chair)
        decision_page = client.get(
            reverse(
                "decisions:decision",
                args=[torbay_meeting.panel.slug, torbay_meeting.pk, booking.pk],
            )
        ).content.decode()
        assert missing_on_page(decision_page) == expected, booking
        row = next(
            row
            for row in re.findall(r"<tr.*?</tr>", running_order, flags=re.S)
            if booking.child.case_number in row
        )
        if expected:
            assert f"{len(expected)} missing" in row
            assert reminder_lists(booking) == expected
        else:
            assert "missing" not in row and "Verbal update" in row
            assert not Notification.objects.filter(about=booking_about(booking)).exclude(
                kind__in=["booking_notice", "booking_reminder"]
            )


def test_a_verbal_update_says_so_and_cannot_be_sent(
    torbay_meeting, book_at_torbay, administrator, client
):
    verbal = book_at_torbay("Verbal update", "CHK-V")
    checklist = selectors.submission_checklist(verbal)
    assert [item.name for item in checklist] == ["Verbal update: nothing to send"]
    assert selectors.nothing_to_send(checklist)
    client.force_login(administrator)
    page = client.get(reverse("bookings:detail", args=[verbal.pk])).content.decode()
    assert "Verbal update: nothing to send" in page
    assert "Send to panel" not in page
    assert "Missing" not in page


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_a_verbal_update_is_never_chased_or_late_around_the_due_date(
    torbay_meeting, book_at_torbay, administrator, client, offset
):
    verbal = book_at_torbay("Verbal update", "CHK-V")
    written = book_at_torbay("Long term matching", "CHK-W")
    due = selectors.submission_due_date(torbay_meeting)
    day = calendar().add_working_days(due, offset)
    with at(day):
        scan.apply()
        client.force_login(administrator)
        listed = client.get(reverse("bookings:list")).content.decode()
        my_tasks = client.get(reverse("minutes:my-tasks")).content.decode()

    # The administrator chases a written submission once it is late, never a verbal update.
    assert ("CHK-W" in my_tasks) == (offset > 0)
    assert "CHK-V" not in my_tasks
    chased = {"submission_reminder", "submission_overdue"}
    assert not Notification.objects.filter(kind__in=chased, about=booking_about(verbal))
    expected = "submission_overdue" if offset > 0 else "submission_reminder"
    assert Notification.objects.filter(kind=expected, about=booking_about(written)).exists()
    assert not selectors.submission_is_late(verbal, today=day)
    assert selectors.submission_is_late(written, today=day) == (offset > 0)
    verbal_row = next(
        row for row in re.findall(r"<tr.*?</tr>", listed, flags=re.S) if "CHK-V" in row
    )
    assert "Verbal update" in verbal_row and "Late" not in verbal_row


def test_the_meeting_deadline_for_submissions_is_done_when_only_verbal_updates_remain(
    torbay_meeting, book_at_torbay, social_worker
):
    book_at_torbay("Verbal update", "CHK-V")
    written = book_at_torbay("Long term matching", "CHK-W")

    def submissions_done():
        deadlines = selectors.meeting_deadlines(torbay_meeting)
        return next(row for row in deadlines if row["field"] == "submission_due_days")["done"]

    assert not submissions_done()
    services.submission_save(booking=written, by=social_worker, **ANSWERS)
    store(written, "Long term matching report", "report.pdf", pdf_file("Report"))
    with at(BOOKED_ON):
        services.submission_submit(booking=written, by=social_worker)
    assert submissions_done()


def test_the_booking_email_for_a_verbal_update_asks_for_nothing_written(
    torbay_meeting, book_at_torbay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        verbal = book_at_torbay("Verbal update", "CHK-V")
        written = book_at_torbay("Long term matching", "CHK-W")
    verbal_email = Notification.objects.get(kind="booking_notice", about=booking_about(verbal))
    assert "nothing written is needed" in verbal_email.body_text
    assert "submission form" not in verbal_email.body_text
    assert "nothing written is needed" in verbal_email.body_html
    written_email = Notification.objects.get(kind="booking_notice", about=booking_about(written))
    assert "the panel submission form, completed online" in written_email.body_text
    assert "- Long term matching report" in written_email.body_text
