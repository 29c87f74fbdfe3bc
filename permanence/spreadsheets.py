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

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's "CSV
# injection"), so the export puts a ' before it. Values that already start with ' and one of
# these get one more ', so that taking exactly one ' off on the way back in is always right.
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A spreadsheet would run it as a formula; the importer takes the ' off again.
    return f"'{text}" if FORMULA_START.match(text) else text


def xlsx_cells(sheet, row: Iterable) -> list:
    cells = []
    for value in row:
        if isinstance(value, str) and value.startswith("="):
            # openpyxl would store it as a formula; a name or reference is only ever text.
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
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
