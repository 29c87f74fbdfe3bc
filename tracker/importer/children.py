"""Checking and writing the children a file's rows describe: all or nothing.

Rows are read, checked and written a batch at a time, in one transaction, through the
tracker's bulk service; a problem anywhere in the file undoes every batch written before it,
and the rest of the file is still checked so that every problem is listed. Problems identify
a row by its line in the file and its case number, never by the child's name.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from permanence.models import Team

from .. import rules
from ..codes import Plan, Sex
from ..models import Child
from ..reverse_relations import panel_model
from ..selectors import with_last_decided
from ..services import children_bulk_write
from .columns import COLUMN_FIELDS, DATE_COLUMNS, FIELD_COLUMNS, Problem
from .rows import CsvSheet, SheetRow, csv_sheet

logger = logging.getLogger(__name__)

# Checked by looking them up once for the whole file, so the model need not query per row.
LOOKED_UP_FIELDS = ("team", "social_worker", "team_manager", "panel")
FIELDS = {model_field.name: model_field for model_field in Child._meta.concrete_fields}

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
SEXES = {
    "m": Sex.MALE,
    "male": Sex.MALE,
    "1": Sex.MALE,  # SSDA903
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "2": Sex.FEMALE,  # SSDA903
}
# The step an import is at, as its job's page names it: a dry run checks, an import
# checks and saves each batch of rows in turn.
CHECKING = "Checking rows"
SAVING = "Checking and saving rows"
# Rows checked, and written, at a time.
BATCH = 2000

YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0", ""})


@dataclass
class ImportResult:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    created_teams: list[str] = field(default_factory=list)
    unknown_teams: list[str] = field(default_factory=list)  # refused without create_teams
    problems: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        noun = "child" if self.total == 1 else "children"
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        teams = ", ".join(self.created_teams)
        if self.dry_run:
            text = f"Dry run: would import {self.total} {noun}: {counts}."
            return text + (f" Would create teams: {teams}." if teams else "")
        text = f"Imported {self.total} {noun}: {counts}."
        return text + (f" Created teams: {teams}." if teams else "")


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in plain words."""


@dataclass
class _Row:
    line: int
    case_number: str
    fields: dict  # every field the file gives, as the service takes it
    child: Child | None  # the stored child this row updates; None to create one
    changes: dict  # for a stored child, only the fields that differ


def _date(text: str) -> date | None:
    if not text:
        return None
    if iso := ISO_DATE.fullmatch(text):
        year, month, day = iso.groups()
    elif uk := UK_DATE.fullmatch(text):
        day, month, year = uk.groups()
    else:
        raise CellError(f"“{text}” is not a date: use YYYY-MM-DD or DD/MM/YYYY")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"“{text}” is not a real date") from None


def _sex(text: str) -> str:
    try:
        return SEXES[text.lower()] if text else ""
    except KeyError:
        raise CellError(f"“{text}” is not a sex: use M or F (Male or Female, 1 or 2)") from None


def _yes_no(text: str) -> bool:
    if text.lower() in YES:
        return True
    if text.lower() in NO:
        return False
    raise CellError(f"“{text}” is not yes or no")


PLANS = frozenset(Plan.values)


def _plan(text: str) -> str:
    if text.lower() in PLANS or not text:
        return text.lower()
    raise CellError(f"“{text}” is not a plan: use one of {', '.join(Plan.values)}")


class _Lookups:
    """Panels, users and teams, each read once for the whole file; and the problems of each
    date and code value, each checked once (`_model_problems`)."""

    def __init__(self, *, create_teams: bool = False):
        self.create_teams = create_teams
        self.panels = {panel.slug: panel for panel in panel_model().objects.all()}
        self.users = {user.email.lower(): user for user in get_user_model().objects.all()}
        self.teams = {team.name.casefold(): team for team in Team.objects.all()}
        self.new_teams: dict[str, Team] = {}  # not saved until the whole file is clean
        self.unknown_teams: dict[str, str] = {}
        self.checked: dict[tuple[str, object], list[str]] = {}
        self.readers = {
            "sex": _sex,
            "temporary_approval_extended": _yes_no,
            "primary_plan": _plan,
            "contingency_plan": _plan,
            # SSDA903 codes are capitals; the model says whether the code exists.
            "legal_status": str.upper,
            "placement_type": str.upper,
            "team": self.team,
            "panel": self.panel,
            "social_worker_email": self.user,
            "team_manager_email": self.user,
        }

    def panel(self, text: str):
        if not text:
            return None
        try:
            return self.panels[text.lower()]
        except KeyError:
            known = ", ".join(sorted(self.panels)) or "none yet"
            raise CellError(f"“{text}” is not a panel: the panels are {known}") from None

    def user(self, text: str):
        if not text:
            return None
        try:
            return self.users[text.lower()]
        except KeyError:
            raise CellError(f"Nobody has the email address “{text}”") from None

    def team(self, text: str) -> Team | None:
        if not text:
            return None
        key = text.casefold()
        if key in self.teams:
            return self.teams[key]
        if not self.create_teams:
            # A misspelt team would otherwise quietly become a new team of its own.
            self.unknown_teams.setdefault(key, text)
            raise CellError(f"There is no team called “{text}”; tick “create new teams” to add it")
        if len(text) > Team._meta.get_field("name").max_length:
            raise CellError("A team name can be at most 100 characters")
        return self.new_teams.setdefault(key, Team(name=text))

    def read(self, column: str, text: str):
        if column in DATE_COLUMNS:
            return _date(text)
        return self.readers.get(column, str)(text)


