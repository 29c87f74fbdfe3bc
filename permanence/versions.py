"""Optimistic locking: two people who open the same record and both save.

A record that people edit in a form (a child, a submission, a decision) carries a
`version`, which every save through its service moves on by one. The form carries the
version it was opened at in a hidden field; the service locks the row and compares. When
someone else saved in between, the save is refused with `EditConflict`, whose message says
who and when and what now reads differently, and the page shows the person's own entries
again with the new version, so that saving once more is a choice made knowing the other's
change. Nothing is ever overwritten unseen.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, time_format

# A saved value is shown in the message up to this length, then cut with an ellipsis.
SHOWN = 120


class EditConflict(ValidationError):
    """The record changed after the form was opened. `version` is the record's version now,
    for the page to carry if the person saves again."""

    def __init__(self, message: str, *, version: int):
        super().__init__(message, code="edit_conflict")
        self.version = version


def version_field() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Moves on by one at each save, so that a form opened earlier can tell",
    )


def plain(value):
    """A saved or entered value as the message compares and shows it: a person or team by
    name, anything else as it is."""
    return str(value) if isinstance(value, models.Model) else value


def _shown(value) -> str:
    if value in (None, ""):
        return "(empty)"
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):
        return date_format(value)
    text = " ".join(str(value).split())
    return f"“{text[:SHOWN]}…”" if len(text) > SHOWN else f"“{text}”"


def version_check(
    *,
    version: int | None,
    saved: int,
    thing: str,
    by=None,
    at=None,
    now_reads: dict[str, object] | None = None,
    entered: dict[str, object] | None = None,
) -> int:
    """The next version of a record whose row the caller has locked, or `EditConflict`
    when it was saved since the form's `version` was read. `version` None is a save from
    outside a form (an import, the admin, a button), which takes the record as it is.

    `now_reads` are the record's values as saved now, by label, and `entered` what the
    person entered, by the same labels: those that differ are named in the message.
    """
    if version is None or version == saved:
        return saved + 1
    who = by.get_full_name() or by.email if by is not None else "Someone else"
    when = ""
    if at is not None:
        local = timezone.localtime(at)
        when = f" at {time_format(local)} on {date_format(local)}"
    differ = [
        f"{label} now reads {_shown(value)}"
        for label, value in (now_reads or {}).items()
        if entered is not None and label in entered and entered[label] != value
    ]
    message = (
        f"{who} saved this {thing}{when}, after you opened it, so your changes are not saved yet."
    )
    if differ:
        message += " As saved now: " + "; ".join(differ) + "."
    message += " Your entries are still below: check them against theirs and save again."
    raise EditConflict(message, version=saved)
