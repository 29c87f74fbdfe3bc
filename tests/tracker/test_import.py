"""The children import: every reason a row is refused, all or nothing, and re-import."""

from datetime import date
from io import StringIO
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permanence.jobs.models import Job, JobState
from permanence.models import Team
from permanence.roles import Role
from tests.factories import JobFactory, TeamFactory, UserFactory
from tracker import services
from tracker.importer import IMPORT_COLUMNS, Problem, children_import
from tracker.models import Child

pytestmark = pytest.mark.django_db

NAMES = "case_number,first_name,last_name"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def import_lines(*lines: str, **options):
    return children_import(data=csv_bytes(*lines), **options)


@pytest.fixture
def panels():
    call_command("load_panel_presets", stdout=StringIO())


@pytest.fixture
def social_worker():
    return UserFactory(roles=[Role.SOCIAL_WORKER], email="sam.worker@council.example")


@pytest.fixture
def team_manager():
    return UserFactory(roles=[Role.TEAM_MANAGER], email="tia.manager@council.example")


FULL_ROW = {
    "case_number": "CN0042",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "date_of_birth": "2019-04-01",
    "sex": "Female",
    "team": "Children in Care East",
    "social_worker_email": "Sam.Worker@Council.example",
    "team_manager_email": "tia.manager@council.example",
    "panel": "somerset",
    "looked_after_since": "05/01/2026",
    "legal_status": "c2",
    "placement_type": "U4",
    "placement_start": "2026-01-05",
    "pre_proceedings_start": "2025-10-01",
    "proceedings_issued": "2026-01-05",
    "final_order_date": "2026-06-30",
    "first_review_date": "2026-02-02",
    "second_review_date": "2026-05-01",
    "last_review_date": "2026-05-01",
    "primary_plan": "Adoption",
    "contingency_plan": "long_term_fostering",
    "plan_agreed_date": "2026-05-01",
    "placement_order_date": "2026-06-30",
    "match_date": "",
    "placed_for_adoption_date": "",
    "adoption_application_date": "",
    "temporary_approval_date": "2026-01-05",
    "temporary_approval_extended": "yes",
    "full_approval_date": "",
    "last_panel_date": "2026-06-04",
    "permanence_secured_date": "",
    "sibling_group": "SG7",
    "long_term_match_date": "2026-07-01",
    "permanence_planning_meeting_date": "2026-02-16",
    "matching_meeting_date": "",
    "sibling_assessment_required_date": "2026-02-16",
    "sibling_assessment_completed_date": "2026-04-20",
}


def full_file(**changes) -> bytes:
    row = {**FULL_ROW, **changes}
    return csv_bytes(",".join(IMPORT_COLUMNS), ",".join(row[column] for column in IMPORT_COLUMNS))


def test_a_row_with_every_column_creates_the_child_exactly(
    panels, social_worker, team_manager, administrator
):
    result = children_import(data=full_file(), changed_by=administrator, create_teams=True)

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    assert result.created_teams == ["Children in Care East"]
    assert result.summary() == (
        "Imported 1 child: 1 created, 0 updated, 0 unchanged. Created teams: Children in Care East."
    )
    child = Child.objects.get()
    assert child.case_number == "CN0042"
    assert (child.first_name, child.last_name) == ("Ada", "Lovelace")
    assert child.date_of_birth == date(2019, 4, 1)
    assert child.sex == "F"
    assert child.team.name == "Children in Care East"
    assert child.social_worker == social_worker
    assert child.team_manager == team_manager
    assert child.panel.slug == "somerset"
    assert child.looked_after_since == date(2026, 1, 5)
    assert (child.legal_status, child.placement_type) == ("C2", "U4")
    assert child.placement_start == date(2026, 1, 5)
    assert child.pre_proceedings_start == date(2025, 10, 1)
    assert child.proceedings_issued == date(2026, 1, 5)
    assert child.final_order_date == date(2026, 6, 30)
    assert child.first_review_date == date(2026, 2, 2)
    assert child.second_review_date == date(2026, 5, 1)
    assert child.last_review_date == date(2026, 5, 1)
    assert (child.primary_plan, child.contingency_plan) == ("adoption", "long_term_fostering")
    assert child.plan_agreed_date == date(2026, 5, 1)
    assert child.placement_order_date == date(2026, 6, 30)
    assert child.match_date is None
    assert child.temporary_approval_date == date(2026, 1, 5)
    assert child.temporary_approval_extended is True
    assert child.last_panel_date == date(2026, 6, 4)
    assert child.permanence_secured_date is None
    assert child.sibling_group == "SG7"
    assert child.long_term_match_date == date(2026, 7, 1)
    assert child.permanence_planning_meeting_date == date(2026, 2, 16)
    assert child.matching_meeting_date is None
    assert child.sibling_assessment_required_date == date(2026, 2, 16)
    assert child.sibling_assessment_completed_date == date(2026, 4, 20)
    # Derived dates are stored by the service the import writes through.
    assert child.proceedings_deadline == date(2026, 7, 5)
    assert child.next_review_due == date(2026, 11, 1)
    assert child.history.get().history_user == administrator


