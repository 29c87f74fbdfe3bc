"""The agenda pack's journey: an administrator builds the pack and downloads it; the page
follows a build in progress by itself; a social worker cannot download it."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from agendas import services
from agendas.models import PackDownload
from permanence.jobs.models import Job, JobState
from permanence.jobs.services import job_run
from permanence.roles import Role
from tests.agendas.test_packs import FORM, SUMMARY, pdf_file, png_file, store
from tests.factories import AgendaPackFactory, TeamFactory, UserFactory, book_into_slot

from .keyboard import sign_in_by_keyboard
from .test_booking_journey import sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_builds_watches_and_downloads_the_pack(page, assert_accessible):
    panel = services.panel_preset_load(slug="lancashire").panel
    meeting = services.meetings_schedule(
        panel=panel, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    admin = UserFactory(roles=[Role.ADMINISTRATOR], email="admin@council.example")
    worker = UserFactory(
        roles=[Role.SOCIAL_WORKER], email="worker@council.example", team=TeamFactory()
    )
    ada = book_into_slot(meeting, "Ada Lovelace", 0, worker)
    store(ada, FORM, "form.pdf", pdf_file("Ada submission form", pages=2))
    store(ada, SUMMARY, "photo.png", png_file())
    byron = book_into_slot(meeting, "Byron Lovelace", 1, worker)
    store(byron, FORM, "form.pdf", pdf_file("Byron submission form"))
    total = 1 + (2 + 2) + (2 + 1)
    meeting_url = f"/panels/lancashire/meetings/{meeting.pk}/"

    # The administrator builds the pack from the meeting page. The tests' worker is eager,
    # so the build runs within the request and the page comes back with it done.
    sign_in_by_keyboard(page, admin.email)
    page.goto(meeting_url)
    section = page.locator("#agenda-pack")
    expect(section.get_by_role("heading", name="Agenda pack")).to_be_visible()
    assert_accessible(page)
    section.get_by_role("button", name="Build the agenda pack").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The agenda pack is ready to download."
    )
    progress = page.get_by_label(f"{total} of {total} documents")
    expect(progress).to_have_attribute("max", str(total))
    expect(progress).to_have_attribute("value", str(total))
    expect(section.locator("[data-pack-status]")).to_have_text("Ready")
    assert_accessible(page)

    with page.expect_download() as download:
        section.get_by_role("link", name="Download the agenda pack (PDF)").click()
    assert download.value.suggested_filename == "agenda-pack-lancashire-2027-01-13.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    assert list(PackDownload.objects.values_list("user", flat=True)) == [admin.pk]

    # A build the worker is part way through: the page follows it every 2 seconds, with
    # no reload, and offers the download once it is done.
    building = AgendaPackFactory(
        meeting=meeting, job__state=JobState.RUNNING, job__done=3, job__total=total
    )
    page.goto(meeting_url)
    expect(section.locator("[data-pack-status]")).to_have_text("Being built")
    expect(page.get_by_label(f"3 of {total} documents")).to_have_attribute("value", "3")
    expect(section.get_by_role("link", name="Download the agenda pack (PDF)")).to_be_hidden()
    expect(section.get_by_role("button", name="Build it again")).to_be_hidden()
    assert_accessible(page)
    Job.objects.filter(pk=building.job_id).update(done=7)
    expect(section.locator("[data-pack-label]")).to_have_text(f"7 of {total} documents")
    expect(section.locator("progress")).to_have_attribute("value", "7")
    job_run(building.job_id)  # the worker finishes it
    expect(section.locator("[data-pack-status]")).to_have_text("Ready")
    expect(section.locator("progress")).to_have_attribute("value", str(total))
    expect(section.get_by_role("link", name="Download the agenda pack (PDF)")).to_be_visible()
    expect(section.get_by_role("button", name="Build it again")).to_be_visible()
    assert_accessible(page)

    # A change to a submission makes it out of date.
    services.submission_save(booking=byron, by=worker, current_plan="Adoption")
    page.reload()
    expect(section.get_by_text("Out of date", exact=True)).to_be_visible()
    expect(section.get_by_role("button", name="Build it again")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The social worker of both children still cannot download every child's papers.
    sign_in_by_keyboard(page, worker.email)
    for url in (f"{meeting_url}pack/download/", f"{meeting_url}pack/status/", meeting_url):
        response = page.goto(url)
        assert response.status == 403, url  # issue 11: refused in plain words, not a bare 404
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")
    expect(page.get_by_text("You don't sit on the")).to_be_visible()
    assert_accessible(page)
    assert list(PackDownload.objects.values_list("user", flat=True)) == [admin.pk]
    expect(page).to_have_url(re.compile(r"/meetings/\d+/$"))
