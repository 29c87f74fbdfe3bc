"""Every write to a child. Derived dates are recomputed on every save that goes through here."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from permanence import outbox
from permanence.jobs.models import Job, JobState
from permanence.jobs.services import job_start
from permanence.roles import Role
from permanence.selectors import users_holding
from permanence.versions import plain, version_check
from permanence.workdays import Calendar, calendar

from . import rules
from .filters import TrackerFilter, filter_query
from .models import (
    DERIVED_DATE_FIELDS,
    REFERRAL_DATE_FIELDS,
    Carer,
    CarerRole,
    Child,
    ChildCarer,
    Referral,
    ReferralKind,
    ReferralStatus,
    SavedFilter,
)
from .permissions import can_keep_records, can_manage_children, can_send_referrals
from .selectors import IMPORT_CHILDREN, RECOMPUTE_DATES, visible_children, with_last_decided

RECOMPUTE_BATCH = 1000
# Keeps two recomputes from running at once: any number that is the tracker's own.
RECOMPUTE_LOCK = 9030001
RECOMPUTING = "Recomputing children's dates"


def _copied(cursor, table: str, columns: str, rows) -> None:
    """`rows` copied into a new temporary table of tracker_child's `columns` (a select list),
    which the caller drops when done with it: COPY is PostgreSQL's fastest way in, and one
    statement can then write every row from it. Dropped with the transaction in any case."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS "  # noqa: S608 - the model's own names
        f"SELECT {columns} FROM tracker_child WITH NO DATA"
    )
    with cursor.copy(f"COPY {table} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _stored_value(child: Child, field, *, add: bool = False):
    # psycopg copies the child's plain values (dates, text, numbers) as they are.
    return field.pre_save(child, add)


def _save_fields(children: list[Child], fields, *, unless_saved_since=False) -> None:
    """Store these fields of the children. On PostgreSQL one UPDATE for them all, from a
    copy of their values: recomputing 50,000 children took 21 s in all this way, where one
    UPDATE a child took 92 s to save them (bulk_update's CASE statements are slower still).
    Elsewhere (SQLite, in process) one UPDATE a child. `unless_saved_since` leaves a child
    that someone saved after it was read (its version moved on): that save wrote its own."""
    if not children:
        return
    if connection.vendor != "postgresql":
        for child in children:
            row = Child.objects.filter(pk=child.pk)
            if unless_saved_since:
                row = row.filter(version=child.version)
            row.update(**{name: getattr(child, name) for name in fields})
        return
    stored = [Child._meta.get_field(name) for name in sorted(fields)]
    quoted = [connection.ops.quote_name(field.column) for field in stored]
    with connection.cursor() as cursor:
        _copied(
            cursor,
            "tracker_child_saved",
            ", ".join(["id", "version AS read_version", *quoted]),
            (
                [child.pk, child.version, *(_stored_value(child, field) for field in stored)]
                for child in children
            ),
        )
        assignments = ", ".join(f"{column} = saved.{column}" for column in quoted)
        since = " AND child.version = saved.read_version" if unless_saved_since else ""
        cursor.execute(
            f"UPDATE tracker_child AS child SET {assignments} "  # noqa: S608 - the model's own names
            f"FROM tracker_child_saved AS saved WHERE child.id = saved.id{since}"
        )
        cursor.execute("DROP TABLE tracker_child_saved")


def _insert(children: list[Child]) -> None:
    """Create the children, each given its pk. On PostgreSQL copied in and inserted in one
    statement; elsewhere bulk_create."""
    if connection.vendor != "postgresql":
        Child.objects.bulk_create(children)
        return
    stored = [field for field in Child._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in stored)
    with connection.cursor() as cursor:
        _copied(
            cursor,
            "tracker_child_new",
            columns,
            ([_stored_value(child, field, add=True) for field in stored] for child in children),
        )
        cursor.execute(
            f"INSERT INTO tracker_child ({columns}) SELECT {columns} FROM tracker_child_new "  # noqa: S608 - the model's own names
            "RETURNING case_number, id"
        )
        pks = dict(cursor.fetchall())
        cursor.execute("DROP TABLE tracker_child_new")
    for child in children:
        child.pk = pks[child.case_number]
        child._state.adding = False


def _history_record(children: list[Child], *, changed_by, update: bool) -> None:
    """Each child's row in its history, as bulk_history_create writes it (no reason, the
    user who imported). On PostgreSQL read straight from the children's stored rows in one
    INSERT … SELECT, so no historical instance is built in Python."""
    if not children:
        return
    if connection.vendor != "postgresql":
        Child.history.bulk_history_create(
            children, batch_size=RECOMPUTE_BATCH, update=update, default_user=changed_by
        )
        return
    columns = ", ".join(
        connection.ops.quote_name(field.column) for field in Child.history.model.tracked_fields
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Child.history.model._meta.db_table} ({columns}, history_date, "  # noqa: S608 - the model's own names
            "history_change_reason, history_type, history_user_id) "
            f"SELECT {columns}, %s, '', %s, %s FROM tracker_child WHERE id = ANY(%s)",
            [
                timezone.now(),
                "~" if update else "+",
                getattr(changed_by, "pk", None),
                [child.pk for child in children],
            ],
        )


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
def child_create(*, changed_by=None, change_reason: str = "", **fields) -> Child:
    child = _validated(Child(**fields))
    _apply_derived_dates(child, calendar())
    child._history_user = changed_by
    child._change_reason = change_reason or None
    child.save()
    return child


def _child_version(child: Child, version: int | None, fields: dict) -> int:
    """The child's next version, once the row is locked; refused when someone saved the
    child after `version` was read into the form (see permanence.versions)."""
    saved = Child.objects.select_for_update().get(pk=child.pk)
    last = saved.history.order_by("-history_date", "-history_id").first()
    labels = {name: capfirst(Child._meta.get_field(name).verbose_name) for name in fields}
    return version_check(
        version=version,
        saved=saved.version,
        thing="child's record",
        by=last.history_user if last else None,
        at=last.history_date if last else None,
        now_reads={labels[name]: plain(getattr(saved, name)) for name in fields},
        entered={labels[name]: plain(value) for name, value in fields.items()},
    )


@transaction.atomic
def child_update(
    *,
    child: Child,
    changed_by=None,
    change_reason: str = "",
    version: int | None = None,
    **fields,
) -> Child:
    child.version = _child_version(child, version, fields)
    if "last_panel_date" in fields:
        # A panel that decided for the child is never taken back, as in the import.
        decided = with_last_decided(Child.objects.filter(pk=child.pk)).values("last_decided")
        fields["last_panel_date"] = rules.last_panel_date(
            fields["last_panel_date"], decided[0]["last_decided"] if decided else None
        )
    if fields.get("looked_after_since", child.looked_after_since) != child.looked_after_since:
        # A date someone enters is the date, no longer the SSDA903 import's "at least".
        child.looked_after_since_at_least = False
    for name, value in fields.items():
        setattr(child, name, value)
    _secure_permanence_on_final_order(child)
    _validated(child)
    _apply_derived_dates(child, calendar())
    child._history_user = changed_by
    child._change_reason = change_reason or None
    child.save()
    return child


@transaction.atomic
def children_recompute(*, children=None, progress=None) -> int:
    """Recompute and store derived dates for many children (all by default).

    Run when something every child's dates depend on changes: a closure day, or a
    panel's limits (as a background job, `dates_recompute_start`). Loads the calendar once
    and writes in batches; returns how many children changed. Two never run at once: the
    second waits for the first, then reads the calendar and limits as they are by then.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK])
    working_days = calendar()
    queryset = (children if children is not None else Child.objects.all()).select_related("panel")
    total = queryset.count() if progress else 0
    changed, batch = 0, []
    for checked, child in enumerate(queryset.iterator(chunk_size=RECOMPUTE_BATCH)):
        if progress:
            progress(checked, total, RECOMPUTING)
        before = [getattr(child, field) for field in DERIVED_DATE_FIELDS]
        _apply_derived_dates(child, working_days)
        if before != [getattr(child, field) for field in DERIVED_DATE_FIELDS]:
            batch.append(child)
        if len(batch) == RECOMPUTE_BATCH:
            # Saved as it goes, so memory holds a batch, not every child that changed.
            _save_fields(batch, DERIVED_DATE_FIELDS, unless_saved_since=True)
            changed, batch = changed + len(batch), []
    # A child saved while this runs had its dates recomputed by its own save, from its new
    # values and a calendar at least as new as the one read here: keep those.
    _save_fields(batch, DERIVED_DATE_FIELDS, unless_saved_since=True)
    if progress:
        progress(total, total, RECOMPUTING)
    return changed + len(batch)


@transaction.atomic
def dates_recompute_start(*, by=None) -> Job:
    """Recompute every child's dates in the background, once the caller's change commits.

    A recompute still waiting to start is returned instead: it reads the calendar and the
    limits when it starts, so it covers this change too (its row is locked here, so it
    cannot start before this change commits). One already running may have read them
    before this change, so another is queued; it waits for the running one to finish.
    """
    waiting = (
        Job.objects.select_for_update()
        .filter(kind=RECOMPUTE_DATES, state=JobState.QUEUED)
        .order_by("pk")
        .first()
    )
    return waiting or job_start(kind=RECOMPUTE_DATES, by=by)


def children_import_start(*, by, upload, dry_run: bool, create_teams: bool) -> Job:
    """Check or import an uploaded CSV file in the background (tracker/jobs.py)."""
    return job_start(
        kind=IMPORT_CHILDREN,
        by=by,
        params={"dry_run": dry_run, "create_teams": create_teams},
        files=[(upload.name, upload.read())],
    )


@transaction.atomic
def children_import_confirm(*, dry_run: Job, by) -> Job:
    """Import the file a clean dry run checked, without uploading it again. Asked twice
    (a second click), it returns the import the first asked for."""
    dry_run = Job.objects.select_for_update().get(pk=dry_run.pk)
    if not (
        dry_run.kind == IMPORT_CHILDREN
        and dry_run.params.get("dry_run")
        and dry_run.state == JobState.SUCCEEDED
    ):
        raise ValidationError("Only a file whose check found no problems can be imported.")
    follow_up = dry_run.follow_ups.order_by("pk").first()
    if follow_up is not None:
        return follow_up
    params = {"dry_run": False, "create_teams": bool(dry_run.params.get("create_teams"))}
    return job_start(kind=IMPORT_CHILDREN, by=by, params=params, source=dry_run)


@transaction.atomic
def children_bulk_write(*, new: list[dict], changed: list[tuple[Child, dict]], changed_by=None):
    """Create and update many children at once, with their history: the imports' writer.

    The caller has already validated every row with the model's own checks (clean_fields
    and clean); the database's constraints still guard the date rules. One calendar and a
    few statements per thousand children (see _save_fields), instead of a dozen queries a
    child. A changed child's stored row is written with only the fields that changed in
    any of them, and its derived dates.
    """
    working_days = calendar()
    created = [Child(**fields) for fields in new]
    for child in created:
        _apply_derived_dates(child, working_days)
    updated, fields, now = [], {*DERIVED_DATE_FIELDS, "updated_at", "version"}, timezone.now()
    for child, changes in changed:
        for name, value in changes.items():
            setattr(child, name, value)
        child.updated_at = now
        # A form opened before the import is told of it when it saves.
        child.version += 1
        fields.update(changes, _secure_permanence_on_final_order(child))
        _apply_derived_dates(child, working_days)
        updated.append(child)
    for start in range(0, max(len(created), len(updated)), RECOMPUTE_BATCH):
        batch = slice(start, start + RECOMPUTE_BATCH)
        _insert(created[batch])
        _history_record(created[batch], changed_by=changed_by, update=False)
        _save_fields(updated[batch], fields)
        _history_record(updated[batch], changed_by=changed_by, update=True)
    return created, updated


# Referrals (intake) -----------------------------------------------------------------------

REFERRAL_SENT = "referral_sent"


def _referral_checked(referral: Referral) -> Referral:
    if referral.kind == ReferralKind.LEGAL_CHANGE and not referral.legal_status:
        raise ValidationError({"legal_status": "Choose the child's new legal status"})
    try:
        referral.full_clean(exclude=["child", "sent_by", "decided_by"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    return referral


def referral_notify(*, referral: Referral) -> int:
    """Email every active administrator once about a new referral, through the outbox: in
    the referral's own transaction, keyed on it, so a retry never sends it twice. The
    subject names the child by initials and case number only. Returns how many."""
    working_days = calendar()
    queued = 0
    for administrator in users_holding(Role.ADMINISTRATOR):
        notification = outbox.notify(
            kind=REFERRAL_SENT,
            about=f"referral:{referral.pk}",
            recipient=administrator,
            subject=f"Referral: {referral.initials} ({referral.case_number}), "
            f"{referral.get_kind_display().lower()}",
            template=f"emails/{REFERRAL_SENT}",
            context={
                "referral": referral,
                "due": rules.referral_due(referral.sent_on, working_days),
            },
        )
        queued += notification is not None
    return queued


@transaction.atomic
def referral_send(
    *,
    sent_by,
    kind: str,
    happened_on,
    case_number: str,
    first_name: str,
    last_name: str,
    date_of_birth=None,
    team=None,
    legal_status: str = "",
    note: str = "",
) -> Referral:
    """A team manager, social worker or Business Intelligence tells the administrator of a
    child new to care or proceedings, or of a change in the legal process. It is linked to
    the child already on the tracker with that case number when the sender may see them;
    otherwise the administrator matches it by case number on accepting, so a referral
    never reveals whether another team's child exists."""
    if not can_send_referrals(sent_by):
        raise ValidationError(
            "Only team managers, social workers and Business Intelligence send referrals."
        )
    case_number = case_number.strip()
    referral = _referral_checked(
        Referral(
            sent_by=sent_by,
            kind=kind,
            happened_on=happened_on,
            case_number=case_number,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            date_of_birth=date_of_birth,
            team=team if team is not None else sent_by.team,
            legal_status=legal_status,
            note=note.strip(),
            child=visible_children(sent_by).filter(case_number__iexact=case_number).first(),
        )
    )
    referral.save()
    referral_notify(referral=referral)
    return referral


