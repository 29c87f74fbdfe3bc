"""Every write to a child. Derived dates are recomputed on every save that goes through here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from permanence.workdays import Calendar, calendar

from . import rules
from .models import DERIVED_DATE_FIELDS, Child
from .selectors import with_last_decided

RECOMPUTE_BATCH = 1000


def _save_fields(children: list[Child], fields) -> None:
    """One UPDATE a child: on PostgreSQL about four times faster than bulk_update, whose
    CASE statements for 10,000 children took 24 s against 6.5 s."""
    for child in children:
        Child.objects.filter(pk=child.pk).update(**{name: getattr(child, name) for name in fields})


def _apply_derived_dates(child: Child, working_days: Calendar) -> None:
    dates = rules.derived_dates(child, working_days, rules.PanelLimits.of(child.panel))
    for field, value in dates.items():
        setattr(child, field, value)


def _secure_permanence_on_final_order(child: Child) -> set[str]:
    """Panel ratified the placement as permanent subject to the final order: permanence is
    secured once the order is recorded, on the later of the ratification and the order.
    Returns the fields it changed."""
    if not child.permanence_pending_since:
        return set()
    if not child.permanence_secured_date:
        if not child.final_order_date:
            return set()
        child.permanence_secured_date = max(child.permanence_pending_since, child.final_order_date)
    child.permanence_pending_since = None
    return {"permanence_secured_date", "permanence_pending_since"}


def _validated(child: Child) -> Child:
    # Child.clean() checks every date-order rule in words, and the database enforces the
    # same rules as constraints; validating the constraints again here costs a query each.
    try:
        child.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    return child


@transaction.atomic
def child_create(*, changed_by=None, **fields) -> Child:
    child = _validated(Child(**fields))
    _apply_derived_dates(child, calendar())
    child._history_user = changed_by
    child.save()
    return child


@transaction.atomic
def child_update(*, child: Child, changed_by=None, **fields) -> Child:
    if "last_panel_date" in fields:
        # A panel that decided for the child is never taken back, as in the import.
        decided = with_last_decided(Child.objects.filter(pk=child.pk)).values("last_decided")
        fields["last_panel_date"] = rules.last_panel_date(
            fields["last_panel_date"], decided[0]["last_decided"] if decided else None
        )
    for name, value in fields.items():
        setattr(child, name, value)
    _secure_permanence_on_final_order(child)
    _validated(child)
    _apply_derived_dates(child, calendar())
    child._history_user = changed_by
    child.save()
    return child


@transaction.atomic
def children_recompute(*, children=None) -> int:
    """Recompute and store derived dates for many children (all by default).

    Run when something every child's dates depend on changes: a closure day, or a
    panel's limits. Loads the calendar once and writes in batches; returns how many
    children changed.
    """
    working_days = calendar()
    queryset = (children if children is not None else Child.objects.all()).select_related("panel")
    changed = []
    for child in queryset.iterator(chunk_size=RECOMPUTE_BATCH):
        before = [getattr(child, field) for field in DERIVED_DATE_FIELDS]
        _apply_derived_dates(child, working_days)
        if before != [getattr(child, field) for field in DERIVED_DATE_FIELDS]:
            changed.append(child)
    _save_fields(changed, DERIVED_DATE_FIELDS)
    return len(changed)


@transaction.atomic
def children_bulk_write(*, new: list[dict], changed: list[tuple[Child, dict]], changed_by=None):
    """Create and update many children at once, with their history: the import's writer.

    The caller has already validated every row with the model's own checks (clean_fields
    and clean); the database's constraints still guard the date rules. One calendar and
    a few statements per batch, instead of a dozen queries a child.
    """
    working_days = calendar()
    created = [Child(**fields) for fields in new]
    for child in created:
        _apply_derived_dates(child, working_days)
    bulk_create_with_history(created, Child, batch_size=RECOMPUTE_BATCH, default_user=changed_by)
    updated, fields, now = [], {*DERIVED_DATE_FIELDS, "updated_at"}, timezone.now()
    for child, changes in changed:
        for name, value in changes.items():
            setattr(child, name, value)
        child.updated_at = now
        fields.update(changes, _secure_permanence_on_final_order(child))
        _apply_derived_dates(child, working_days)
        updated.append(child)
    _save_fields(updated, fields)
    Child.history.bulk_history_create(
        updated, batch_size=RECOMPUTE_BATCH, update=True, default_user=changed_by
    )
    return created, updated