def _differs(child: Child, name: str, value) -> bool:
    model_field = FIELDS[name]
    if model_field.is_relation:
        if value is not None and value.pk is None:
            return True  # a team this import creates
        return getattr(child, model_field.attname) != (value.pk if value is not None else None)
    return getattr(child, name) != value


# The model's field checks (clean_fields) of the fields a file can set, but the looked-up
# ones; the others are the services' own. A date's or a code's check depends on the value
# alone, and the few thousand that recur in 50,000 rows are each checked once: a date's
# validators read today's date, which took a fifth of the import.
CHECKED_FIELDS = tuple(
    model_field
    for model_field in Child._meta.concrete_fields
    if model_field.editable and model_field.name not in LOOKED_UP_FIELDS
)
REMEMBERED_FIELDS = frozenset(
    model_field.name
    for model_field in CHECKED_FIELDS
    if model_field.choices or model_field.get_internal_type() in ("DateField", "BooleanField")
)


def _field_problems(model_field, value, child: Child) -> list[str]:
    try:
        model_field.clean(value, child)
    except ValidationError as error:
        return error.messages
    return []


def _model_problems(
    child: Child, *, unreadable: set[str], remembered: dict
) -> dict[str, list[str]]:
    """The model's own checks: the same words the service would raise. `remembered` holds
    the problems of each date and code value checked before, by field.

    Dates out of order are only judged once every cell of the row reads, so that an
    unreadable date does not also show up as a missing one.
    """
    errors: dict[str, list[str]] = {}
    for model_field in CHECKED_FIELDS:
        name, value = model_field.name, getattr(child, model_field.attname)
        if name in unreadable or (model_field.blank and value in model_field.empty_values):
            continue
        if name in REMEMBERED_FIELDS:
            if (name, value) not in remembered:
                remembered[name, value] = _field_problems(model_field, value, child)
            messages = remembered[name, value]
        else:
            messages = _field_problems(model_field, value, child)
        if messages:
            errors[name] = messages
    if not unreadable:
        try:
            child.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    return errors


def _problems_from(line: int, case_number: str, errors: dict[str, list[str]]) -> list[Problem]:
    problems = []
    for name, messages in errors.items():
        column = "" if name == NON_FIELD_ERRORS else FIELD_COLUMNS.get(name, name)
        problems += [Problem(line, case_number, column, message) for message in messages]
    return problems


def _stored(case_numbers: set[str], lookups: _Lookups, *, lock: bool) -> dict[str, Child]:
    children = with_last_decided(Child.objects.order_by())
    if lock:
        # Nobody else saves these children between their check and the import's write.
        children = children.select_for_update()
    stored = children.in_bulk(case_numbers, field_name="case_number")
    panels = {panel.pk: panel for panel in lookups.panels.values()}
    for child in stored.values():
        # The panels already read, rather than one copy a child: their limits give the dates.
        if child.panel_id is not None:
            child.panel = panels[child.panel_id]
    return stored