def _open_referral(referral: Referral) -> Referral:
    """The referral, locked, while it is still open: two administrators take turns."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_open:
        raise ValidationError(f"This referral is already {referral.get_status_display().lower()}.")
    return referral


def _referral_changes(referral: Referral, child: Child | None) -> dict:
    """The child's fields the referral sets: the date of what happened, the legal status."""
    changes = {}
    name = REFERRAL_DATE_FIELDS.get(referral.kind)
    if name:
        recorded = getattr(child, name) if child else None
        if recorded and recorded != referral.happened_on:
            label = Child._meta.get_field(name).verbose_name
            raise ValidationError(
                f"{child.full_name}'s {label} is already recorded as "
                f"{date_format(recorded)}. Correct the child's record, or decline the "
                "referral if it repeats one already made."
            )
        if not recorded:
            changes[name] = referral.happened_on
    if referral.legal_status:
        changes["legal_status"] = referral.legal_status
    return changes


@transaction.atomic
def referral_accept(*, referral: Referral, by, panel=None) -> Child:
    """Put the referred child on the tracker: update the child with the referral's case
    number, or create them, through child_update/child_create, so the change is in the
    child's history naming the referral. A new child's team, social worker and team
    manager come from the referral and its sender. Returns the child, to book."""
    if not can_manage_children(by):
        raise ValidationError("Only panel administrators accept referrals.")
    referral = _open_referral(referral)
    reason = (
        f"Referral {referral.pk}: {referral.get_kind_display().lower()} on "
        f"{date_format(referral.happened_on)}"
    )
    child = (
        Child.objects.select_for_update()
        .filter(case_number__iexact=referral.case_number)
        .order_by("pk")
        .first()
    )
    changes = _referral_changes(referral, child)
    if child is None:
        sender = referral.sent_by
        child = child_create(
            changed_by=by,
            change_reason=reason,
            case_number=referral.case_number,
            first_name=referral.first_name,
            last_name=referral.last_name,
            date_of_birth=referral.date_of_birth,
            team=referral.team,
            social_worker=sender if sender.has_role(Role.SOCIAL_WORKER) else None,
            team_manager=sender if sender.has_role(Role.TEAM_MANAGER) else None,
            panel=panel,
            **changes,
        )
    else:
        if panel is not None and child.panel_id is None:
            changes["panel"] = panel
        child = child_update(child=child, changed_by=by, change_reason=reason, **changes)
    referral.child = child
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_by, referral.decided_at = by, timezone.now()
    referral.save(update_fields=["child", "status", "decided_by", "decided_at"])
    return child


