"""Every write in the minutes app: attendance, decisions and their effects, actions,
ratifying minutes, senior approvals and emergency decisions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from agendas import services as agendas_services
from agendas.models import (
    Booking,
    BookingStatus,
    Meeting,
    MeetingStatus,
    Outcome,
    OutcomeEffect,
    Panel,
    RequestPurpose,
)
from tracker import services as tracker_services

from . import notices
from .models import (
    ApprovalStatus,
    AttendanceStatus,
    Decision,
    EmergencyDecision,
    MeetingAttendance,
    Minutes,
    PanelAction,
)

FORWARDING = (OutcomeEffect.DEFER, OutcomeEffect.RE_PRESENT)


def _minutes_of(meeting: Meeting) -> Minutes:
    minutes, _ = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
    return minutes


def _check_not_ratified(meeting: Meeting) -> None:
    if _minutes_of(meeting).is_ratified:
        raise ValidationError(
            "The chair has ratified these minutes, so their decisions are locked. "
            "Amend a decision with a reason instead."
        )


@transaction.atomic
def attendance_record(*, meeting: Meeting, rows: list[dict]) -> list[MeetingAttendance]:
    """Record each seat's attendance: rows of membership, status and any representative."""
    _check_not_ratified(meeting)
    saved = []
    for row in rows:
        membership = row["membership"]
        if membership.panel_id != meeting.panel_id:
            raise ValidationError("Record attendance for this panel's seats only.")
        status = row["status"]
        name = row.get("representative_name", "").strip()
        if status == AttendanceStatus.REPRESENTED and not name:
            raise ValidationError(
                {
                    "representative_name": f"Give the name of the representative for "
                    f"{membership.role_on_panel}."
                }
            )
        attendance, _ = MeetingAttendance.objects.update_or_create(
            meeting=meeting,
            role_on_panel=membership.role_on_panel,
            defaults={
                "membership": membership,
                "name": str(membership.user) if membership.user else "",
                "status": status,
                "representative_name": name if status == AttendanceStatus.REPRESENTED else "",
                "representative_role": row.get("representative_role", "").strip()
                if status == AttendanceStatus.REPRESENTED
                else "",
            },
        )
        saved.append(attendance)
    return saved


def _needs_approval(booking: Booking, outcome: Outcome) -> bool:
    """Knowsley: a recommendation, or agreeing a request its senior officer decides."""
    return outcome.effect == OutcomeEffect.RECOMMEND or (
        outcome.effect == OutcomeEffect.AGREE and booking.request_type.needs_senior_decision
    )


def _update_tracker(decision: Decision, *, by) -> None:
    """What the decision changes on the child's record."""
    booking = decision.booking
    child = booking.child
    meeting_date = booking.meeting.date
    changes = {}
    if not child.last_panel_date or child.last_panel_date < meeting_date:
        changes["last_panel_date"] = meeting_date
    if decision.primary_plan:
        changes.update(primary_plan=decision.primary_plan, plan_agreed_date=meeting_date)
        if decision.contingency_plan:
            changes["contingency_plan"] = decision.contingency_plan
    agreed = decision.outcome.effect == OutcomeEffect.AGREE or (
        decision.approval_status == ApprovalStatus.APPROVED
    )
    if agreed and decision.approval_status != ApprovalStatus.AWAITING:
        purpose = booking.request_type.purpose
        if purpose == RequestPurpose.MATCH and not child.match_date:
            changes["match_date"] = meeting_date
        if purpose == RequestPurpose.PERMANENCE and not child.permanence_secured_date:
            changes["permanence_secured_date"] = meeting_date
    if changes:
        tracker_services.child_update(child=child, changed_by=by, **changes)


def _forward(decision: Decision, *, by) -> None:
    """A deferral or re-presentation books the child again; another outcome undoes that."""
    booking = decision.booking
    forwarding = decision.outcome.effect in FORWARDING
    previous = decision.forward_booking
    if previous and (not forwarding or previous.meeting_id is None):
        if previous.status != BookingStatus.CANCELLED:
            agendas_services.booking_cancel(
                booking=previous, reason="Panel's decision for the earlier meeting changed."
            )
        decision.forward_booking = None
    if not forwarding or decision.forward_booking:
        return
    open_actions = [
        f"- {action.description} ({action.owner}, by {date_format(action.due_date)})"
        for action in (
            decision.actions.filter(completed_at__isnull=True).select_related("owner")
            if decision.pk
            else []
        )
    ]
    what = (
        f"Deferred for: {decision.further_information}"
        if decision.outcome.effect == OutcomeEffect.DEFER
        else f"Re-presented: {decision.rationale}"
    )
    reason = "\n".join(
        [
            f"From panel on {date_format(booking.meeting.date)}. {what}",
            *(["Open actions:", *open_actions] if open_actions else []),
        ]
    )
    decision.forward_booking = agendas_services.booking_forward(
        panel=booking.panel,
        child=booking.child,
        on_or_after=decision.by_date,
        reason=reason,
        booked_by=by,
        purpose=RequestPurpose.RE_PRESENTATION,
        fallback=booking,
    )


