"""Reading a file into rows: each line's text by column, before anything is checked.

A CSV file today; another format (XLSX) is read beside it into the same `SheetRow`s, so the
checks and the writing never know which format a file came in.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from permanence.spreadsheets import FORMULA_START

from .columns import CALCULATED_COLUMNS, IMPORT_COLUMNS, REQUIRED_COLUMNS, Problem


@dataclass(frozen=True)
class SheetRow:
    """One line of the file with something in it. Line 1 is the header row."""

    line: int
    texts: dict[str, str]  # the cell's text by import column
    troubles: list[tuple[str, str]]  # (column, reason) for cells that cannot be placed


@dataclass(frozen=True)
class Columns:
    """The columns a kind of file has: those read, those it must have, and those ignored
    (the export's calculated columns)."""

    known: tuple[str, ...] = IMPORT_COLUMNS
    required: tuple[str, ...] = REQUIRED_COLUMNS
    ignored: tuple[str, ...] = CALCULATED_COLUMNS


CHILDREN = Columns()


def csv_records(data: bytes) -> tuple[list[list[str]], list[Problem]]:
    """A CSV file's rows of cells, or the problems that stop it being read at all."""
    try:
        records = list(csv.reader(_text(data)))
    except UnreadableEncoding as error:
        return [], [_unreadable(error)]
    except csv.Error as error:
        return [], [_not_csv(error)]
    if not records:
        return [], [Problem(1, "", "", "The file is empty")]
    return records, []


def csv_header(data: bytes) -> set[str]:
    """The column names in a CSV file's first row (none when it cannot be read), so an
    upload can tell which kind of file it is."""
    records, _ = csv_records(data)
    return {name.strip().lower() for name in records[0]} if records else set()


def csv_rows(data: bytes, columns: Columns = CHILDREN) -> tuple[list[SheetRow], list[Problem]]:
    """The rows of a CSV file, or the problems that stop it being read at all."""
    records, problems = csv_records(data)
    if problems:
        return [], problems
    return sheet_rows(records, columns)


def sheet_rows(
    records: list[list[str]], columns: Columns = CHILDREN
) -> tuple[list[SheetRow], list[Problem]]:
    """A spreadsheet's rows of cells, the first its header, as rows of text by column."""
    header = [name.strip().lower() for name in records[0]]
    positions, problems = _column_positions(header, columns)
    if problems:
        return [], problems
    return list(_sheet_rows(records[1:], header, positions)), []


@dataclass(frozen=True)
class CsvSheet:
    """A CSV file's rows, read from the file each time they are gone through rather than
    held: 50,000 rows of text by column would take hundreds of megabytes."""

    data: bytes
    header: list[str]
    positions: dict[str, list[int]]
    count: int  # rows with something in them

    def __iter__(self) -> Iterator[SheetRow]:
        records = csv.reader(_text(self.data))
        next(records)
        return _sheet_rows(records, self.header, self.positions)


def csv_sheet(data: bytes, columns: Columns = CHILDREN) -> tuple[CsvSheet | None, list[Problem]]:
    """The file's rows to go through, counted, or the problems that stop it being read at
    all (a file that is not CSV is found here, before any row is checked)."""
    try:
        records = csv.reader(_text(data))
        first = next(records, None)
        count = sum(any(cell.strip() for cell in cells) for cells in records)
    except UnreadableEncoding as error:
        return None, [_unreadable(error)]
    except csv.Error as error:
        return None, [_not_csv(error)]
    if first is None:
        return None, [Problem(1, "", "", "The file is empty")]
    header = [name.strip().lower() for name in first]
    positions, problems = _column_positions(header, columns)
    if problems:
        return None, problems
    return CsvSheet(data, header, positions, count), []


def _sheet_rows(records, header: list[str], positions) -> Iterator[SheetRow]:
    for line, cells in enumerate(records, start=2):
        if any(cell.strip() for cell in cells):  # spreadsheets often end with empty rows
            yield SheetRow(line, *_cells(cells, header, positions))


def _unreadable(error: "UnreadableEncoding") -> Problem:
    reason = (
        f"The file is saved as {error.encoding}, which the import cannot read: save it "
        "from your spreadsheet as CSV UTF-8"
    )
    return Problem(1, "", "", reason)


def _not_csv(error: csv.Error) -> Problem:
    return Problem(1, "", "", f"The file is not a readable CSV ({error})")


class UnreadableEncoding(ValueError):
    def __init__(self, encoding: str):
        super().__init__(encoding)
        self.encoding = encoding


# Byte order marks of the encodings a spreadsheet may save in that the import refuses. The
# UTF-32 ones first: UTF-32 LE's begins with UTF-16 LE's.
REFUSED_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _text(data: bytes) -> io.TextIOWrapper:
    """The file as text, decoded as it is read rather than all at once: UTF-8, with or
    without a byte order mark, or Windows-1252 (Excel's plain "CSV" on Windows); anything
    else is refused with its name rather than read as nonsense."""
    for bom, encoding in REFUSED_BOMS:
        if data.startswith(bom):
            raise UnreadableEncoding(encoding)
    if b"\x00" in data:
        # No text encoding the import takes has NUL bytes; UTF-16 without a mark has many.
        raise UnreadableEncoding("UTF-16 or another encoding that is not UTF-8")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
        return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    raise UnreadableEncoding("an encoding that is neither UTF-8 nor Windows-1252")


def _column_positions(
    header: list[str], columns: Columns
) -> tuple[dict[str, list[int]], list[Problem]]:
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        if name in columns.known:
            positions.setdefault(name, []).append(index)
    known = {*columns.known, *columns.ignored, ""}
    unknown = list(dict.fromkeys(name for name in header if name not in known))
    missing = [name for name in columns.required if name not in positions]
    problems = []
    if unknown:
        problems.append(
            Problem(
                1,
                "",
                "",
                f"Unknown columns: {', '.join(unknown)}. "
                "Use the column names in the template, spelt the same way",
            )
        )
    if missing:
        problems.append(
            Problem(
                1,
                "",
                "",
                f"Missing columns: {', '.join(missing)}. "
                f"Every file needs {', '.join(columns.required[:-1])} "
                f"and {columns.required[-1]}",
            )
        )
    return positions, problems


def _unneutralised(text: str) -> str:
    """The value the export wrote, without the ' it put before a would-be formula."""
    return text[1:] if text.startswith("'") and FORMULA_START.match(text, 1) else text


def _cells(
    cells: list[str], header: list[str], positions: dict[str, list[int]]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The row's text by column, and (column, reason) for cells that cannot be placed."""
    cells = [_unneutralised(cell.strip()) for cell in cells]
    cells += [""] * (len(header) - len(cells))  # Excel leaves off trailing empty cells
    troubles = []
    stray = [
        number
        for number, cell in enumerate(cells, start=1)
        if cell and (number > len(header) or not header[number - 1])
    ]
    if stray:
        troubles.append(("", f"Cell {stray[0]} has a value but no column name in the header"))
    texts = {}
    for column, indexes in positions.items():
        if len(indexes) == 1:
            texts[column] = cells[indexes[0]]
            continue
        values = list(dict.fromkeys(cells[index] for index in indexes))
        if len(values) > 1:
            troubles.append(
                (column, f"The {column} columns disagree: “{values[0]}” and “{values[1]}”")
            )
        texts[column] = values[0]
    return texts, troubles
