"""Referrals as rows of a CSV file: `manage.py import_referrals FILE.csv [--dry-run]` and the
administrators' upload page, which tells a referrals file by its header row."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from permanence.models import Notification
from permanence.roles import Role
from tracker.importer.referrals import referrals_import
from tracker.models import Child, Referral

from .test_import import import_through_the_page

pytestmark = pytest.mark.django_db

HEADER = "case_number,first_name,last_name,what_happened,date_happened,legal_status,sent_by_email"


@pytest.fixture
def bi(make_user, administrator):
    return make_user(Role.BUSINESS_INTELLIGENCE, email="bi@council.example")


def run(tmp_path, text: str, *args) -> str:
    path = tmp_path / "referrals.csv"
    path.write_text(text)
    out = StringIO()
    call_command("import_referrals", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def test_each_row_is_sent_as_a_referral_and_emailed_once(tmp_path, bi, administrator):
    text = (
        f"{HEADER}\n"
        "NS5001,Rae,Rowe,looked_after,14/12/2026,V2,bi@council.example\n"
        "NS5002,Sol,Stone,care_proceedings,2026-12-15,,BI@council.example\n"
    )
    assert run(tmp_path, text) == "Sent 2 referrals to the panel administrators.\n"
    referrals = Referral.objects.order_by("case_number")
    assert [(r.case_number, r.kind, r.sent_by) for r in referrals] == [
        ("NS5001", "looked_after", bi),
        ("NS5002", "care_proceedings", bi),
    ]
    assert Notification.objects.filter(kind="referral_sent", recipient=administrator).count() == 2


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_sent(tmp_path, bi, make_user):
    make_user(Role.CHAIR, email="chair@council.example")
    text = (
        f"{HEADER}\n"
        "NS5001,Rae,Rowe,adopted,14/12/2026,,bi@council.example\n"
        "NS5002,Sol,Stone,legal_change,2026-12-15,,bi@council.example\n"
        "NS5003,Tam,Tate,looked_after,31/02/2026,,bi@council.example\n"
        "NS5004,Uma,Underwood,looked_after,2026-12-15,,chair@council.example\n"
    )
    with pytest.raises(CommandError, match="has 4 problems"):
        run(tmp_path, text)
    assert Referral.objects.count() == 0


def test_the_problems_in_words(bi):
    text = (
        f"{HEADER}\n"
        "NS5001,Rae,Rowe,adopted,14/12/2026,,bi@council.example\n"
        "NS5002,Sol,Stone,legal_change,2026-12-15,,bi@council.example\n"
        "NS5003,Tam,Tate,looked_after,31/02/2026,,nobody@council.example\n"
    )
    problems = [str(p) for p in referrals_import(data=text.encode()).problems]
    assert problems == [
        "Line 2 (case NS5001): what_happened: “adopted” is not what happened: use one of "
        "looked_after, pre_proceedings, care_proceedings, legal_change",
        "Line 3 (case NS5002): legal_status: Give the child's new legal status",
        "Line 4 (case NS5003): date_happened: “31/02/2026” is not a real date",
        "Line 4 (case NS5003): sent_by_email: Nobody who can sign in has the email address "
        "“nobody@council.example”",
    ]


def test_missing_columns_are_named(tmp_path, bi):
    with pytest.raises(CommandError):
        run(tmp_path, "case_number,first_name,last_name,what_happened\nNS1,A,B,looked_after\n")
    [problem] = referrals_import(data=b"case_number,what_happened\n").problems
    assert str(problem) == (
        "Line 1: Missing columns: first_name, last_name, date_happened, sent_by_email. Every "
        "file needs case_number, first_name, last_name, what_happened, date_happened and "
        "sent_by_email"
    )


def test_a_dry_run_sends_nothing(tmp_path, bi):
    text = f"{HEADER}\nNS5001,Rae,Rowe,looked_after,14/12/2026,,bi@council.example\n"
    assert run(tmp_path, text, "--dry-run") == (
        "Dry run: would send 1 referral to the panel administrators.\n"
    )
    assert Referral.objects.count() == 0 and Notification.objects.count() == 0


def test_the_upload_page_tells_a_referrals_file_by_its_header(
    administrator_client, bi, django_capture_on_commit_callbacks
):
    text = f"{HEADER}\nNS5001,Rae,Rowe,looked_after,14/12/2026,,bi@council.example\n"
    upload = SimpleUploadedFile("new-cla.csv", text.encode(), content_type="text/csv")
    _, response = import_through_the_page(
        administrator_client, django_capture_on_commit_callbacks, {"file": upload}
    )
    assert "Sent 1 referral to the panel administrators." in response.content.decode()
    assert Referral.objects.get().case_number == "NS5001"
    assert not Child.objects.filter(case_number="NS5001").exists(), "a referral, not a child"