DECISION_FIELDS = frozenset(
    {
        "timescales",
        "further_information",
        "by_date",
        "primary_plan",
        "contingency_plan",
        "social_worker_attended",
        "team_manager_attended",
    }
)


def _validate(booking: Booking, outcome: Outcome, rationale: str, fields: dict) -> None:
    errors = {}
    if outcome.panel_id != booking.panel_id:
        errors["outcome"] = "Choose one of this panel's outcomes."
    if not rationale.strip():
        errors["rationale"] = "Give panel's rationale for the decision."
    if outcome.effect == OutcomeEffect.DEFER and not fields.get("further_information", "").strip():
        errors["further_information"] = "Say what further information panel needs."
    if outcome.effect in FORWARDING and not fields.get("by_date"):
        errors["by_date"] = (
            "Give the date by which the information is needed."
            if outcome.effect == OutcomeEffect.DEFER
            else "Give the date by which the child comes back to panel."
        )
    by_date = fields.get("by_date")
    if by_date and booking.meeting and by_date <= booking.meeting.date:
        errors["by_date"] = (
            f"The date must be after the panel, {date_format(booking.meeting.date)}."
        )
    if fields.get("contingency_plan") and not fields.get("primary_plan"):
        errors["primary_plan"] = "Give the plan for permanence with its contingency."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_record(
    *, booking: Booking, outcome: Outcome, rationale: str, recorded_by, **fields
) -> Decision:
    """Record (or correct, until the minutes are ratified) panel's decision for a booking.

    The decision updates the child's tracker record, forward-books a deferral or
    re-presentation, and waits for a senior officer where the panel only recommends.
    """
    unknown = set(fields) - DECISION_FIELDS
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} on a decision")
    booking = (
        # Lock the booking row only: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join to the meeting.
        Booking.objects.select_for_update(of=("self",))
        .select_related("meeting__panel", "child", "request_type", "panel")
        .get(pk=booking.pk)
    )
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError(
            f"This booking is {booking.get_status_display().lower()}: "
            "panel makes no decision on it."
        )
    meeting = booking.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled.")
    if meeting.date > timezone.localdate():
        raise ValidationError(
            f"The panel meets on {date_format(meeting.date)}: record its decision on the day."
        )
    _check_not_ratified(meeting)
    _validate(booking, outcome, rationale, fields)

    decision = Decision.objects.filter(booking=booking).first() or Decision(
        booking=booking, recorded_by=recorded_by
    )
    decision.outcome = outcome
    decision.rationale = rationale.strip()
    for name in DECISION_FIELDS:
        default = None if name == "by_date" else (False if name.endswith("attended") else "")
        setattr(decision, name, fields.get(name, default))
    if _needs_approval(booking, outcome):
        if decision.approval_status not in (ApprovalStatus.APPROVED, ApprovalStatus.DECLINED):
            decision.approval_status = ApprovalStatus.AWAITING
    else:
        decision.approval_status = ApprovalStatus.NOT_NEEDED
        decision.approval_by, decision.approval_comment = None, ""
        decision.approval_decided_at = None
    _forward(decision, by=recorded_by)
    decision._history_user = recorded_by
    decision.save()
    _update_tracker(decision, by=recorded_by)
    return decision


@transaction.atomic
def decision_amend(*, decision: Decision, reason: str, by, outcome=None, rationale=None, **fields):
    """Correct a decision after the minutes are ratified; the history keeps both versions."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the decision is amended."})
    unknown = set(fields) - DECISION_FIELDS
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} on a decision")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    outcome = outcome or decision.outcome
    rationale = rationale if rationale is not None else decision.rationale
    merged = {name: getattr(decision, name) for name in DECISION_FIELDS} | fields
    _validate(decision.booking, outcome, rationale, merged)
    decision.outcome, decision.rationale = outcome, rationale.strip()
    for name, value in merged.items():
        setattr(decision, name, value)
    _forward(decision, by=by)
    decision._history_user = by
    decision._change_reason = reason.strip()
    decision.save()
    _update_tracker(decision, by=by)
    return decision


@transaction.atomic
def decision_approve(*, decision: Decision, by, approved: bool, comment: str) -> Decision:
    """The senior officer's decision on what panel recommended."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.approval_status != ApprovalStatus.AWAITING:
        raise ValidationError("This decision is not waiting for a senior decision.")
    if not approved and not comment.strip():
        raise ValidationError({"comment": "Say why the recommendation is declined."})
    decision.approval_status = ApprovalStatus.APPROVED if approved else ApprovalStatus.DECLINED
    decision.approval_by = by
    decision.approval_comment = comment.strip()
    decision.approval_decided_at = timezone.now()
    decision._history_user = by
    decision.save()
    if approved:
        _update_tracker(decision, by=by)
    return decision