@transaction.atomic
def referral_decline(*, referral: Referral, by, reason: str) -> Referral:
    """Decline a referral that is a duplicate or was sent in error, saying why: the sender
    sees the reason on their referrals."""
    if not can_manage_children(by):
        raise ValidationError("Only panel administrators decline referrals.")
    referral = _open_referral(referral)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is declined."})
    referral.status = ReferralStatus.DECLINED
    referral.declined_reason = reason.strip()
    referral.decided_by, referral.decided_at = by, timezone.now()
    _referral_checked(referral)
    referral.save(update_fields=["status", "declined_reason", "decided_by", "decided_at"])
    return referral


# Saved tracker filters --------------------------------------------------------------------

# A search names a child, and "Flags as of" is the day a filter is used (for a tracking list,
# the meeting's date), so neither is kept with a saved filter.
NOT_SAVED = ("q", "as_of")


@transaction.atomic
def saved_filter_create(*, name: str, query: str, saved_by) -> SavedFilter:
    """Name the tracker's filters (`query`, the tracker page's query string) so anyone who
    reads the tracker can apply them again, and a tracking list can be built from them."""
    if not can_manage_children(saved_by):
        raise ValidationError("Only panel administrators save tracker filters.")
    data = QueryDict(query)
    if data.get("q", "").strip():
        raise ValidationError(
            "A saved filter cannot search for a name or case number: saved filters are "
            "listed to everyone who uses the tracker, so one would show a child's name to "
            "people who may not see that child. Clear “Name or case number” and save the "
            "other filters."
        )
    filterset = TrackerFilter(data, queryset=Child.objects.none())
    if not filterset.is_valid():
        problems = [message for messages in filterset.errors.values() for message in messages]
        raise ValidationError(f"Correct the filters before saving them: {' '.join(problems)}")
    query = filter_query(data, leave_out=NOT_SAVED)
    if not query:
        raise ValidationError(
            "Choose at least one filter before saving: with none, the tracker already shows "
            "every child being tracked."
        )
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter a name for the filter"})
    if SavedFilter.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": f"There is already a saved filter called “{name}”: choose another name"}
        )
    return SavedFilter.objects.create(name=name, query=query, saved_by=saved_by)


