"""Issue 11: a team an import names that does not exist is refused, with its line, unless the
administrator asks for new teams to be created (the upload's tick box, --create-teams)."""

from dataclasses import asdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from permanence.models import Team
from tests.factories import TeamFactory
from tracker.importer import Problem
from tracker.models import Child

from .test_import import NAMES, csv_bytes, import_lines, import_through_the_page, upload

pytestmark = pytest.mark.django_db

LINES = (f"{NAMES},team", "CN1,Ada,Test,Children in Care East", "CN2,Bea,Test,Permanance Team")
REFUSED = Problem(
    3,
    "CN2",
    "team",
    "There is no team called “Permanance Team”; tick “create new teams” to add it",
)


@pytest.fixture(autouse=True)
def east():
    return TeamFactory(name="Children in Care East")


def test_an_unknown_team_is_refused_with_its_line_and_nothing_is_saved():
    result = import_lines(*LINES)

    assert result.problems == [REFUSED]
    assert str(result.problems[0]) == (
        "Line 3 (case CN2): team: "
        "There is no team called “Permanance Team”; tick “create new teams” to add it"
    )
    assert result.unknown_teams == ["Permanance Team"]
    assert not Child.objects.exists()
    assert list(Team.objects.values_list("name", flat=True)) == ["Children in Care East"]


def test_a_known_team_in_other_letters_is_not_unknown():
    result = import_lines(f"{NAMES},team", "CN1,Ada,Test,CHILDREN IN CARE EAST", "CN2,Bea,Test,")
    assert result.problems == []
    assert Child.objects.get(case_number="CN1").team.name == "Children in Care East"


def test_every_row_naming_an_unknown_team_is_listed():
    result = import_lines(*LINES, "CN3,Cy,Test,permanance team", "CN4,Di,Test,Leaving Care")
    assert [(p.line, p.column) for p in result.problems] == [(3, "team"), (4, "team"), (5, "team")]
    assert result.unknown_teams == ["Permanance Team", "Leaving Care"]


def test_with_create_teams_they_are_created_with_the_children():
    result = import_lines(*LINES, "CN3,Cy,Test,permanance team", create_teams=True)

    assert result.problems == []
    assert result.created_teams == ["Permanance Team"]
    assert sorted(Team.objects.values_list("name", flat=True)) == [
        "Children in Care East",
        "Permanance Team",
    ]
    assert Child.objects.get(case_number="CN3").team.name == "Permanance Team"


def test_with_create_teams_a_bad_row_still_saves_no_team():
    result = import_lines(
        f"{NAMES},team,date_of_birth", "CN1,Ada,Test,New Team,yesterday", create_teams=True
    )
    assert [p.column for p in result.problems] == ["date_of_birth"]
    assert not Team.objects.filter(name="New Team").exists()
    assert not Child.objects.exists()


def test_a_dry_run_refuses_an_unknown_team_too_and_with_create_teams_says_it_would_create_it():
    refused = import_lines(*LINES, dry_run=True)
    assert refused.problems == [REFUSED]

    allowed = import_lines(*LINES, dry_run=True, create_teams=True)
    assert allowed.problems == []
    assert allowed.summary() == (
        "Dry run: would import 2 children: 2 created, 0 updated, 0 unchanged. "
        "Would create teams: Permanance Team."
    )
    assert not Child.objects.exists()
    assert Team.objects.count() == 1


# The command


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "children.csv"
    path.write_bytes(csv_bytes(*LINES))
    return path


def test_the_command_refuses_an_unknown_team_and_says_how_to_create_it(path):
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported: .* has 1 problem."):
        call_command("import_children", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        str(REFUSED),
        "To create Permanance Team, run again with --create-teams.",
    ]
    assert not Child.objects.exists()


def test_the_command_creates_teams_when_asked(path):
    out = StringIO()
    call_command("import_children", str(path), "--create-teams", stdout=out)
    assert out.getvalue() == (
        "Imported 2 children: 2 created, 0 updated, 0 unchanged. Created teams: Permanance Team.\n"
    )
    assert Team.objects.filter(name="Permanance Team").exists()


def test_the_command_dry_run_with_create_teams_creates_nothing(path):
    out = StringIO()
    call_command("import_children", str(path), "--dry-run", "--create-teams", stdout=out)
    assert out.getvalue() == (
        "Dry run: would import 2 children: 2 created, 0 updated, 0 unchanged. "
        "Would create teams: Permanance Team.\n"
    )
    assert Team.objects.count() == 1
    assert not Child.objects.exists()


# The upload page


def test_the_page_offers_create_new_teams_unticked(administrator_client):
    page = administrator_client.get(reverse("tracker:import")).content.decode()
    assert 'name="create_teams"' in page
    assert "Create new teams" in page
    assert 'name="create_teams" checked' not in page


def test_the_page_refuses_an_unknown_team_in_the_problem_table(
    administrator_client, django_capture_on_commit_callbacks
):
    job, response = import_through_the_page(
        administrator_client, django_capture_on_commit_callbacks, {"file": upload("c.csv", *LINES)}
    )

    assert job.result["problems"] == [asdict(REFUSED)]
    page = response.content.decode()
    assert "There is no team called “Permanance Team”" in page
    assert "govuk-error-summary" in page
    assert not Child.objects.exists()


def test_the_page_creates_teams_when_ticked(
    administrator_client, django_capture_on_commit_callbacks
):
    _, response = import_through_the_page(
        administrator_client,
        django_capture_on_commit_callbacks,
        {"file": upload("c.csv", *LINES), "create_teams": "on"},
    )
    assert (
        "Imported 2 children: 2 created, 0 updated, 0 unchanged. Created teams: Permanance Team."
        in response.content.decode()
    )
    assert Child.objects.get(case_number="CN2").team.name == "Permanance Team"


def test_the_page_checks_without_saving_when_both_are_ticked(
    administrator_client, django_capture_on_commit_callbacks
):
    dry_run, response = import_through_the_page(
        administrator_client,
        django_capture_on_commit_callbacks,
        {"file": upload("c.csv", *LINES), "create_teams": "on", "dry_run": "on"},
    )
    assert (
        "Dry run: would import 2 children: 2 created, 0 updated, 0 unchanged. "
        "Would create teams: Permanance Team." in response.content.decode()
    )
    assert Team.objects.count() == 1

    # The import that follows the dry run creates the teams the dry run was asked to.
    with django_capture_on_commit_callbacks(execute=True):
        administrator_client.post(reverse("tracker:import-confirm", args=[dry_run.public_id]))
    assert Child.objects.get(case_number="CN2").team.name == "Permanance Team"
