"""The tracker as a table: CSV or XLSX, the same columns from the page and the command.

The columns are the import columns, so an exported CSV re-imports with no changes,
followed by the stored derived dates and the flags raised as of a date. Rows come in the
order they are given (the tracker page's sort) and are read in chunks, so a large tracker
is never held in memory at once.

The CSV is for machines: codes, and a ' before any cell a spreadsheet would run as a
formula, which the importer takes off again. The XLSX is for people: a frozen, filterable
header and a readable label beside each code. It is not meant to be imported.
"""

import csv
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from itertools import chain
from operator import attrgetter
from types import SimpleNamespace
from typing import IO

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from permanence.spreadsheets import XLSX_CONTENT_TYPE, csv_cell, xlsx_cells

from . import rules
from .codes import LegalStatus, PlacementType, Plan, Sex, review_frequency_in_words
from .flags import FLAGS, FLAGS_BY_CODE, raised, with_flags
from .importer import CALCULATED_COLUMNS, DATE_COLUMNS, IMPORT_COLUMNS, KEY_DATE_COLUMNS
from .models import Child
from .selectors import with_last_decided

# last_panel_date is among the import columns, holding the derived value (the later of the
# recorded date and the latest meeting that decided), which the importer keeps as it is.
# Columns added later come after the calculated ones, so scripts that read by position keep
# working (DESIGN: the export changes only by adding at its end).
EXPORT_COLUMNS = (
    *(column for column in IMPORT_COLUMNS if column not in KEY_DATE_COLUMNS),
    *CALCULATED_COLUMNS,
    *KEY_DATE_COLUMNS,
)
# The code columns, and what each code means; flags are labelled from FLAGS.
CODE_LABELS = {
    "sex": dict(Sex.choices),
    "legal_status": dict(LegalStatus.choices),
    "placement_type": dict(PlacementType.choices),
    "primary_plan": dict(Plan.choices),
    "contingency_plan": dict(Plan.choices),
}
LABELLED_COLUMNS = (*CODE_LABELS, "flags")


def _with_labels(columns: tuple[str, ...]) -> Iterator[str]:
    for column in columns:
        yield column
        if column in LABELLED_COLUMNS:
            yield f"{column}_label"


XLSX_COLUMNS = tuple(_with_labels(EXPORT_COLUMNS))
CHUNK_SIZE = 2000


# Each column's value from a child read as plain values (`tracker_rows`): the names of the
# team, panel and people in the same query, never an object a row.
RELATED_COLUMNS = {
    "team": "team__name",
    "panel": "panel__slug",
    "social_worker_email": "social_worker__email",
    "team_manager_email": "team_manager__email",
}
WORKED_OUT = {
    "temporary_approval_extended": lambda child: (
        "yes" if child.temporary_approval_extended else "no"
    ),
    "flags": lambda child: ";".join(sorted(flag.code for flag in raised(child))),
    "last_panel_date": lambda child: rules.last_panel_date(
        child.last_panel_date, child.last_decided
    ),
    "panel_review_frequency": lambda child: review_frequency_in_words(
        child.panel_review_every, child.panel_review_unit, child.panel_review_by
    ),
}
# What the worked-out columns read, besides the column itself.
WORKED_OUT_READS = ("panel_review_every", "panel_review_unit", "panel_review_by")


def _getter(column: str) -> Callable:
    """The function that gives a column's cell, typed: dates stay dates, unknown is None."""
    if column.endswith("_label"):
        code_column = column.removesuffix("_label")
        code = _getter(code_column)
        return lambda child: _label(code_column, code(child))
    if column in RELATED_COLUMNS:
        return attrgetter(RELATED_COLUMNS[column])
    return WORKED_OUT.get(column) or attrgetter(column)


def _label(column: str, code: str) -> str | None:
    if not code:
        return None
    if column == "flags":
        return "; ".join(FLAGS_BY_CODE[flag].label for flag in code.split(";"))
    label = CODE_LABELS[column].get(code, code)
    # An SSDA903 label starts with its code: "C2 Full care order" reads "C2 – Full care order".
    return f"{code} – {label.removeprefix(code + ' ')}" if label.startswith(code + " ") else label


def tracker_rows(
    children: QuerySet[Child], *, as_of: date, columns: tuple[str, ...] = EXPORT_COLUMNS
) -> Iterator[list]:
    """One list of typed cells per child, in the columns' order, read in chunks as plain
    values: building four model objects a row took most of a 50,000-row export's time."""
    children = with_last_decided(with_flags(children, as_of))
    stored = {field.name for field in Child._meta.concrete_fields}
    read = {RELATED_COLUMNS.get(column, column) for column in columns} & (
        stored | set(RELATED_COLUMNS.values())
    )
    flags = [f"flag_{flag.code}" for flag in FLAGS]
    getters = [_getter(column) for column in columns]
    rows = children.values(*read, *WORKED_OUT_READS, *flags, "last_decided")
    for values in rows.iterator(chunk_size=CHUNK_SIZE):
        child = SimpleNamespace(**values)
        yield [get(child) for get in getters]


class _Echo:
    """A file that hands each line back, so csv.writer can feed a streaming response."""

    def write(self, line: str) -> str:
        return line


def csv_lines(children: QuerySet[Child], *, as_of: date) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for row in tracker_rows(children, as_of=as_of):
        yield writer.writerow([csv_cell(value) for value in row])


def write_csv(children: QuerySet[Child], *, as_of: date, out: IO[str]) -> None:
    out.writelines(csv_lines(children, as_of=as_of))


def _width(column: str) -> int:
    """Roughly the characters a column's values need, so most show without widening."""
    if column.endswith("_label"):
        return 40
    if column.endswith("_email") or column == "flags":
        return 30
    if column in DATE_COLUMNS or column in CALCULATED_COLUMNS:
        return 12
    return 16


def write_xlsx(children: QuerySet[Child], *, as_of: date, out: IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Tracker {as_of.isoformat()}")
    for number, column in enumerate(XLSX_COLUMNS, start=1):
        # Wide enough for the header too, which the filter's button partly covers.
        width = max(_width(column), len(column) + 4)
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for column in XLSX_COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    last_row = 1
    for row in tracker_rows(children, as_of=as_of, columns=XLSX_COLUMNS):
        sheet.append(xlsx_cells(sheet, row))
        last_row += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(XLSX_COLUMNS))}{last_row}"
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