@pytest.mark.parametrize("text", ["2026-03-02", "02/03/2026", "2/3/2026"])
def test_dates_read_in_either_format(text):
    import_lines(f"{NAMES},proceedings_issued", f"CN1,Ada,Test,{text}")
    assert Child.objects.get().proceedings_issued == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "sex"),
    [("M", "M"), ("m", "M"), ("Male", "M"), ("1", "M"), ("F", "F"), ("female", "F"), ("2", "F")],
)
def test_sex_as_letter_word_or_ssda903_number(text, sex):
    import_lines(f"{NAMES},sex", f"CN1,Ada,Test,{text}")
    assert Child.objects.get().sex == sex


@pytest.mark.parametrize(
    ("text", "extended"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True)]
    + [("no", False), ("n", False), ("false", False), ("0", False), ("", False)],
)
def test_temporary_approval_extended_as_yes_or_no(text, extended):
    import_lines(
        f"{NAMES},temporary_approval_date,temporary_approval_extended",
        f"CN1,Ada,Test,2026-01-05,{text}",
    )
    assert Child.objects.get().temporary_approval_extended is extended


def test_empty_cells_are_unknown():
    import_lines(f"{NAMES},date_of_birth,sex,team,panel,legal_status", "CN1,Ada,Test,,,,,")
    child = Child.objects.get()
    assert child.date_of_birth is None
    assert (child.sex, child.legal_status) == ("", "")
    assert child.team is None and child.panel is None


@pytest.mark.parametrize(
    ("columns", "cells", "column", "reason"),
    [
        (
            "date_of_birth",
            "2026/03/02",
            "date_of_birth",
            "“2026/03/02” is not a date: use YYYY-MM-DD or DD/MM/YYYY",
        ),
        ("date_of_birth", "31/02/2026", "date_of_birth", "“31/02/2026” is not a real date"),
        (
            "legal_status",
            "X9",
            "legal_status",
            "“X9” is not an SSDA903 legal status code (for example C1, C2, E1 or V2)",
        ),
        (
            "placement_type",
            "Q1",
            "placement_type",
            "“Q1” is not an SSDA903 placement type code (for example U4, P1, A5 or K2)",
        ),
        (
            "panel",
            "devon",
            "panel",
            "“devon” is not a panel: the panels are knowsley, lancashire, north-somerset, "
            "somerset, torbay",
        ),
        (
            "social_worker_email",
            "nobody@council.example",
            "social_worker_email",
            "Nobody has the email address “nobody@council.example”",
        ),
        (
            "team_manager_email",
            "nobody@council.example",
            "team_manager_email",
            "Nobody has the email address “nobody@council.example”",
        ),
        (
            "proceedings_issued,final_order_date",
            "2026-03-02,2026-03-01",
            "final_order_date",
            "The final order cannot be before proceedings were issued (2 March 2026)",
        ),
        (
            "second_review_date",
            "2026-05-01",
            "second_review_date",
            "Record the first review before the second",
        ),
        ("sex", "X", "sex", "“X” is not a sex: use M or F (Male or Female, 1 or 2)"),
        (
            "temporary_approval_extended",
            "maybe",
            "temporary_approval_extended",
            "“maybe” is not yes or no",
        ),
        (
            "temporary_approval_extended",
            "yes",
            "temporary_approval_extended",
            "An extension needs a temporary approval date",
        ),
        (
            "primary_plan",
            "fostering",
            "primary_plan",
            "“fostering” is not a plan: use one of reunification, placement_with_parents, "
            "special_guardianship, child_arrangements_order, adoption, long_term_fostering, "
            "connected_person_fostering, residential, staying_put, independence, other",
        ),
        (
            "sibling_group",
            "S" * 31,
            "sibling_group",
            "Ensure this value has at most 30 characters (it has 31).",
        ),
    ],
)
def test_each_bad_cell_is_reported_with_its_line_and_nothing_is_saved(
    panels, columns, cells, column, reason
):
    result = import_lines(f"{NAMES},{columns}", "CN1,Ada,Test,", f"CN2,Bea,Test,{cells}")

    assert result.problems == [Problem(3, "CN2", column, reason)]
    assert not Child.objects.exists()


