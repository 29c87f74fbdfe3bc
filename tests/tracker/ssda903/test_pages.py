"""The administrator's SSDA903 page: upload, a background dry run with its report, then the
import from the same files, as a follow-up job; refusals said plainly."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from permanence.jobs.models import Job, JobState
from tracker.jobs import ssda903_import_start
from tracker.models import Child

from .returns import Kid, csv_tables, xml_return

pytestmark = pytest.mark.django_db

GOOD = Kid("1001", episodes=[("01/04/2020", "S", "C2", "U4", "", "")])
BAD = Kid("1003", episodes=[("01/04/2020", "S", "C2", "U4", "01/03/2020", "E13")])


def upload(client, files, capture):
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    with capture(execute=True):
        return client.post(reverse("tracker:ssda903"), {"files": uploads})


def test_a_dry_run_then_the_import_of_the_same_files(
    administrator_client, django_capture_on_commit_callbacks
):
    assert administrator_client.get(reverse("tracker:ssda903")).status_code == 200
    response = upload(
        administrator_client, csv_tables(GOOD, BAD), django_capture_on_commit_callbacks
    )
    dry_run = Job.objects.get()
    assert response.url == reverse("job", args=[dry_run.public_id])
    assert dry_run.state == JobState.SUCCEEDED and dry_run.params == {"dry_run": True}
    assert not Child.objects.exists()
    page = administrator_client.get(response.url).content.decode()
    assert "Dry run: would import 1 of the return&#x27;s 2 children" in page
    assert "Import the return" in page
    assert "Looked after since" in page and "Wednesday 1 April 2020" in page
    assert "The episode from 01/04/2020 (episodes.csv, line 3) ends (01/03/2020) before" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(
            reverse("tracker:ssda903-import", args=[dry_run.public_id])
        )
    imported = Job.objects.exclude(pk=dry_run.pk).get()
    assert response.url == reverse("job", args=[imported.public_id])
    assert (imported.state, imported.source) == (JobState.SUCCEEDED, dry_run)
    assert list(Child.objects.values_list("case_number", flat=True)) == ["1001"]
    assert "Imported 1 of the return" in administrator_client.get(response.url).content.decode()

    # The same check is not imported twice.
    response = administrator_client.post(
        reverse("tracker:ssda903-import", args=[dry_run.public_id]), follow=True
    )
    assert "This return has already been imported: check it again first." in (
        response.content.decode()
    )
    assert Job.objects.count() == 2


def test_a_return_that_cannot_be_read_fails_its_check_by_file_line_and_field(
    administrator_client, django_capture_on_commit_callbacks
):
    files = xml_return(GOOD)
    files[0] = ("return.xml", files[0][1].replace(b"01/04/2020", b"31/04/2020"))
    response = upload(administrator_client, files, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    page = administrator_client.get(response.url).content.decode()
    assert "return.xml, line 4, CHILD 1001 EPISODE 1: DECOM “31/04/2020” is not a real date" in page
    assert "Import the return" not in page
    with pytest.raises(Exception, match="has not been checked yet"):
        ssda903_import_start(dry_run=job, by=job.requested_by)


def test_only_csv_or_xml_files(administrator_client):
    response = administrator_client.post(
        reverse("tracker:ssda903"), {"files": [SimpleUploadedFile("return.xlsx", b"PK")]}
    )
    assert "return.xlsx must be a CSV or XML file" in response.content.decode()
    assert not Job.objects.exists()


def test_the_page_shows_the_first_fifty_children_and_the_csv_holds_every_change(
    administrator_client, django_capture_on_commit_callbacks
):
    kids = [Kid(str(2000 + n), episodes=GOOD.episodes) for n in range(51)]
    response = upload(administrator_client, csv_tables(*kids), django_capture_on_commit_callbacks)
    dry_run = Job.objects.get()
    page = administrator_client.get(response.url).content.decode()
    assert "The first 50 of the 51 children whose records would change are shown below." in page
    assert ">2049" in page and ">2050" not in page

    report = reverse("tracker:ssda903-report", args=[dry_run.public_id])
    rows = administrator_client.get(report).content.decode("utf-8-sig").splitlines()
    assert rows[0] == "case_number,new_child,field,was,would_be"
    assert {row.split(",")[0] for row in rows[1:]} == {kid.child for kid in kids}
    assert any(row.startswith("2050,yes,") for row in rows)
