"""The tracker export: exact columns and values, flags as of a date, CSV round trip, XLSX."""

import csv
from datetime import date, datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from tests.factories import UserFactory
from tracker import services
from tracker.exports import EXPORT_COLUMNS, XLSX_COLUMNS, export_response
from tracker.flags import with_flags
from tracker.importer import children_import
from tracker.models import Child

from .test_import import full_file

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 22)
HEADER = (
    "case_number,first_name,last_name,date_of_birth,sex,team,social_worker_email,"
    "team_manager_email,panel,looked_after_since,legal_status,placement_type,placement_start,"
    "pre_proceedings_start,proceedings_issued,final_order_date,first_review_date,"
    "second_review_date,last_review_date,primary_plan,contingency_plan,plan_agreed_date,"
    "placement_order_date,match_date,placed_for_adoption_date,adoption_application_date,"
    "temporary_approval_date,temporary_approval_extended,full_approval_date,last_panel_date,"
    "permanence_secured_date,sibling_group,long_term_match_date,"
    "next_review_due,proceedings_deadline,next_panel_due,flags,panel_review_frequency,"
    "permanence_planning_meeting_date,matching_meeting_date,sibling_assessment_required_date,"
    "sibling_assessment_completed_date"
)
ADA = (
    "CN0042,Ada,Lovelace,2019-04-01,F,Children in Care East,sam.worker@council.example,"
    "tia.manager@council.example,somerset,2026-01-05,C2,U4,2026-01-05,2025-10-01,2026-01-05,,"
    "2026-02-02,2026-05-01,2026-05-01,adoption,long_term_fostering,2026-05-01,2026-03-01,,,,"
    "2026-01-05,no,,2026-06-04,,SG7,2026-07-01,"
    "2026-11-01,2026-07-05,2026-09-04,"
    "not_discussed_at_panel;placement_order_no_match;proceedings_over_26_weeks;review_overdue;"
    "temporary_approval_expired,,"
    "2026-02-16,,2026-02-16,2026-04-20"
)


@pytest.fixture
def ada():
    """A child with nearly every column filled, imported as a council would."""
    call_command("load_panel_presets", stdout=StringIO())
    UserFactory(email="sam.worker@council.example")
    UserFactory(email="tia.manager@council.example")
    result = children_import(
        data=full_file(
            final_order_date="",
            placement_order_date="2026-03-01",
            temporary_approval_extended="no",
        ),
        create_teams=True,
    )
    assert result.problems == []
    return Child.objects.get(case_number="CN0042")


def export_csv(*options: str) -> str:
    out = StringIO()
    call_command("export_tracker", *options, stdout=out)
    return out.getvalue()


def test_the_chairs_frequency_follows_the_flags(ada):
    services.child_update(
        child=ada,
        panel_review_every=6,
        panel_review_unit="weeks",
        last_panel_date=date(2026, 10, 1),
    )
    row = export_csv("--as-of", "2026-11-22").splitlines()[1].split(",")
    assert row[EXPORT_COLUMNS.index("flags") + 1] == "every 6 weeks"
    assert row[EXPORT_COLUMNS.index("next_panel_due")] == "2026-11-12"


def test_columns_are_the_import_columns_then_the_derived_dates_and_flags():
    assert ",".join(EXPORT_COLUMNS) == HEADER
    assert EXPORT_COLUMNS.count("last_panel_date") == 1


def test_csv_holds_every_value_exactly(ada):
    assert export_csv("--as-of", "2026-11-22") == f"{HEADER}\r\n{ADA}\r\n"


def test_flags_are_those_raised_as_of_the_date(ada):
    def flags_on(as_of: str) -> str:
        rows = list(csv.DictReader(StringIO(export_csv("--as-of", as_of))))
        return rows[0]["flags"]

    assert flags_on("2026-04-27") == ""
    assert flags_on("2026-06-01") == "temporary_approval_expired"
    assert flags_on("2026-11-22") == (
        "not_discussed_at_panel;placement_order_no_match;proceedings_over_26_weeks;"
        "review_overdue;temporary_approval_expired"
    )