def test_a_value_the_model_refuses_is_reported_on_every_row_it_is_on():
    """Each date and code is checked once for the file: its problem is still every row's."""
    result = import_lines(
        f"{NAMES},looked_after_since,legal_status",
        "CN1,Ada,Test,1999-12-31,X9",
        "CN2,Bea,Test,2020-01-01,C2",
        "CN3,Cy,Test,1999-12-31,X9",
    )
    assert [(problem.line, problem.column) for problem in result.problems] == [
        (2, "looked_after_since"),
        (2, "legal_status"),
        (4, "looked_after_since"),
        (4, "legal_status"),
    ]
    assert result.problems[2].reason == "Enter a date on or after 1 January 2000"


def test_a_missing_name_and_a_missing_case_number_are_reported():
    result = import_lines(NAMES, "CN1,,Test", ",Bea,Test")
    assert result.problems == [
        Problem(2, "CN1", "first_name", "This field cannot be blank."),
        Problem(3, "", "case_number", "Enter the case number"),
    ]


def test_a_case_number_twice_in_the_file_names_the_earlier_line():
    result = import_lines(NAMES, "CN1,Ada,Test", "CN2,Bea,Test", "CN1,Cy,Test")
    assert result.problems == [
        Problem(4, "CN1", "case_number", "Case number CN1 is already on line 2")
    ]
    assert not Child.objects.exists()


def test_unknown_columns_are_named():
    result = import_lines(f"{NAMES},favourite_colour,Shoe_Size", "CN1,Ada,Test,blue,3")
    assert result.problems == [
        Problem(
            1,
            "",
            "",
            "Unknown columns: favourite_colour, shoe_size. "
            "Use the column names in the template, spelt the same way",
        )
    ]
    assert str(result.problems[0]).startswith("Line 1: Unknown columns: favourite_colour")


def test_missing_required_columns_are_named():
    result = import_lines("case_number,date_of_birth", "CN1,2020-01-01")
    assert result.problems == [
        Problem(
            1,
            "",
            "",
            "Missing columns: first_name, last_name. "
            "Every file needs case_number, first_name and last_name",
        )
    ]


def test_every_bad_row_is_reported_in_line_order_and_good_rows_are_not_saved(panels):
    result = import_lines(
        f"{NAMES},date_of_birth,panel,team",
        "CN1,Ada,Test,2020-01-01,somerset,New Team",
        "CN2,Bea,Test,yesterday,somerset,",
        "CN3,Cy,Test,2020-01-01,torbay,",
        "CN4,Di,Test,2020-01-01,devon,",
        create_teams=True,
    )

    assert [(problem.line, problem.case_number, problem.column) for problem in result.problems] == [
        (3, "CN2", "date_of_birth"),
        (5, "CN4", "panel"),
    ]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert not Child.objects.exists()
    assert not Team.objects.exists()


def test_problems_never_carry_the_childs_name():
    result = import_lines(f"{NAMES},date_of_birth", "CN1,Zebedee,Quist,not-a-date")
    text = " ".join(str(problem) for problem in result.problems)
    assert text == (
        "Line 2 (case CN1): date_of_birth: “not-a-date” is not a date: use YYYY-MM-DD or DD/MM/YYYY"
    )
    assert "Zebedee" not in text and "Quist" not in text