@transaction.atomic
def saved_filter_delete(*, saved_filter: SavedFilter, deleted_by) -> None:
    """Remove a saved filter. Tracking lists built from it keep their children: a booking
    does not remember the filter that found it."""
    if not can_manage_children(deleted_by):
        raise ValidationError("Only panel administrators remove saved tracker filters.")
    saved_filter.delete()


@transaction.atomic
def child_legal_hold_place(*, child: Child, reason: str, by) -> Child:
    """Stop the record's disposal (litigation, an inquiry, a subject access request) until
    an administrator lifts the hold. The reason is kept, with who placed it and when."""
    if not can_keep_records(by):
        raise ValidationError("Only panel administrators place a legal hold on a record.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the record must be kept"})
    child = Child.objects.select_for_update().get(pk=child.pk)
    if child.on_legal_hold:
        since = date_format(timezone.localtime(child.legal_hold_since), "DATE_FORMAT")
        raise ValidationError(
            f"The record is already on legal hold since {since}: lift that hold first to "
            "give a new reason."
        )
    child.legal_hold_since, child.legal_hold_reason, child.legal_hold_by = (
        timezone.now(),
        reason,
        by,
    )
    child._history_user = by
    child._change_reason = "Legal hold placed"
    child.save(update_fields=["legal_hold_since", "legal_hold_reason", "legal_hold_by"])
    return child


