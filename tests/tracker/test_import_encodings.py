"""The encodings a spreadsheet saves CSV in: UTF-8 with or without a byte order mark, and
Windows-1252 (Excel's plain "CSV" on Windows), are read; anything else is refused, naming
the encoding, and nothing is saved."""

import codecs

import pytest

from tracker.importer import Problem, children_import
from tracker.models import Child

pytestmark = pytest.mark.django_db

LINES = "case_number,first_name,last_name\r\nCN1,Zoë,O’Brien-Siân\r\n"


@pytest.mark.parametrize(
    "data",
    [
        LINES.encode("utf-8"),
        codecs.BOM_UTF8 + LINES.encode("utf-8"),
        LINES.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8 with BOM", "windows-1252"],
)
def test_utf8_with_or_without_a_bom_and_windows_1252_are_read(data):
    assert children_import(data=data).problems == []
    child = Child.objects.get()
    assert (child.case_number, child.first_name, child.last_name) == (
        "CN1",
        "Zoë",
        "O’Brien-Siân",
    )


def refusal(encoding: str) -> list[Problem]:
    reason = (
        f"The file is saved as {encoding}, which the import cannot read: save it from your "
        "spreadsheet as CSV UTF-8"
    )
    return [Problem(1, "", "", reason)]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (LINES.encode("utf-16"), "UTF-16"),
        (codecs.BOM_UTF16_BE + LINES.encode("utf-16-be"), "UTF-16"),
        (LINES.encode("utf-32"), "UTF-32"),
        (LINES.encode("utf-16-le"), "UTF-16 or another encoding that is not UTF-8"),
        (b"case_number\r\n\x81\x8d\r\n", "an encoding that is neither UTF-8 nor Windows-1252"),
    ],
    ids=["utf-16 le", "utf-16 be", "utf-32", "utf-16 without a bom", "undefined bytes"],
)
def test_any_other_encoding_is_refused_by_name(data, encoding):
    assert children_import(data=data).problems == refusal(encoding)
    assert not Child.objects.exists()