def test_reimport_updates_by_case_number_and_records_who_changed_it(panels):
    first, second = UserFactory(roles=[Role.ADMINISTRATOR]), UserFactory(roles=[Role.ADMINISTRATOR])
    import_lines(f"{NAMES},panel", "CN1,Ada,Test,somerset", "CN2,Bea,Test,", changed_by=first)

    result = import_lines(
        f"{NAMES},panel", "CN1,Ada,Test,torbay", "CN2,Bea,Test,", "CN3,Cy,Test,", changed_by=second
    )

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert result.summary() == "Imported 3 children: 1 created, 1 updated, 1 unchanged."
    changed = Child.objects.get(case_number="CN1")
    assert changed.panel.slug == "torbay"
    assert changed.next_panel_due is None  # no tracking start and no panel date yet
    assert [h.history_user for h in changed.history.order_by("history_date")] == [first, second]
    assert [h.panel.slug for h in changed.history.order_by("history_date")] == [
        "somerset",
        "torbay",
    ]


def test_an_identical_row_is_unchanged_and_writes_no_history(panels, social_worker):
    data = full_file(team_manager_email="")
    children_import(data=data, create_teams=True)
    before = Child.objects.get()

    result = children_import(data=data)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert result.created_teams == []
    after = Child.objects.get()
    assert after.history.count() == 1
    assert after.updated_at == before.updated_at


def test_columns_left_out_of_the_file_keep_their_stored_values():
    import_lines(f"{NAMES},date_of_birth,sibling_group", "CN1,Ada,Test,2020-01-01,SG1")
    result = import_lines(f"{NAMES},sibling_group", "CN1,Ada,Test,SG2")
    assert result.updated == 1
    child = Child.objects.get()
    assert (child.date_of_birth, child.sibling_group) == (date(2020, 1, 1), "SG2")


def test_a_row_that_changes_a_stored_child_is_checked_against_its_other_dates():
    import_lines(f"{NAMES},proceedings_issued", "CN1,Ada,Test,2026-03-02")
    result = import_lines(f"{NAMES},final_order_date", "CN1,Ada,Test,2026-03-01")
    assert result.problems == [
        Problem(
            2,
            "CN1",
            "final_order_date",
            "The final order cannot be before proceedings were issued (2 March 2026)",
        )
    ]
    assert Child.objects.get().final_order_date is None


def test_teams_match_existing_names_ignoring_case_and_new_ones_are_created_once():
    TeamFactory(name="Children in Care East")
    result = import_lines(
        f"{NAMES},team",
        "CN1,Ada,Test,children in care EAST",
        "CN2,Bea,Test,Permanence Team",
        "CN3,Cy,Test,permanence team",
        create_teams=True,
    )
    assert result.created_teams == ["Permanence Team"]
    assert sorted(Team.objects.values_list("name", flat=True)) == [
        "Children in Care East",
        "Permanence Team",
    ]
    assert Child.objects.get(case_number="CN3").team.name == "Permanence Team"


def test_dry_run_checks_fully_and_writes_nothing(panels):
    result = import_lines(
        f"{NAMES},team,panel",
        "CN1,Ada,Test,New Team,somerset",
        "CN2,Bea,Test,,",
        dry_run=True,
        create_teams=True,
    )
    assert result.problems == []
    assert result.summary() == (
        "Dry run: would import 2 children: 2 created, 0 updated, 0 unchanged. "
        "Would create teams: New Team."
    )
    assert not Child.objects.exists()
    assert not Team.objects.exists()

    refused = import_lines(
        f"{NAMES},proceedings_issued,final_order_date",
        "CN1,Ada,Test,2026-03-02,2026-03-01",
        dry_run=True,
    )
    assert [problem.column for problem in refused.problems] == ["final_order_date"]


def test_a_clash_while_writing_undoes_everything():
    real_write = services.children_bulk_write

    def someone_adds_cn2_meanwhile(**kwargs):
        Child.objects.create(case_number="CN2", first_name="Other", last_name="Child")
        return real_write(**kwargs)

    with mock.patch(
        "tracker.importer.children.children_bulk_write", side_effect=someone_adds_cn2_meanwhile
    ):
        result = import_lines(
            f"{NAMES},team", "CN1,Ada,Test,New Team", "CN2,Bea,Test,", create_teams=True
        )

    assert len(result.problems) == 1
    assert result.problems[0].line == 1
    assert "The tracker changed while the file was being imported" in result.problems[0].reason
    assert (result.created, result.created_teams) == (0, [])
    assert not Child.objects.exists()
    assert not Team.objects.exists()