@transaction.atomic
def child_legal_hold_lift(*, child: Child, by) -> Child:
    """Let the record be disposed of again on its date. Who lifted it is in the history."""
    if not can_keep_records(by):
        raise ValidationError("Only panel administrators lift a legal hold.")
    child = Child.objects.select_for_update().get(pk=child.pk)
    if not child.on_legal_hold:
        raise ValidationError("The record is not on legal hold.")
    child.legal_hold_since, child.legal_hold_reason, child.legal_hold_by = None, "", None
    child._history_user = by
    child._change_reason = "Legal hold lifted"
    child.save(update_fields=["legal_hold_since", "legal_hold_reason", "legal_hold_by"])
    return child


# Carers and their approval (issue 16; Somerset 7) ---------------------------------------------

CARER_FIELDS = frozenset({"name", "kind", "reference"})


@transaction.atomic
def carer_create(*, by, **fields) -> Carer:
    """Add a carer's record: who they are, before any approval is recorded."""
    carer = Carer()
    return carer_update(carer=carer, by=by, **fields)


@transaction.atomic
def carer_update(*, carer: Carer, by, **fields) -> Carer:
    unknown = set(fields) - CARER_FIELDS
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} on a carer")
    for name, value in fields.items():
        setattr(carer, name, value.strip() if isinstance(value, str) else value)
    carer._history_user = by
    carer.full_clean()
    carer.save()
    return carer


