"""The tracker as a table: CSV or XLSX, the same columns from the page and the command.

The columns are the import columns, so an exported CSV re-imports with no changes,
followed by the stored derived dates and the flags raised as of a date. Rows are read in
chunks, so a large tracker is never held in memory at once.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import chain
from typing import IO

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .flags import raised, with_flags
from .importer import IMPORT_COLUMNS
from .models import Child

# last_panel_date appears twice on purpose: once among the import columns (what the file
# round-trips) and once beside the other dates panel works from.
EXPORT_COLUMNS = (
    *IMPORT_COLUMNS,
    "next_review_due",
    "proceedings_deadline",
    "last_panel_date",
    "next_panel_due",
    "flags",
)
CHUNK_SIZE = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(child: Child, column: str):
    """The cell for a column, typed: dates stay dates, unknown is None."""
    if column == "team":
        return child.team.name if child.team else None
    if column == "panel":
        return child.panel.slug if child.panel else None
    if column in ("social_worker_email", "team_manager_email"):
        user = getattr(child, column.removesuffix("_email"))
        return user.email if user else None
    if column == "temporary_approval_extended":
        return "yes" if child.temporary_approval_extended else "no"
    if column == "flags":
        return ";".join(sorted(flag.code for flag in raised(child)))
    return getattr(child, column)


def tracker_rows(children: QuerySet[Child], *, as_of: date) -> Iterator[list]:
    """One list of typed cells per child, in EXPORT_COLUMNS order, read in chunks."""
    children = with_flags(children, as_of).select_related(
        "team", "social_worker", "team_manager", "panel"
    )
    for child in children.iterator(chunk_size=CHUNK_SIZE):
        yield [_value(child, column) for column in EXPORT_COLUMNS]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Echo:
    """A file that hands each line back, so csv.writer can feed a streaming response."""

    def write(self, line: str) -> str:
        return line


def csv_lines(children: QuerySet[Child], *, as_of: date) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for row in tracker_rows(children, as_of=as_of):
        yield writer.writerow([_csv_cell(value) for value in row])


def write_csv(children: QuerySet[Child], *, as_of: date, out: IO[str]) -> None:
    out.writelines(csv_lines(children, as_of=as_of))


def _xlsx_cells(sheet, row: Iterable) -> list:
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


def write_xlsx(children: QuerySet[Child], *, as_of: date, out: IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Tracker {as_of.isoformat()}")
    sheet.append(EXPORT_COLUMNS)
    for row in tracker_rows(children, as_of=as_of):
        sheet.append(_xlsx_cells(sheet, row))
    workbook.save(out)


def export_response(children: QuerySet[Child], *, as_of: date, file_format: str):
    """The download of these children (already filtered and scoped by the caller)."""
    filename = f"tracker-{as_of.isoformat()}.{file_format}"
    if file_format == "csv":
        # The byte order mark tells Excel the file is UTF-8, so names keep their accents.
        response = StreamingHttpResponse(
            chain(["\ufeff"], csv_lines(children, as_of=as_of)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if file_format == "xlsx":
        # A temporary file rather than memory or shared storage: it lives only for this
        # response, on whichever web process serves it.
        out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        write_xlsx(children, as_of=as_of, out=out)
        out.seek(0)
        return FileResponse(
            out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
        )
    raise ValueError(f"Unknown export format: {file_format}")