def test_a_byte_order_mark_and_excel_windows_text_are_read():
    result = children_import(data=b"\xef\xbb\xbf" + csv_bytes(NAMES, "CN1,Zoë,Test"))
    assert result.problems == []
    windows = children_import(data=csv_bytes(NAMES, "CN2,Zoë,Brontë", encoding="cp1252"))
    assert windows.problems == []
    assert list(Child.objects.order_by("case_number").values_list("first_name", "last_name")) == [
        ("Zoë", "Test"),
        ("Zoë", "Brontë"),
    ]


def test_header_names_ignore_case_and_spaces_and_empty_rows_are_skipped():
    result = import_lines(" Case_Number , First_Name,LAST_NAME", "CN1,Ada,Test", ",,", "")
    assert result.created == 1


def test_excel_short_rows_are_padded_but_a_value_outside_the_columns_is_refused():
    assert import_lines(f"{NAMES},sibling_group", "CN1,Ada,Test").created == 1
    result = import_lines(NAMES, "CN2,Bea,Test,stray")
    assert result.problems == [
        Problem(2, "CN2", "", "Cell 4 has a value but no column name in the header")
    ]


def test_the_exports_calculated_columns_are_ignored_and_a_repeated_column_must_agree():
    header = f"{NAMES},last_panel_date,next_review_due,last_panel_date,flags"
    ok = import_lines(header, "CN1,Ada,Test,2026-06-04,2026-09-01,2026-06-04,review_overdue")
    assert ok.problems == []
    assert Child.objects.get().last_panel_date == date(2026, 6, 4)

    result = import_lines(header, "CN1,Ada,Test,2026-06-04,,2026-07-01,")
    assert result.problems == [
        Problem(
            2,
            "CN1",
            "last_panel_date",
            "The last_panel_date columns disagree: “2026-06-04” and “2026-07-01”",
        )
    ]


def test_an_empty_file_and_a_non_text_file_are_refused():
    assert children_import(data=b"").problems == [Problem(1, "", "", "The file is empty")]
    assert children_import(data=b"\x81\x8d\x8f\x90").problems == [
        Problem(
            1,
            "",
            "",
            "The file is saved as an encoding that is neither UTF-8 nor Windows-1252, which "
            "the import cannot read: save it from your spreadsheet as CSV UTF-8",
        )
    ]


# The command


def write(tmp_path, *lines: str):
    path = tmp_path / "children.csv"
    path.write_bytes(csv_bytes(*lines))
    return path


def test_command_imports_and_prints_the_counts(tmp_path):
    path = write(tmp_path, NAMES, "CN1,Ada,Test", "CN2,Bea,Test")
    out = StringIO()
    call_command("import_children", str(path), stdout=out)
    assert out.getvalue() == "Imported 2 children: 2 created, 0 updated, 0 unchanged.\n"
    assert Child.objects.count() == 2
    assert all(child.history.get().history_user is None for child in Child.objects.all())


def test_command_dry_run_says_what_it_would_do(tmp_path):
    path = write(tmp_path, NAMES, "CN1,Ada,Test")
    out = StringIO()
    call_command("import_children", str(path), "--dry-run", stdout=out)
    assert out.getvalue() == "Dry run: would import 1 child: 1 created, 0 updated, 0 unchanged.\n"
    assert not Child.objects.exists()


def test_command_prints_every_bad_row_and_fails(tmp_path):
    path = write(
        tmp_path,
        f"{NAMES},proceedings_issued,final_order_date",
        "CN1,Ada,Test,2026-03-02,2026-03-01",
        "CN2,Bea,Test,2026-03-02,",
        "CN1,Cy,Test,,",
    )
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_children", str(path), stderr=err)
    assert str(failed.value) == f"Nothing imported: {path} has 2 problems."
    assert err.getvalue().splitlines() == [
        "Line 2 (case CN1): final_order_date: "
        "The final order cannot be before proceedings were issued (2 March 2026)",
        "Line 4 (case CN1): case_number: Case number CN1 is already on line 2",
    ]
    assert not Child.objects.exists()


def test_command_exit_status_is_non_zero_on_a_bad_file(tmp_path, capsys):
    path = write(tmp_path, NAMES, "CN1,Ada,Test", "CN1,Bea,Test")
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_children", str(path)])
    assert exited.value.code == 1
    assert "Line 3 (case CN1): case_number: Case number CN1 is already on line 2" in (
        capsys.readouterr().err
    )


def test_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.csv: No such file or directory"):
        call_command("import_children", str(tmp_path / "missing.csv"))


# The upload page