def _checked_rows(
    sheet: list[SheetRow], lookups: _Lookups, first_seen: dict[str, int], *, lock: bool
) -> tuple[list[_Row], list[Problem]]:
    """A batch of rows read into the fields the service takes, with every problem in them.
    `first_seen` holds the line of each case number in the rows before, and this batch's."""
    problems = []
    stored = _stored(
        {row.texts["case_number"] for row in sheet if row.texts["case_number"]}, lookups, lock=lock
    )
    rows = []
    for sheet_row in sheet:
        line, texts = sheet_row.line, sheet_row.texts
        case_number = texts["case_number"]
        row_problems = [
            Problem(line, case_number, column, reason) for column, reason in sheet_row.troubles
        ]
        if not case_number:
            problems += [*row_problems, Problem(line, "", "case_number", "Enter the case number")]
            continue
        if case_number in first_seen:
            reason = f"Case number {case_number} is already on line {first_seen[case_number]}"
            problems += [*row_problems, Problem(line, case_number, "case_number", reason)]
            continue
        first_seen[case_number] = line

        fields, unreadable = {}, set()
        for column, text in texts.items():
            name = COLUMN_FIELDS.get(column, column)
            try:
                fields[name] = lookups.read(column, text)
            except CellError as error:
                unreadable.add(name)
                row_problems.append(Problem(line, case_number, column, str(error)))

        child = stored.get(case_number)
        if child is not None and "last_panel_date" in fields:
            # An older spreadsheet never takes back a meeting that has since decided.
            fields["last_panel_date"] = rules.last_panel_date(
                fields["last_panel_date"], child.last_decided
            )
        changes = {}
        if child is None:
            candidate = Child(**fields)
        else:
            changes = {k: v for k, v in fields.items() if _differs(child, k, v)}
            candidate = child
            for name, value in changes.items():
                setattr(candidate, name, value)
        if child is None or changes:
            errors = _model_problems(candidate, unreadable=unreadable, remembered=lookups.checked)
            row_problems += _problems_from(line, case_number, errors)
        problems += row_problems
        rows.append(_Row(line, case_number, fields, child, changes))
    return rows, problems


def _write(rows: list[_Row], lookups: _Lookups, changed_by) -> None:
    """Write a batch of checked rows, with the teams the import creates that are new yet.

    The service checks again: someone may have added a child since the file was read."""
    for team in lookups.new_teams.values():
        if team.pk is None:
            team.save()
    children_bulk_write(
        new=[row.fields for row in rows if row.child is None],
        changed=[(row.child, row.changes) for row in rows if row.child and row.changes],
        changed_by=changed_by,
    )


def _import_rows(
    sheet: CsvSheet, lookups: _Lookups, result: ImportResult, *, changed_by, write, progress
) -> None:
    """Check every row of the file, a batch at a time, and write each batch while the file
    has no problem so far: memory holds one batch, not the file, and the caller's
    transaction undoes the batches written when a later row has a problem."""
    step = SAVING if write else CHECKING
    first_seen: dict[str, int] = {}
    rows_left = iter(sheet)
    done = 0
    while batch := list(islice(rows_left, BATCH)):
        if progress:
            progress(done, sheet.count, step)
        rows, problems = _checked_rows(batch, lookups, first_seen, lock=write)
        result.problems += problems
        changed = sum(bool(row.child is not None and row.changes) for row in rows)
        result.created += sum(row.child is None for row in rows)
        result.updated += changed
        result.unchanged += sum(row.child is not None for row in rows) - changed
        if write and not result.problems:
            _write(rows, lookups, changed_by)
        done += len(batch)
    if progress:
        progress(sheet.count, sheet.count, step)


def children_import(
    *,
    data: bytes,
    changed_by=None,
    dry_run: bool = False,
    create_teams: bool = False,
    progress=None,
) -> ImportResult:
    """Create or update (by case number) every child in the CSV file, or none of them.

    A team the service does not know is refused, unless `create_teams`: then it is created
    with the children, in the same transaction. `progress(done, total, step)`, when given,
    hears how many rows are checked (and saved) so far (the background job's page).
    """
    result = ImportResult(dry_run=dry_run)
    sheet, problems = csv_sheet(data)
    if problems:
        result.problems = problems
        return result

    lookups = _Lookups(create_teams=create_teams)
    try:
        with transaction.atomic():
            _import_rows(
                sheet,
                lookups,
                result,
                changed_by=changed_by,
                write=not dry_run,
                progress=progress,
            )
            if result.problems:
                transaction.set_rollback(True)
    except IntegrityError:
        reason = (
            "The tracker changed while the file was being imported (for example, a child "
            "with one of these case numbers was added). Nothing was saved: upload it again"
        )
        result.problems = [Problem(1, "", "", reason)]
    result.problems.sort(key=lambda problem: problem.line)
    result.unknown_teams = list(lookups.unknown_teams.values())
    if result.problems:
        result.created = result.updated = result.unchanged = 0
        return result

    result.created_teams = [team.name for team in lookups.new_teams.values()]
    if dry_run:
        return result
    logger.info(
        "Children import by user %s: %s created, %s updated, %s unchanged",
        getattr(changed_by, "pk", None),
        result.created,
        result.updated,
        result.unchanged,
    )
    return result
