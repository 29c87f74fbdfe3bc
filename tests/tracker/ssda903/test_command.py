"""`manage.py import_ssda903 FILE... [--dry-run]`: the report child by child, field by field;
a return it cannot read exits 1 having saved nothing; refused children exit 2."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracker.models import Child

from .returns import Kid, csv_tables, xml_return

pytestmark = pytest.mark.django_db

GOOD = Kid("1001", episodes=[("01/04/2020", "S", "C2", "U4", "", "")])
AT_LEAST = Kid("1002", episodes=[("01/04/2020", "P", "C2", "U4", "", "")])
BAD = Kid("1003", episodes=[("01/04/2020", "S", "C2", "U4", "01/03/2020", "E13")])


def written(tmp_path, files) -> list[str]:
    paths = []
    for name, data in files:
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    return paths


def command(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_ssda903", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error.returncode
    return out.getvalue(), err.getvalue(), 0


def test_a_dry_run_prints_each_child_field_by_field_and_saves_nothing(tmp_path):
    out, err, status = command(*written(tmp_path, xml_return(GOOD, AT_LEAST)), "--dry-run")
    assert status == 0 and err == ""
    assert "New child 1001:\n  Date of birth: empty → Sunday 1 February 2015\n" in out
    assert "  Legal status: empty → C2 Full care order\n" in out
    assert (
        "Child 1002: looked after since at least 01/04/2020 (the period of care began before "
        "the return)" in out
    )
    assert out.endswith(
        "Dry run: would import 2 of the return's 2 children: 2 would be created, 0 changed, "
        "0 unchanged. 0 refused, 0 with no episodes left alone, 1 looked after since at least "
        "their first date in the return.\n"
    )
    assert not Child.objects.exists()


def test_refused_children_are_listed_the_rest_imported_and_the_exit_status_is_2(tmp_path):
    out, err, status = command(*written(tmp_path, csv_tables(GOOD, BAD)))
    assert status == 2
    assert (
        "Refused: Child 1003: the episode from 01/04/2020 (episodes.csv, line 3) ends "
        "(01/03/2020) before it begins (01/04/2020)" in err
    )
    assert list(Child.objects.values_list("case_number", flat=True)) == ["1001"]


def test_a_return_it_cannot_read_is_refused_whole_by_file_line_and_field(tmp_path):
    files = csv_tables(GOOD)
    files[1] = ("episodes.csv", files[1][1] + b"1004,1/13/2020,S,C2,N1,U4,PR1,,,,,,\r\n")
    out, err, status = command(*written(tmp_path, files))
    assert status == 1
    assert err == "episodes.csv, line 3: DECOM “1/13/2020” is not a real date\n"
    assert not Child.objects.exists()


def test_a_file_that_cannot_be_opened(tmp_path):
    out, err, status = command(str(tmp_path / "missing.csv"))
    assert status == 1 and out == ""