def upload(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(*lines) if lines else b"", "text/csv")


def import_through_the_page(client, capture, fields: dict):
    """Post the upload form, let its job run (Celery is eager in the tests), and open the
    job's page it redirects to."""
    with capture(execute=True):
        posted = client.post(reverse("tracker:import"), fields)
    assert posted.status_code == 302, posted.content.decode()
    job = Job.objects.get(public_id=posted.url.split("/")[-2])
    assert posted.url == reverse("job", args=[job.public_id])
    return job, client.get(posted.url)


def test_administrator_imports_a_file_and_sees_the_counts(
    administrator_client, administrator, django_capture_on_commit_callbacks
):
    page = administrator_client.get(reverse("tracker:import"))
    assert page.status_code == 200
    assert 'type="file"' in page.content.decode()
    assert reverse("tracker:import-template") in page.content.decode()

    job, response = import_through_the_page(
        administrator_client,
        django_capture_on_commit_callbacks,
        {
            "file": upload("children.csv", f"{NAMES},team", "CN1,Ada,Test,Blue Team"),
            "create_teams": "on",
        },
    )

    assert job.requested_by == administrator
    assert (job.state, job.params) == (JobState.SUCCEEDED, {"dry_run": False, "create_teams": True})
    html = response.content.decode()
    assert "children.csv is imported" in html
    assert "Imported 1 child: 1 created, 0 updated, 0 unchanged. Created teams: Blue Team." in html
    assert "Import this file" not in html
    assert Child.objects.get().history.get().history_user == administrator


def test_the_import_says_how_far_it_has_got(administrator, monkeypatch):
    """The job's page hears how many rows are checked, and in an import saved, a batch at a
    time: each batch is written before the next is read."""
    monkeypatch.setattr("tracker.importer.children.BATCH", 2)
    lines = csv_bytes(NAMES, *(f"CN{n},Ada,Test" for n in range(1, 6)))
    seen = []

    def progress(done, total, step):
        seen.append((done, total, step, Child.objects.count()))

    children_import(data=lines, dry_run=True, progress=progress)
    assert seen == [(done, 5, "Checking rows", 0) for done in (0, 2, 4, 5)]

    seen.clear()
    children_import(data=lines, changed_by=administrator, progress=progress)
    assert seen == [(done, 5, "Checking and saving rows", done) for done in (0, 2, 4, 5)]


def test_a_problem_in_a_later_batch_undoes_the_batches_written_before_it(monkeypatch):
    monkeypatch.setattr("tracker.importer.children.BATCH", 2)
    result = import_lines(
        f"{NAMES},team,date_of_birth",
        "CN1,Ada,Test,New Team,",
        "CN2,Bea,Test,,",
        "CN3,Cy,Test,,",
        "CN4,Di,Test,,not-a-date",
        "CN5,Ed,Test,,",
        "CN1,Fay,Test,,",
        create_teams=True,
    )
    assert [(problem.line, problem.column) for problem in result.problems] == [
        (5, "date_of_birth"),
        (7, "case_number"),  # the rest of the file is still checked, against every line
    ]
    assert "already on line 2" in result.problems[1].reason
    assert (result.created, result.created_teams) == (0, [])
    assert not Child.objects.exists()
    assert not Child.history.exists()
    assert not Team.objects.exists()


def test_a_reimport_writes_each_child_only_what_changed_with_its_history(panels, monkeypatch):
    monkeypatch.setattr("tracker.importer.children.BATCH", 2)
    first, second = UserFactory(roles=[Role.ADMINISTRATOR]), UserFactory(roles=[Role.ADMINISTRATOR])
    header = f"{NAMES},panel,sibling_group,proceedings_issued"
    import_lines(
        header,
        "CN1,Ada,Test,somerset,,2026-01-05",
        "CN2,Bea,Test,torbay,SG1,",
        "CN3,Cy,Test,torbay,,",
        changed_by=first,
    )
    before = {child.case_number: child for child in Child.objects.all()}

    result = import_lines(
        header,
        "CN1,Ada,Test,torbay,,2026-01-05",
        "CN2,Bea,Test,torbay,SG2,",
        "CN3,Cy,Test,torbay,,",
        changed_by=second,
    )

    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    after = {child.case_number: child for child in Child.objects.select_related("panel")}
    assert (after["CN1"].panel.slug, after["CN1"].sibling_group) == ("torbay", "")
    assert (after["CN2"].panel.slug, after["CN2"].sibling_group) == ("torbay", "SG2")
    # Derived dates follow the new panel's interval; the version tells an open form.
    assert after["CN1"].next_panel_due == date(2026, 4, 5)
    assert after["CN1"].version == before["CN1"].version + 1
    assert after["CN3"].version == before["CN3"].version
    assert after["CN3"].updated_at == before["CN3"].updated_at
    history = Child.history.order_by("history_id")
    assert [(row.case_number, row.history_type, row.history_user) for row in history] == [
        ("CN1", "+", first),
        ("CN2", "+", first),
        ("CN3", "+", first),
        ("CN1", "~", second),
        ("CN2", "~", second),
    ]
    assert [row.panel.slug for row in after["CN1"].history.order_by("history_id")] == [
        "somerset",
        "torbay",
    ]


