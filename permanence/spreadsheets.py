"""Cells for CSV and XLSX downloads that a spreadsheet never runs as a formula.

Every app's tables go out through these rules: the tracker export, the minutes-as-tracker,
and any report with a download.
"""

import csv
import re
from collections.abc import Iterable
from datetime import date
from io import BytesIO, StringIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's "CSV
# injection"), so the export puts a ' before it: = + - @, also after leading spaces (which
# Excel and LibreOffice skip) and in their full-width forms (which Excel reads as the same
# signs), and a tab or carriage return. Values that already start with ' and one of these get
# one more ', so that taking exactly one ' off on the way back in is always right.
FORMULA_START = re.compile(r"'*(\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r])")


def neutralised(text: str) -> str:
    """The text, with a ' before it when a spreadsheet would run it as a formula; the
    importer takes the ' off again."""
    return f"'{text}" if FORMULA_START.match(text) else text


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralised(str(value))


def xlsx_cells(sheet, row: Iterable) -> list:
    """The row's cells: dates and numbers typed, text always text. A text cell a spreadsheet
    would run as a formula is marked as Excel marks a cell typed with a leading ': shown
    as it is, and still text when someone edits it (a plain text cell would become a
    formula then). The control characters an XLSX file cannot hold are taken out."""
    cells = []
    for value in row:
        if not isinstance(value, str):
            cells.append(value)
            continue
        if not value:
            cells.append(None)  # an empty cell, which the file leaves out
            continue
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        if FORMULA_START.match(text):
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # never a formula, whatever openpyxl made of "=…"
            cell.quotePrefix = True
            cells.append(cell)
        else:
            # Plain text as it is: openpyxl only makes "=…" a formula, which FORMULA_START
            # takes, and a cell built here for every text was a fifth of a large export.
            cells.append(text)
    return cells


def table_response(
    *, columns: tuple[str, ...], rows: Iterable[list], filename: str, file_format: str
):
    """A small table (a meeting's worth of rows, a page of a report) as a CSV or XLSX
    download, so a spreadsheet never runs a cell as a formula."""
    if file_format == "csv":
        out = StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([csv_cell(value) for value in row] for row in rows)
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(filename[:31])
        sheet.append([WriteOnlyCell(sheet, value=column) for column in columns])
        for row in rows:
            sheet.append(xlsx_cells(sheet, row))
        out = BytesIO()
        workbook.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise ValueError(f"Unknown export format: {file_format}")