@transaction.atomic
def decision_mark_recorded_on_file(*, decision: Decision, by) -> Decision:
    if decision.recorded_on_file_at:
        raise ValidationError("This decision is already marked as recorded on the child's file.")
    decision.recorded_on_file_at = timezone.now()
    decision.recorded_on_file_by = by
    decision.save(update_fields=["recorded_on_file_at", "recorded_on_file_by"])
    return decision


@transaction.atomic
def action_add(*, decision: Decision, description: str, owner, due_date: date) -> PanelAction:
    _check_not_ratified(decision.booking.meeting)
    if not description.strip():
        raise ValidationError({"description": "Say what is to be done."})
    if due_date < decision.booking.meeting.date:
        raise ValidationError({"due_date": "An action is due on or after the panel."})
    return PanelAction.objects.create(
        child=decision.booking.child,
        decision=decision,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
    )


@transaction.atomic
def action_complete(*, action: PanelAction, note: str) -> PanelAction:
    if action.completed_at:
        raise ValidationError("This action is already completed.")
    if not note.strip():
        raise ValidationError({"note": "Say what was done."})
    action.completed_at = timezone.now()
    action.completion_note = note.strip()
    action.save(update_fields=["completed_at", "completion_note"])
    return action


@transaction.atomic
def minutes_save(*, meeting: Meeting, notes: str) -> Minutes:
    minutes = _minutes_of(meeting)
    if minutes.is_ratified:
        raise ValidationError("The chair has ratified these minutes: they can no longer change.")
    minutes.notes = notes.strip()
    minutes.save(update_fields=["notes", "updated_at"])
    return minutes


@transaction.atomic
def minutes_ratify(*, meeting: Meeting, chair) -> Minutes:
    """The chair ratifies the minutes, locking the meeting's decisions."""
    minutes = _minutes_of(meeting)
    panel = meeting.panel
    if chair.pk not in (panel.chair_id, panel.deputy_chair_id):
        raise ValidationError("Only the panel's chair or deputy chair can ratify its minutes.")
    if minutes.is_ratified:
        raise ValidationError("These minutes are already ratified.")
    undecided = meeting.bookings.filter(status=BookingStatus.BOOKED, decision__isnull=True)
    if undecided.exists():
        names = ", ".join(booking.child.full_name for booking in undecided.select_related("child"))
        raise ValidationError(f"Record panel's decision for every child first: {names}.")
    minutes.ratified_at = timezone.now()
    minutes.ratified_by = chair
    minutes.save(update_fields=["ratified_at", "ratified_by", "updated_at"])
    # With the ratification: the minutes to the panel, each decision to the child's workers.
    notices.minutes_ratified(meeting=meeting, minutes=minutes)
    return minutes


@transaction.atomic
def minutes_mark_distributed(*, meeting: Meeting, by) -> Minutes:
    minutes = _minutes_of(meeting)
    if not minutes.is_ratified:
        raise ValidationError("The chair has not ratified these minutes yet.")
    minutes.distributed_at = timezone.now()
    minutes.distributed_by = by
    minutes.save(update_fields=["distributed_at", "distributed_by", "updated_at"])
    return minutes


@transaction.atomic
def emergency_decision_record(
    *,
    panel: Panel,
    child,
    decided_on: date,
    decided_by_role: str,
    decided_by_name: str,
    decision: str,
    rationale: str,
    recorded_by,
) -> EmergencyDecision:
    """Record a decision made outside panel and book it onto the next meeting to ratify."""
    roles = panel.emergency_decision_roles
    if not roles:
        raise ValidationError(f"{panel.name} takes no emergency decisions outside panel.")
    if decided_by_role not in roles:
        raise ValidationError(
            {
                "decided_by_role": f"Only the {' or the '.join(roles)} "
                "can make an emergency decision."
            }
        )
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "The decision date cannot be in the future."})
    errors = {}
    if not decided_by_name.strip():
        errors["decided_by_name"] = "Give the name of the person who decided."
    if not decision.strip():
        errors["decision"] = "Say what was decided."
    if not rationale.strip():
        errors["rationale"] = "Give the rationale for the decision."
    if errors:
        raise ValidationError(errors)
    emergency = EmergencyDecision.objects.create(
        panel=panel,
        child=child,
        decided_on=decided_on,
        decided_by_role=decided_by_role,
        decided_by_name=decided_by_name.strip(),
        decision=decision.strip(),
        rationale=rationale.strip(),
        recorded_by=recorded_by,
    )
    emergency.ratification_booking = agendas_services.booking_forward(
        panel=panel,
        child=child,
        on_or_after=timezone.localdate(),
        reason=(
            f"Retrospective ratification of the emergency decision made on "
            f"{date_format(decided_on)} by the {decided_by_role}: {emergency.decision}"
        ),
        booked_by=recorded_by,
        purpose=RequestPurpose.RETROSPECTIVE,
    )
    emergency.save(update_fields=["ratification_booking"])
    return emergency