@pytest.mark.postgres
def test_the_import_writes_a_batch_in_the_same_queries_however_many_rows(panels):
    """COPY, then one statement for the new children, one for the changed and one for each
    one's history: never a query a row."""

    def queries(rows: int) -> int:
        header = f"{NAMES},panel"
        old = [f"OLD{rows}-{n},Ada,Test,torbay" for n in range(rows)]
        import_lines(header, *old)
        changed = [line.replace("torbay", "somerset") for line in old]
        new = [f"NEW{rows}-{n},Bea,Test,somerset" for n in range(rows)]
        with CaptureQueriesContext(connection) as captured:
            result = import_lines(header, *changed, *new)
        assert (result.created, result.updated) == (rows, rows)
        return len(captured)

    assert queries(3) == queries(30)


def test_administrator_checks_a_file_then_imports_it_without_uploading_it_again(
    administrator_client, administrator, django_capture_on_commit_callbacks
):
    dry_run, response = import_through_the_page(
        administrator_client,
        django_capture_on_commit_callbacks,
        {"file": upload("children.csv", NAMES, "CN1,Ada,Test"), "dry_run": "on"},
    )
    html = response.content.decode()
    assert "children.csv has no problems" in html
    assert "Dry run: would import 1 child: 1 created, 0 updated, 0 unchanged." in html
    assert not Child.objects.exists()
    confirm = reverse("tracker:import-confirm", args=[dry_run.public_id])
    assert f'action="{confirm}"' in html

    with django_capture_on_commit_callbacks(execute=True):
        posted = administrator_client.post(confirm)
    imported = Job.objects.get(source=dry_run)
    assert posted.url == reverse("job", args=[imported.public_id])
    assert imported.state == JobState.SUCCEEDED
    assert not imported.files.exists(), "the dry run's file, not a second upload"
    assert Child.objects.get().case_number == "CN1"
    html = administrator_client.get(posted.url).content.decode()
    assert "Imported 1 child: 1 created, 0 updated, 0 unchanged." in html

    # A second click (or the back button) imports nothing twice: it goes to the same import.
    again = administrator_client.post(confirm)
    assert again.url == posted.url
    assert Job.objects.filter(source=dry_run).count() == 1
    dry_run_page = administrator_client.get(reverse("job", args=[dry_run.public_id]))
    assert "See the import of this file" in dry_run_page.content.decode()
    assert "Import this file" not in dry_run_page.content.decode()


def test_only_a_clean_dry_run_can_be_imported(
    administrator_client, django_capture_on_commit_callbacks
):
    refused, _ = import_through_the_page(
        administrator_client,
        django_capture_on_commit_callbacks,
        {"file": upload("children.csv", NAMES, ",Ada,Test"), "dry_run": "on"},
    )
    assert refused.state == JobState.FAILED
    response = administrator_client.post(
        reverse("tracker:import-confirm", args=[refused.public_id]), follow=True
    )
    assert "Only a file whose check found no problems can be imported." in (
        response.content.decode()
    )
    assert not Job.objects.filter(source=refused).exists()
    assert not Child.objects.exists()


def test_a_dry_run_whose_file_has_been_deleted_asks_for_it_again(
    administrator_client, django_capture_on_commit_callbacks
):
    dry_run, _ = import_through_the_page(
        administrator_client,
        django_capture_on_commit_callbacks,
        {"file": upload("children.csv", NAMES, "CN1,Ada,Test"), "dry_run": "on"},
    )
    for job_file in dry_run.files.all():
        job_file.file.delete()
    with django_capture_on_commit_callbacks(execute=True):
        posted = administrator_client.post(
            reverse("tracker:import-confirm", args=[dry_run.public_id])
        )
    html = administrator_client.get(posted.url).content.decode()
    assert "is no longer kept" in html and "upload it again" in html
    assert not Child.objects.exists()