def test_secured_children_are_exported_without_flags_and_unknowns_are_empty(ada):
    services.child_create(
        case_number="CN0001",
        first_name="Bea",
        last_name="Secure",
        looked_after_since=date(2025, 1, 6),
        permanence_secured_date=date(2026, 2, 1),
    )
    rows = {row[0]: row for row in csv.reader(StringIO(export_csv("--as-of", "2026-11-22")))}
    assert rows["CN0001"] == [
        "CN0001",
        "Bea",
        "Secure",
        *[""] * 6,
        "2025-01-06",
        *[""] * 17,
        "no",
        "",
        "",
        "2026-02-01",
        "",
        "",  # no long-term match
        "2025-02-03",  # the first review, 20 working days after 6 January 2025
        "",
        "2025-04-06",  # tracking start + 3 months: never discussed at panel
        "",
        "",  # no review frequency set by a chair
        *[""] * 4,  # no key planning dates
    ]


def test_exported_csv_reimports_with_no_changes(ada):
    services.child_create(case_number="CN0002", first_name="Zoë", last_name="Brontë")
    services.child_create(
        case_number="CN0003",
        first_name="Cy",
        last_name="Test",
        temporary_approval_date=date(2026, 2, 2),
        temporary_approval_extended=True,
        permanence_secured_date=date(2026, 9, 1),
    )
    exported = export_csv("--as-of", "2026-11-22")

    result = children_import(data=exported.encode())

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert sum(child.history.count() for child in Child.objects.all()) == 3


def test_the_download_streams_csv_that_excel_reads_as_utf8(ada):
    response = export_response(Child.objects.all(), as_of=AS_OF, file_format="csv")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tracker-2026-11-22.csv"'
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body == f"\ufeff{HEADER}\r\n{ADA}\r\n"


def test_the_download_exports_only_the_children_it_is_given(ada):
    services.child_create(case_number="CN0002", first_name="Bea", last_name="Test")
    # The tracker page passes its filtered queryset, sometimes already annotated with flags.
    children = with_flags(Child.objects.filter(case_number="CN0042"), AS_OF)
    response = export_response(children, as_of=AS_OF, file_format="csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == [HEADER, ADA]


def test_the_export_reads_children_in_one_query_however_many(ada, django_assert_num_queries):
    for number in range(5):
        services.child_create(case_number=f"CN1{number}", first_name="A", last_name="B")
    with django_assert_num_queries(1):
        export_csv("--as-of", "2026-11-22")


def test_xlsx_holds_real_dates_and_text_is_never_a_formula(ada, tmp_path):
    services.child_create(case_number="CN0002", first_name="=1+1", last_name="Test")
    path = tmp_path / "tracker.xlsx"

    call_command("export_tracker", "--format", "xlsx", "--as-of", "2026-11-22", "--output", path)

    sheet = load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Tracker 2026-11-22"
    # The XLSX has a readable label beside each code column (issue 11).
    assert rows[0] == XLSX_COLUMNS
    by_case = {row[0]: dict(zip(XLSX_COLUMNS, row, strict=False)) for row in rows[1:]}
    assert by_case["CN0042"]["date_of_birth"] == datetime(2019, 4, 1)
    assert by_case["CN0042"]["proceedings_deadline"] == datetime(2026, 7, 5)
    assert by_case["CN0042"]["final_order_date"] is None
    assert by_case["CN0042"]["temporary_approval_extended"] == "no"
    assert by_case["CN0042"]["flags"].startswith("not_discussed_at_panel;")
    assert by_case["CN0002"]["first_name"] == "=1+1"


def test_the_xlsx_download_is_a_file(ada):
    response = export_response(Child.objects.all(), as_of=AS_OF, file_format="xlsx")

    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"] == 'attachment; filename="tracker-2026-11-22.xlsx"'
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["case_number", "CN0042"]


def test_the_command_writes_csv_to_a_file(ada, tmp_path):
    path = tmp_path / "tracker.csv"
    call_command("export_tracker", "--as-of", "2026-11-22", "--output", path)
    assert path.read_bytes() == f"{HEADER}\r\n{ADA}\r\n".encode()


def test_the_command_needs_an_output_file_for_xlsx_and_a_real_date():
    with pytest.raises(CommandError, match=r"--output FILE is needed for --format xlsx"):
        call_command("export_tracker", "--format", "xlsx")
    with pytest.raises(CommandError, match=r"--as-of “22/11/2026” is not a date"):
        call_command("export_tracker", "--as-of", "22/11/2026")