@transaction.atomic
def carer_approval_record(
    *,
    carer: Carer,
    approved_for: str,
    approved_for_permanence: bool,
    approving_panel: str,
    approved_on,
    by,
) -> Carer:
    """Record the carers' approval as the approving panel gave it. The earlier approval stays
    in the carer's history."""
    carer = Carer.objects.select_for_update().get(pk=carer.pk)
    errors = {}
    if not approved_for.strip():
        errors["approved_for"] = "Say what the carers are approved for."
    if not approving_panel.strip():
        errors["approving_panel"] = "Give the panel that approved the carers."
    if approved_on is None:
        errors["approved_on"] = "Give the date of approval."
    elif approved_on > timezone.localdate():
        errors["approved_on"] = "The date of approval cannot be in the future."
    if errors:
        raise ValidationError(errors)
    carer.approved_for = approved_for.strip()
    carer.approved_for_permanence = approved_for_permanence
    carer.approving_panel = approving_panel.strip()
    carer.approved_on = approved_on
    carer._history_user = by
    carer.full_clean()
    carer.save()
    return carer


@transaction.atomic
def child_carer_link(*, child: Child, carer: Carer, role: str, by) -> ChildCarer:
    """Link a child to their current or proposed carers; linking them again changes the role."""
    if role not in CarerRole.values:
        raise ValidationError({"role": "Choose current or proposed carer."})
    link, created = ChildCarer.objects.select_for_update().get_or_create(
        child=child, carer=carer, defaults={"role": role, "linked_by": by}
    )
    if not created and link.role != role:
        link.role = role
        link.save(update_fields=["role"])
    return link


@transaction.atomic
def child_carer_unlink(*, link: ChildCarer, by) -> None:
    link.delete()