def test_a_bad_file_shows_every_problem_in_a_table_and_saves_nothing(
    administrator_client, django_capture_on_commit_callbacks
):
    job, response = import_through_the_page(
        administrator_client,
        django_capture_on_commit_callbacks,
        {
            "file": upload(
                "children.csv",
                f"{NAMES},date_of_birth",
                "CN1,Ada,Test,2020-01-01",
                "CN2,Bea,Test,31/02/2020",
            )
        },
    )

    assert job.state == JobState.FAILED
    assert job.result["problems"] == [
        {
            "line": 3,
            "case_number": "CN2",
            "column": "date_of_birth",
            "reason": "“31/02/2020” is not a real date",
        }
    ]
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The file has 1 problem, listed below. Nothing has been saved" in html
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m">Problems in children.csv'
        in html
    )
    assert '<td class="govuk-table__cell">“31/02/2020” is not a real date</td>' in html
    assert reverse("tracker:import") in html
    assert not Child.objects.exists()


@pytest.mark.parametrize(
    ("name", "lines", "error"),
    [
        ("children.xlsx", (NAMES, "CN1,Ada,Test"), "The selected file must be a CSV"),
        ("children.csv", (), "The selected file is empty"),
    ],
)
def test_uploads_that_are_not_csv_or_are_empty_are_refused(
    administrator_client, name, lines, error
):
    response = administrator_client.post(reverse("tracker:import"), {"file": upload(name, *lines)})
    assert response.context["form"].errors == {"file": [error]}
    assert not Child.objects.exists()


def test_an_upload_over_the_limit_is_refused(administrator_client):
    with mock.patch("tracker.forms_import.MAX_UPLOAD_BYTES", 10):
        response = administrator_client.post(
            reverse("tracker:import"), {"file": upload("children.csv", NAMES, "CN1,Ada,Test")}
        )
    assert response.context["form"].errors == {
        "file": ["The selected file must be smaller than 10MB"]
    }


def test_no_file_selected(administrator_client):
    response = administrator_client.post(reverse("tracker:import"), {})
    assert response.context["form"].errors == {"file": ["Select a CSV file"]}


def test_only_administrators_may_import(client, administrator):
    worker = UserFactory(roles=[Role.SOCIAL_WORKER])
    client.force_login(worker)
    assert client.get(reverse("tracker:import")).status_code == 403
    posted = client.post(reverse("tracker:import"), {"file": upload("c.csv", NAMES, "CN1,A,B")})
    assert posted.status_code == 403
    assert client.get(reverse("tracker:import-template")).status_code == 403
    dry_run = JobFactory(
        kind="tracker.import_children", params={"dry_run": True}, requested_by=administrator
    )
    confirm = client.post(reverse("tracker:import-confirm", args=[dry_run.public_id]))
    assert confirm.status_code == 403
    assert not Job.objects.exclude(pk=dry_run.pk).exists()
    assert not Child.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("tracker:import"))
    assert response.status_code == 302
    assert response.url == f"/sign-in/?next={reverse('tracker:import')}"


def test_template_csv_is_the_header_row_in_order(administrator_client):
    response = administrator_client.get(reverse("tracker:import-template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="children-import-template.csv"'
    assert response.content.decode() == (
        "case_number,first_name,last_name,date_of_birth,sex,team,social_worker_email,"
        "team_manager_email,panel,looked_after_since,legal_status,placement_type,"
        "placement_start,pre_proceedings_start,proceedings_issued,final_order_date,"
        "first_review_date,second_review_date,last_review_date,primary_plan,contingency_plan,"
        "plan_agreed_date,placement_order_date,match_date,placed_for_adoption_date,"
        "adoption_application_date,temporary_approval_date,temporary_approval_extended,"
        "full_approval_date,last_panel_date,permanence_secured_date,sibling_group,"
        "long_term_match_date,permanence_planning_meeting_date,matching_meeting_date,"
        "sibling_assessment_required_date,sibling_assessment_completed_date\r\n"
    )
