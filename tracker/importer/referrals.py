"""Referrals as rows of a CSV file (Business Intelligence's list of children who became
looked after, say): all or nothing, as the children's import.

Every row is checked first; only a clean file is written, each row sent through
`referral_send` in one transaction, so each referral reaches My tasks and emails the
administrators once, as one sent from the form does.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from permanence.models import Team

from ..models import Referral, ReferralKind
from ..permissions import can_send_referrals
from ..services import referral_send
from .children import CHECKING, CellError, _date
from .columns import Problem
from .rows import Columns, csv_header, csv_rows

logger = logging.getLogger(__name__)

SENDING = "Sending referrals"

REFERRAL_COLUMNS = Columns(
    known=(
        "case_number",
        "first_name",
        "last_name",
        "date_of_birth",
        "team",
        "what_happened",
        "date_happened",
        "legal_status",
        "note",
        "sent_by_email",
    ),
    required=(
        "case_number",
        "first_name",
        "last_name",
        "what_happened",
        "date_happened",
        "sent_by_email",
    ),
    ignored=(),
)
# The columns by the referral's field they fill; the rest are the field's own name.
COLUMN_FIELDS = {
    "what_happened": "kind",
    "date_happened": "happened_on",
    "sent_by_email": "sent_by",
}
FIELD_COLUMNS = {name: column for column, name in COLUMN_FIELDS.items()}


def is_referrals_file(data: bytes) -> bool:
    """A referrals file names what happened; a children file never does."""
    return "what_happened" in csv_header(data)


@dataclass
class ReferralImportResult:
    dry_run: bool = False
    sent: int = 0
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        noun = "referral" if self.sent == 1 else "referrals"
        if self.dry_run:
            return f"Dry run: would send {self.sent} {noun} to the panel administrators."
        return f"Sent {self.sent} {noun} to the panel administrators."


class _Lookups:
    """Senders and teams, each read once for the whole file."""

    def __init__(self):
        users = get_user_model().objects.filter(is_active=True).prefetch_related("groups")
        self.users = {user.email.lower(): user for user in users}
        self.teams = {team.name.casefold(): team for team in Team.objects.all()}

    def sender(self, text: str):
        user = self.users.get(text.lower())
        if user is None:
            raise CellError(f"Nobody who can sign in has the email address “{text}”")
        if not can_send_referrals(user):
            raise CellError(f"{text} is not a team manager, social worker or Business Intelligence")
        return user

    def team(self, text: str):
        if not text:
            return None
        try:
            return self.teams[text.casefold()]
        except KeyError:
            raise CellError(f"There is no team called “{text}”") from None


def _kind(text: str) -> str:
    if text.lower() in ReferralKind.values:
        return text.lower()
    raise CellError(f"“{text}” is not what happened: use one of {', '.join(ReferralKind.values)}")


def _checked(sheet, lookups: _Lookups, progress=None) -> tuple[list[dict], list[Problem]]:
    readers = {
        "what_happened": _kind,
        "date_happened": _date,
        "date_of_birth": _date,
        "team": lookups.team,
        "sent_by_email": lookups.sender,
        "legal_status": str.upper,
    }
    rows, problems = [], []
    for checked, sheet_row in enumerate(sheet):
        if progress:
            progress(checked, len(sheet), CHECKING)
        line, texts = sheet_row.line, sheet_row.texts
        case_number = texts.get("case_number", "")
        row_problems = [
            Problem(line, case_number, column, reason) for column, reason in sheet_row.troubles
        ]
        fields = {}
        for column, text in texts.items():
            try:
                fields[COLUMN_FIELDS.get(column, column)] = readers.get(column, str)(text)
            except CellError as error:
                row_problems.append(Problem(line, case_number, column, str(error)))
        if not row_problems:
            row_problems += _model_problems(line, case_number, fields)
        problems += row_problems
        rows.append(fields)
    if progress:
        progress(len(sheet), len(sheet), CHECKING)
    return rows, problems


def _model_problems(line: int, case_number: str, fields: dict) -> list[Problem]:
    """The referral's own checks, in the words the form shows."""
    candidate = Referral(**fields)
    errors = {}
    try:
        candidate.full_clean(exclude=["child", "decided_by"], validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
    if candidate.kind == ReferralKind.LEGAL_CHANGE and not candidate.legal_status:
        errors.setdefault("legal_status", []).append("Give the child's new legal status")
    return [
        Problem(line, case_number, FIELD_COLUMNS.get(name, name), message)
        for name, messages in errors.items()
        for message in messages
    ]


def referrals_import(*, data: bytes, dry_run: bool = False, progress=None) -> ReferralImportResult:
    """Send every referral in the CSV file, or none of them. `progress(done, total, step)`,
    when given, hears how far it has got (the background job's page)."""
    result = ReferralImportResult(dry_run=dry_run)
    sheet, problems = csv_rows(data, REFERRAL_COLUMNS)
    if problems:
        result.problems = problems
        return result
    rows, problems = _checked(sheet, _Lookups(), progress)
    result.problems = sorted(problems, key=lambda problem: problem.line)
    if result.problems:
        return result
    result.sent = len(rows)
    if dry_run:
        return result
    try:
        with transaction.atomic():
            for sent, fields in enumerate(rows):
                if progress:
                    progress(sent, len(rows), SENDING)
                referral_send(**fields)
    except ValidationError as error:
        # Checked above; only a change since the file was read reaches here.
        result.sent = 0
        result.problems = [Problem(1, "", "", " ".join(error.messages))]
        return result
    logger.info("Referrals import: %s sent", result.sent)
    return result
