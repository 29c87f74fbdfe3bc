"""Applying a return to the tracker: a dry run reports, the real run writes, in one
transaction, through the tracker's bulk service (which recomputes the derived dates).

What "all or nothing" means here: a return that cannot be read (a file not recognised, a
date that is not a date) is refused whole by `ssda903_read`, before anything is looked at.
A readable return is then taken child by child: a child whose episodes make no sense, or
who names a code the tracker does not know, or whose dates the tracker's own rules refuse,
is refused with the reasons and left as they are; every other child is written, and the
writing is one transaction, so it saves every one of them or none.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.text import capfirst

from ...models import Child
from ...services import children_bulk_write
from .mapping import MAPPED_FIELDS, child_mapped
from .read import Ssda903Return

logger = logging.getLogger(__name__)

# The return has no names. A new child is shown as this until the administrator enters the
# names: the model requires both, and a name that says it is missing is found and fixed.
NEW_CHILD_NAME = {"first_name": "Unnamed", "last_name": "child"}
PROGRESS_EVERY = 200
EMPTY = (None, "", False)
# Only what the return sets is checked field by field (and the case number, which may be too
# long): everything else is the tracker's own, already checked when it was saved.
NOT_CHECKED = tuple(
    f.name for f in Child._meta.concrete_fields if f.name not in {*MAPPED_FIELDS, "case_number"}
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object

    def words(self, value) -> str:
        """A value as a person reads it: "Thursday 31 December 2026", "F Female"."""
        if value is None or value == "":
            return "empty"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, date):
            return date_format(value, "l j F Y")
        choices = dict(Child._meta.get_field(self.field).flatchoices)
        return str(choices.get(value, value))

    @property
    def old_words(self) -> str:
        return self.words(self.old)

    @property
    def new_words(self) -> str:
        return self.words(self.new)

    def __str__(self):
        return f"{self.label}: {self.old_words} → {self.new_words}"


@dataclass
class ChildChanges:
    case_number: str
    created: bool
    changes: list[FieldChange]


@dataclass(frozen=True)
class Refusal:
    case_number: str
    reasons: tuple[str, ...]

    def __str__(self):
        return f"Child {self.case_number}: {'; '.join(self.reasons)}"


@dataclass
class Ssda903Report:
    dry_run: bool
    children: int = 0  # in the return
    changed: list[ChildChanges] = field(default_factory=list)
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)
    skipped: list[Refusal] = field(default_factory=list)  # nothing to take: no episodes
    at_least: list[tuple[str, date]] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(child.created for child in self.changed)

    @property
    def updated(self) -> int:
        return sum(not child.created for child in self.changed)

    def summary(self) -> str:
        verb = "Dry run: would import" if self.dry_run else "Imported"
        created = "would be created" if self.dry_run else "created"
        return (
            f"{verb} {self.created + self.updated + self.unchanged} of the return's "
            f"{self.children} children: {self.created} {created}, {self.updated} changed, "
            f"{self.unchanged} unchanged. {len(self.refused)} refused, "
            f"{len(self.skipped)} with no episodes left alone, {len(self.at_least)} looked "
            "after since at least their first date in the return."
        )

    def as_result(self) -> dict:
        """The report in plain values, kept with a background job (JSON) for its page."""
        return {
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "children": self.children,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "changed": [
                {
                    "case_number": child.case_number,
                    "created": child.created,
                    "changes": [[c.label, c.old_words, c.new_words] for c in child.changes],
                }
                for child in self.changed
            ],
            "refused": [[r.case_number, list(r.reasons)] for r in self.refused],
            "skipped": [r.case_number for r in self.skipped],
            "at_least": [[case, date_format(since, "l j F Y")] for case, since in self.at_least],
        }


def _label(name: str) -> str:
    return capfirst(Child._meta.get_field(name).verbose_name)


def _model_problems(candidate: Child) -> list[str]:
    """The tracker's own checks of a child's dates and codes, in its words."""
    try:
        candidate.clean_fields(exclude=NOT_CHECKED)
        candidate.clean()
    except ValidationError as error:
        return [
            message if name == NON_FIELD_ERRORS else f"{_label(name)}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _copy(child: Child) -> Child:
    """A copy to check the changes on, leaving the stored child as it was read."""
    return Child(**{f.attname: getattr(child, f.attname) for f in Child._meta.concrete_fields})


def _stored(case_numbers, *, lock: bool) -> dict[str, Child]:
    queryset = Child.objects.select_related("panel")
    if lock:
        # Nobody edits these children between reading and writing them.
        queryset = queryset.select_for_update(of=("self",))
    return queryset.in_bulk(case_numbers, field_name="case_number")


@transaction.atomic
def ssda903_import(
    *,
    ret: Ssda903Return,
    dry_run: bool,
    by=None,
    progress: Callable[[int, int], None] | None = None,
) -> Ssda903Report:
    """Take a read return into the tracker; see the module's docstring for what is refused.

    `progress(done, total)` is told as children are worked out and once more when written.
    Running the same return twice changes nothing the second time.
    """
    report = Ssda903Report(dry_run=dry_run, children=len(ret.children))
    stored = _stored(list(ret.children), lock=not dry_run)
    total = len(ret.children)
    new, changed = [], []
    for done, (case_number, child) in enumerate(ret.children.items(), start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
        existing = stored.get(case_number)
        mapped = child_mapped(child, existing)
        if mapped.refused:
            report.refused.append(Refusal(case_number, tuple(mapped.refused)))
            continue
        if mapped.skipped:
            report.skipped.append(Refusal(case_number, (mapped.skipped,)))
            continue
        fields = mapped.fields
        if existing is None:
            candidate = Child(case_number=case_number, **NEW_CHILD_NAME, **fields)
            changes = {name: value for name, value in fields.items() if value not in EMPTY}
            before = {}
        else:
            changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
            before = {name: getattr(existing, name) for name in changes}
            candidate = _copy(existing)
            for name, value in changes.items():
                setattr(candidate, name, value)
        if existing is None or changes:
            problems = _model_problems(candidate)
            if problems:
                report.refused.append(Refusal(case_number, tuple(problems)))
                continue
        if mapped.at_least:
            report.at_least.append((case_number, fields["looked_after_since"]))
        if existing is not None and not changes:
            report.unchanged += 1
            continue
        report.changed.append(
            ChildChanges(
                case_number,
                created=existing is None,
                changes=[
                    FieldChange(name, _label(name), before.get(name), changes[name])
                    for name in MAPPED_FIELDS
                    if name in changes
                ],
            )
        )
        if existing is None:
            new.append({"case_number": case_number, **NEW_CHILD_NAME, **fields})
        else:
            changed.append((existing, changes))
    if not dry_run:
        children_bulk_write(new=new, changed=changed, changed_by=by)
        logger.info(
            "SSDA903 import by user %s: %s created, %s changed, %s refused",
            getattr(by, "pk", None),
            report.created,
            report.updated,
            len(report.refused),
        )
    if progress:
        progress(total, total)
    return report
