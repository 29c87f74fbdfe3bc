"""Reading an SSDA903 return, as CSV tables or one XML file, into children with their
episodes, reviews and adoption dates. Nothing here knows the tracker.

A problem that stops a file being read (a table not recognised by its header row, a date
that is not a date) is a problem with the whole return: every one is collected, by file,
line and field, and raised together as one ValidationError.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from lxml import etree

from ..rows import csv_records

DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")

# Each CSV table, told apart by its header row: the columns it must have. The first
# column listed after CHILD is the one that names the table (checked in this order).
TABLES = {
    "episodes": ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"),
    "reviews": ("CHILD", "REVIEW"),
    "placed_for_adoption": ("CHILD", "DATE_PLACED"),
    "ad1": ("CHILD", "DATE_MATCH"),
    "header": ("CHILD", "SEX", "DOB"),
}
REQUIRED_TABLES = ("header", "episodes")


@dataclass(frozen=True)
class Episode:
    decom: date
    rne: str
    ls: str
    place: str
    dec: date | None
    rec: str
    where: str  # "episodes.csv, line 12": for a person to find it

    def __str__(self):
        return f"the episode from {self.decom:%d/%m/%Y} ({self.where})"


@dataclass
class ReturnChild:
    case_number: str
    sex: str = ""
    dob: date | None = None
    where: str = ""  # the header row; empty when the child has none
    episodes: list[Episode] = field(default_factory=list)
    reviews: list[date] = field(default_factory=list)
    adoption_decisions: list[date] = field(default_factory=list)  # DATE_PLACED
    matches: list[date] = field(default_factory=list)  # DATE_MATCH


@dataclass
class Ssda903Return:
    """A whole return: its children by case number, in the order the return lists them."""

    files: list[str]
    children: dict[str, ReturnChild]


class _Problems:
    def __init__(self):
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}")


def _date(text: str, where: str, name: str, problems: _Problems, *, required=False):
    text = (text or "").strip()
    if not text:
        if required:
            problems.add(where, f"{name} is empty: it needs a date as DD/MM/YYYY")
        return None
    if match := DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            problems.add(where, f"{name} “{text}” is not a real date")
            return None
    problems.add(where, f"{name} “{text}” is not a date as DD/MM/YYYY")
    return None


def _child(children: dict, case_number: str) -> ReturnChild:
    return children.setdefault(case_number, ReturnChild(case_number))


# CSV tables ------------------------------------------------------------------------------


def _table_of(name: str, header: list[str]) -> tuple[str | None, list[str]]:
    """Which table a header row names, and the columns it lacks."""
    columns = set(header)
    for table, needed in TABLES.items():
        if needed[1] in columns:
            return table, [column for column in needed if column not in columns]
    return None, []


def _read_csv(name: str, data: bytes, children: dict, problems: _Problems, seen: dict) -> None:
    records, unreadable = csv_records(data)
    if unreadable:
        for problem in unreadable:
            problems.add(name, problem.reason)
        return
    header = [cell.strip().upper() for cell in records[0]]
    table, missing = _table_of(name, header)
    if table is None:
        problems.add(
            f"{name}, line 1",
            "not recognised by its header row as an SSDA903 table (header, episodes, "
            "reviews, placed_for_adoption or ad1)",
        )
        return
    if missing:
        problems.add(f"{name}, line 1", f"the {table} table lacks {', '.join(missing)}")
        return
    if table in seen:
        problems.add(name, f"a second {table} table: {seen[table]} is one already")
        return
    seen[table] = name
    position = {column: header.index(column) for column in TABLES[table]}
    for line, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cells = [cell.strip() for cell in cells] + [""] * (len(header) - len(cells))
        row = {column: cells[index] for column, index in position.items()}
        where = f"{name}, line {line}"
        case_number = row["CHILD"]
        if not case_number:
            problems.add(where, "CHILD is empty")
            continue
        _take(table, row, case_number, where, children, problems)


def _take(table, row, case_number, where, children, problems) -> None:
    """One row of a table (or one element of the XML, read into the same names)."""
    child = _child(children, case_number)
    if table == "header":
        if child.where:
            problems.add(where, f"child {case_number} already has a header on {child.where}")
            return
        child.where = where
        child.sex = row["SEX"].strip()
        child.dob = _date(row["DOB"], where, "DOB", problems)
    elif table == "episodes":
        decom = _date(row["DECOM"], where, "DECOM", problems, required=True)
        dec = _date(row["DEC"], where, "DEC", problems)
        if decom:
            child.episodes.append(
                Episode(
                    decom=decom,
                    rne=row["RNE"].strip().upper(),
                    ls=row["LS"].strip().upper(),
                    place=row["PLACE"].strip().upper(),
                    dec=dec,
                    rec=row["REC"].strip().upper(),
                    where=where,
                )
            )
    else:
        column, dates, required = DATED_TABLES[table]
        if value := _date(row[column], where, column, problems, required=required):
            getattr(child, dates).append(value)


# The tables of one date a row: (column, the child's list it goes to, must it have one).
DATED_TABLES = {
    "reviews": ("REVIEW", "reviews", True),
    "placed_for_adoption": ("DATE_PLACED", "adoption_decisions", False),
    "ad1": ("DATE_MATCH", "matches", False),
}


# XML -------------------------------------------------------------------------------------

# No entities, no DTD, no network: a return is data, never instructions to fetch more.
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)


def _text(element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _read_xml(name: str, data: bytes, children: dict, problems: _Problems) -> None:
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as error:
        problems.add(f"{name}, line {error.lineno}", f"not readable XML ({error.msg})")
        return
    if root.tag != "EXPSSDA903":
        problems.add(
            f"{name}, line {root.sourceline}",
            f"the XML's root is {root.tag}, not EXPSSDA903: this is not an SSDA903 return",
        )
        return
    for element in root.iterchildren("CHILD"):
        where = f"{name}, line {element.sourceline}"
        header = element.find("HEADER")
        if header is None:
            problems.add(where, "a CHILD without a HEADER")
            continue
        case_number = _text(header, "CHILDID") or _text(element, "CHILDID")
        if not case_number:
            problems.add(where, "CHILDID is empty")
            continue
        where = f"{name}, line {header.sourceline}, CHILD {case_number} HEADER"
        header_row = {"SEX": _text(header, "SEX"), "DOB": _text(header, "DOB")}
        _take("header", header_row, case_number, where, children, problems)
        # AREVIEW and AD_PLACED sit inside HEADER in the shared return, and directly
        # under CHILD in others: both are read. AD1's fields are read wherever they are.
        for review in element.iter("AREVIEW"):
            row = {"REVIEW": _text(review, "REVIEW")}
            line = f"{name}, line {review.sourceline}, CHILD {case_number} AREVIEW"
            _take("reviews", row, case_number, line, children, problems)
        for placed in element.iter("AD_PLACED"):
            row = {"DATE_PLACED": _text(placed, "DATE_PLACED")}
            line = f"{name}, line {placed.sourceline}, CHILD {case_number} AD_PLACED"
            _take("placed_for_adoption", row, case_number, line, children, problems)
        for match in element.iter("DATE_MATCH"):
            row = {"DATE_MATCH": (match.text or "").strip()}
            line = f"{name}, line {match.sourceline}, CHILD {case_number}"
            _take("ad1", row, case_number, line, children, problems)
        for number, episode in enumerate(element.iterchildren("EPISODE"), start=1):
            row = {
                column: _text(episode, column) for column in ("DECOM", "RNE", "LS", "DEC", "REC")
            }
            # The XML names the placement PL where the CSV names it PLACE.
            row["PLACE"] = _text(episode, "PL") or _text(episode, "PLACE")
            line = f"{name}, line {episode.sourceline}, CHILD {case_number} EPISODE {number}"
            _take("episodes", row, case_number, line, children, problems)


def _is_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def ssda903_read(files: list[tuple[str, bytes]]) -> Ssda903Return:
    """Read a return: one XML file, or its CSV tables (each known by its header row).

    Raises ValidationError listing every problem by file, line and field.
    """
    problems = _Problems()
    children: dict[str, ReturnChild] = {}
    if not files:
        raise ValidationError("Choose the return's files: its CSV tables or one XML file.")
    xml = [name for name, data in files if _is_xml(data)]
    if xml and len(files) > 1:
        raise ValidationError(
            f"{', '.join(xml)} is an XML return: import it on its own, without CSV tables."
        )
    if xml:
        _read_xml(files[0][0], files[0][1], children, problems)
    else:
        seen: dict[str, str] = {}
        for name, data in files:
            _read_csv(name, data, children, problems, seen)
        if not problems.messages:
            for table in REQUIRED_TABLES:
                if table not in seen:
                    problems.add("The return", f"has no {table} table: add its CSV file")
    if problems.messages:
        raise ValidationError(problems.messages)
    return Ssda903Return(files=[name for name, _ in files], children=children)
