"""Members' contributions: requested from each seat when a child is booked, written by the
seat's member or, when they are away, by a representative."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from permanence.versions import version_check
from permanence.workdays import calendar

from ..models import (
    KIND_FIELDS,
    Booking,
    BookingStatus,
    Contribution,
    ContributionKind,
    ExpectedContribution,
    RequestPurpose,
)


def preset_rows(panel, expected) -> list[dict]:
    """The preset's expected contributions as rows for `panel_preset_load`'s sync, each with
    the panel's seat of the name the preset gives (the preset loads the seats first)."""
    seats = {seat.role_on_panel: seat for seat in panel.memberships.all()}
    return [
        {"kind": item.kind, "seat": seats[item.seat], "due_days": item.due_days, "order": n}
        for n, item in enumerate(expected, 1)
    ]


@transaction.atomic
def contributions_request(*, booking: Booking) -> list[Contribution]:
    """Ask each seat the panel expects a contribution from, for a booked child (not for a
    tracking review), and set
    the due dates from the booking's meeting. A booking moved to another meeting keeps what
    was written, and what is still to write is due by the new meeting's date."""
    if booking.status != BookingStatus.BOOKED or booking.meeting is None:
        return []
    # A tracking review goes through a list of children without papers: Knowsley's adoption
    # tracking is the part "the Virtual Head will not be required" for.
    if booking.request_type.purpose == RequestPurpose.TRACKING:
        return []
    working_days = calendar()
    existing = {item.kind: item for item in booking.contributions.all()}
    requested = []
    expected = ExpectedContribution.objects.filter(panel=booking.panel_id).select_related("seat")
    for item in expected:
        due = working_days.add_working_days(booking.meeting.date, item.due_days)
        contribution = existing.get(item.kind)
        if contribution is None:
            contribution = Contribution.objects.create(
                booking=booking,
                kind=item.kind,
                seat=item.seat,
                role_on_panel=item.seat.role_on_panel,
                due_date=due,
                order=item.order,
            )
            requested.append(contribution)
        elif not contribution.is_written and contribution.due_date != due:
            contribution.due_date = due
            contribution.save(update_fields=["due_date"])
    return requested


def represented_member(contribution: Contribution, by) -> str:
    """Empty when the seat's member writes; else the member they stand in for."""
    seat = contribution.seat
    if seat is not None and seat.user_id == by.pk:
        return ""
    member = seat.user if seat is not None and seat.user_id else None
    return f"{member}, {contribution.role_on_panel}" if member else contribution.role_on_panel


@transaction.atomic
def contribution_write(
    *, contribution: Contribution, by, summary: str, version: int | None = None, **answers
) -> Contribution:
    """Write (or rewrite) a contribution. Someone other than the seat's member writes it as
    their representative, and the contribution says whose place they took. `version` is the
    one the form was opened at: a save by someone else since then is refused."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    contribution.version = version_check(
        version=version,
        saved=contribution.version,
        thing="contribution",
        by=contribution.written_by,
        at=contribution.written_at,
        now_reads={"Summary": contribution.summary},
        entered={"Summary": summary.strip()},
    )
    allowed = set(KIND_FIELDS[ContributionKind(contribution.kind)])
    unknown = set(answers) - allowed
    if unknown:
        raise TypeError(f"A {contribution.kind} contribution has no {', '.join(sorted(unknown))}")
    if contribution.booking.status == BookingStatus.CANCELLED:
        raise ValidationError("This booking is cancelled, so panel will not hear the child.")
    if not summary.strip():
        raise ValidationError({"summary": "Write a short summary for panel."})
    for name, value in answers.items():
        setattr(contribution, name, value)
    contribution.summary = summary.strip()
    contribution.written_by = by
    contribution.written_at = timezone.now()
    contribution.represented_member = represented_member(contribution, by)
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def expected_contributions_set(*, panel, expected: dict) -> int:
    """Set which kinds of contribution the panel expects, from which seat and by when:
    `expected` maps a kind to (seat, due_days), or to None when the panel no longer asks
    for it. Children already booked keep what they were asked; the next booking write asks
    anew. Returns how many kinds changed."""
    changes = 0
    current = {item.kind: item for item in panel.expected_contributions.all()}
    for order, kind in enumerate(ContributionKind, 1):
        wanted = expected.get(kind)
        item = current.get(kind)
        if wanted is None:
            if item is not None:
                item.delete()
                changes += 1
            continue
        seat, due_days = wanted
        if seat.panel_id != panel.pk:
            raise ValidationError({f"{kind}_seat": "Choose one of this panel's seats."})
        if item is not None and (item.seat_id, item.due_days, item.order) == (
            seat.pk,
            due_days,
            order,
        ):
            continue
        item = item or ExpectedContribution(panel=panel, kind=kind)
        item.seat, item.due_days, item.order = seat, due_days, order
        item.full_clean()
        item.save()
        changes += 1
    return changes
