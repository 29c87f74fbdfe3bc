"""Issue 4's journey: an administrator schedules Lancashire and books three children; the
social worker sends a submission (one file refused); the chair agrees the agenda; a social
worker of another team cannot open the booking or its documents."""

import re
from io import StringIO

import pytest
import weasyprint
from django.core.management import call_command
from playwright.sync_api import expect

from agendas.models import Booking, Panel, SubmissionDocument
from permanence.roles import Role
from tests.factories import ChildFactory, TeamFactory, UserFactory

from .keyboard import press, sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = weasyprint.HTML(string="<h1>Case summary</h1><p>Synthetic test content.</p>").write_pdf()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/"))


def schedule_lancashire(page):
    page.goto("/panels/lancashire/schedule/")
    for field, value in {"#id_start_0": "1", "#id_start_1": "1", "#id_start_2": "2027"}.items():
        page.fill(field, value)
    for field, value in {"#id_end_0": "31", "#id_end_1": "3", "#id_end_2": "2027"}.items():
        page.fill(field, value)
    page.get_by_role("button", name="Schedule meetings").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("3 meetings scheduled")


def book(page, *, slot: str, case_number: str, request: str, reason: str):
    page.get_by_role("link", name=f"Book a child into the {slot} slot").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book a child")
    page.get_by_label("Child's case number").fill(case_number)
    page.get_by_label("Request").select_option(label=request)
    page.get_by_label("Why is the child coming to panel?").fill(reason)
    page.get_by_role("button", name="Book").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is booked")


def test_booking_submission_and_agreement(page, assert_accessible):
    call_command("load_panel_presets", "lancashire", stdout=StringIO())
    lancashire = Panel.objects.get(slug="lancashire")
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    chair = UserFactory(roles=[Role.CHAIR], email="chair@council.example")
    lancashire.chair = chair
    lancashire.save()
    east, west = TeamFactory(name="East"), TeamFactory(name="West")
    worker = UserFactory(roles=[Role.SOCIAL_WORKER], email="worker@council.example", team=east)
    outsider = UserFactory(roles=[Role.SOCIAL_WORKER], email="other@council.example", team=west)
    children = [
        ChildFactory(
            case_number=f"10023{n}",
            first_name=name,
            last_name="Lovelace",
            social_worker=worker,
            team=east,
            panel=lancashire,
        )
        for n, name in enumerate(["Ada", "Byron", "Clara"], 1)
    ]

    # The administrator schedules three months and books three children into January.
    sign_in_by_keyboard(page, admin.email)
    schedule_lancashire(page)
    page.locator(".govuk-notification-banner").get_by_role(
        "link", name="Wednesday 13 January 2027"
    ).click()
    assert_accessible(page)
    for slot, child, request in [
        ("09:30 to 09:50", children[0], "New to care"),
        ("09:50 to 10:10", children[1], "Represented"),
        ("10:10 to 10:30", children[2], "Ratification"),
    ]:
        book(
            page,
            slot=slot,
            case_number=child.case_number,
            request=request,
            reason="To agree the plan for permanence",
        )
    expect(page.locator("table").last).to_contain_text("Clara Lovelace")
    assert_accessible(page)
    assert Booking.objects.filter(meeting__date="2027-01-13", status="booked").count() == 3

    # The bookings page lists them to come, filtered by panel and window in the link.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Bookings").click()
    page.get_by_label("Panel").select_option(label="Lancashire Permanence Panel")
    press(page, "Show bookings")
    expect(page).to_have_url(re.compile(r"/bookings/\?show=coming&panel=lancashire$"))
    expect(page.locator("caption")).to_contain_text("3 children: booked for meetings from today")
    expect(page.locator("tbody tr")).to_have_count(3)
    assert_accessible(page)
    page.get_by_label("Show").select_option(label="Meetings held in the last 3 months")
    press(page, "Show bookings")
    expect(page.locator("main")).to_contain_text(
        "No children you can see were booked for meetings held"
    )
    sign_out(page)

    # The social worker completes Ada's submission; a file that is not what it says is refused.
    booking = Booking.objects.get(child=children[0])
    sign_in_by_keyboard(page, worker.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Bookings").click()
    assert_accessible(page)
    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Fill in")).click()
    assert_accessible(page)
    for label in (
        "Reason for presentation",
        "Current plan and contingency",
        "Progress since the last panel",
        "Barriers to permanence",
        "The child's wishes and feelings",
        "What is asked of panel",
        "Financial implications",
    ):
        page.get_by_label(label, exact=True).fill(f"{label}: written for the test.")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()

    requirements = [
        "Permanence Panel Submission form",
        "Case summary",
        "Record of the last multi-agency Looked After Children care planning meeting",
    ]
    page.get_by_role("link", name=f"Upload {requirements[0]}").click()
    assert_accessible(page)
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "form.pdf", "mimeType": "application/pdf", "buffer": b"MZ not a pdf"}],
    )
    page.get_by_role("button", name="Upload document").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "“form.pdf” is not a file type panel accepts"
    )
    assert_accessible(page)
    assert not SubmissionDocument.objects.exists()
    for n, name in enumerate(requirements):
        if n:
            page.get_by_role("link", name=f"Upload {name}").click()
        page.set_input_files(
            "input[type=file]",
            files=[{"name": f"document {n}.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        page.get_by_role("button", name="Upload document").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("uploaded")
    page.get_by_role("button", name="Send to panel").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Submission sent to panel")
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.submission.submitted_at is not None
    document = SubmissionDocument.objects.filter(booking=booking).first()
    sign_out(page)

    # The chair agrees the agenda.
    sign_in_by_keyboard(page, chair.email)
    page.goto(f"/panels/lancashire/meetings/{booking.meeting.pk}/agenda/")
    expect(page.locator("table")).to_contain_text("Ada Lovelace")
    assert_accessible(page)
    page.get_by_role("button", name="Agree the agenda").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You agreed the agenda")
    expect(page.locator(".govuk-summary-list")).to_contain_text(str(chair))
    assert_accessible(page)
    sign_out(page)

    # A social worker of another team can open neither the booking nor its documents.
    sign_in_by_keyboard(page, outsider.email)
    for url in (
        f"/bookings/{booking.pk}/",
        f"/bookings/{booking.pk}/submission/",
        f"/bookings/documents/{document.pk}/",
    ):
        response = page.goto(url)
        assert response.status == 404, url
    page.goto("/bookings/")
    expect(page.locator("main")).not_to_contain_text("Lovelace")
    assert_accessible(page)
