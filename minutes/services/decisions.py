"""Panel's decisions and what they change: the tracker, forward bookings, senior approval."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from agendas import selectors as agendas_selectors
from agendas import services as agendas_services
from agendas.models import (
    TRACKING_EFFECTS,
    AmountVerdict,
    Booking,
    BookingStatus,
    MeetingStatus,
    Outcome,
    OutcomeEffect,
    RequestPurpose,
    RequestType,
)
from permanence.versions import plain, version_check
from tracker import services as tracker_services

from .. import money, notices
from ..models import ApprovalStatus, Decision, PanelAction
from .meetings import check_not_ratified

FORWARDING = (OutcomeEffect.DEFER, OutcomeEffect.RE_PRESENT, OutcomeEffect.ESCALATE)
FORWARDED_AS = {
    OutcomeEffect.DEFER: "deferred",
    OutcomeEffect.RE_PRESENT: "re-presented",
    OutcomeEffect.ESCALATE: "escalated from tracking to a request",
}


def _needs_approval(booking: Booking, outcome: Outcome) -> bool:
    """Knowsley: a recommendation, or agreeing a request its senior officer decides, or
    agreeing amounts above the request type's scheme of delegation (minutes/money.py)."""
    return outcome.effect == OutcomeEffect.RECOMMEND or (
        outcome.effect == OutcomeEffect.AGREE
        and (
            booking.request_type.needs_senior_decision
            or money.over_delegation_limit(booking, outcome)
        )
    )


def _set_approval(decision: Decision, outcome: Outcome) -> None:
    if _needs_approval(decision.booking, outcome):
        if decision.approval_status not in (ApprovalStatus.APPROVED, ApprovalStatus.DECLINED):
            decision.approval_status = ApprovalStatus.AWAITING
    else:
        decision.approval_status = ApprovalStatus.NOT_NEEDED
        decision.approval_by, decision.approval_comment = None, ""
        decision.approval_decided_at = None


def amounts_follow_outcome(decision: Decision) -> None:
    """An outcome that agrees the request approves each amount the chair has not changed
    or refused, as asked; any other outcome agrees none of them."""
    amounts = decision.booking.amounts
    if decision.outcome.effect in money.APPROVING_EFFECTS:
        for amount in amounts.filter(verdict=AmountVerdict.UNDECIDED):
            amount.verdict, amount.approved_amount = AmountVerdict.APPROVED, amount.amount
            amount.save(update_fields=["verdict", "approved_amount"])
    else:
        amounts.update(verdict=AmountVerdict.UNDECIDED, approved_amount=None)


def _update_tracker(decision: Decision, *, by) -> None:
    """What the decision changes on the child's record."""
    booking = decision.booking
    child = booking.child
    meeting_date = booking.meeting.date
    if decision.outcome.effect == OutcomeEffect.NOT_DISCUSSED:
        return  # not a discussion: nothing moves, and the child stays due
    changes = {}
    if not child.last_panel_date or child.last_panel_date <= meeting_date:
        # This is the child's last discussion, so its frequency (or none) is the chair's.
        changes.update(
            last_panel_date=meeting_date,
            panel_review_every=decision.comes_back_every,
            panel_review_unit=decision.comes_back_unit,
            panel_review_by=decision.comes_back_by,
            panel_review_set_on=meeting_date if decision.comes_back else None,
            panel_review_set_by=by if decision.comes_back else None,
        )
        if all(getattr(child, name) == value for name, value in changes.items()):
            changes = {}
    if decision.primary_plan:
        changes.update(primary_plan=decision.primary_plan, plan_agreed_date=meeting_date)
        if decision.contingency_plan:
            changes["contingency_plan"] = decision.contingency_plan
    agreed = decision.outcome.effect == OutcomeEffect.AGREE or (
        decision.approval_status == ApprovalStatus.APPROVED
    )
    if agreed and decision.approval_status != ApprovalStatus.AWAITING:
        purpose = booking.request_type.purpose
        # Each kind of match in its own field: only an adoption match stops
        # placement_order_no_match.
        if purpose == RequestPurpose.ADOPTION_MATCH and not child.match_date:
            changes["match_date"] = meeting_date
        if purpose == RequestPurpose.LONG_TERM_MATCH and not child.long_term_match_date:
            changes["long_term_match_date"] = meeting_date
        if purpose == RequestPurpose.PERMANENCE and not child.permanence_secured_date:
            if not child.awaits_final_order:
                changes["permanence_secured_date"] = meeting_date
            elif not child.permanence_pending_since:
                # Secured by tracker.services when the final order is recorded.
                changes["permanence_pending_since"] = meeting_date
    if changes:
        tracker_services.child_update(child=child, changed_by=by, **changes)


def _forward(decision: Decision, *, by, request_type: RequestType | None = None) -> None:
    """A deferral or re-presentation books the child again; another outcome undoes that.

    The new booking links back to this decision (`forward_booking`), so the agenda, the
    pack and the chair read the reason and the actions from the live records. It keeps the
    request type unless the chair chose another, and the documents already sent.
    """
    booking = decision.booking
    forwarding = decision.outcome.effect in FORWARDING
    previous = decision.forward_booking
    if previous and (not forwarding or previous.meeting_id is None):
        if previous.status != BookingStatus.CANCELLED:
            agendas_services.booking_cancel(
                booking=previous, reason="Panel's decision for the earlier meeting changed."
            )
        decision.forward_booking = None
    if forwarding and request_type is not None and request_type.panel_id != booking.panel_id:
        raise ValidationError({"forward_request_type": "Choose one of this panel's requests."})
    if not forwarding:
        return
    if booking.is_tracking and (
        request_type is None or request_type.purpose == RequestPurpose.TRACKING
    ):
        raise ValidationError(
            {"forward_request_type": "Choose the request the child comes back to panel for."}
        )
    forward = decision.forward_booking
    if forward:
        if request_type is not None and forward.request_type_id != request_type.pk:
            agendas_services.booking_update(booking=forward, request_type=request_type)
        return
    what = FORWARDED_AS[decision.outcome.effect]
    decision.forward_booking = agendas_services.booking_forward(
        panel=booking.panel,
        child=booking.child,
        on_or_after=decision.by_date,
        reason=f"From panel on {date_format(booking.meeting.date)}: {what}.",
        booked_by=by,
        purpose=RequestPurpose.RE_PRESENTATION,
        fallback=booking,
        request_type=request_type or booking.request_type,
    )
    agendas_services.submission_carry_forward(
        source=booking, target=decision.forward_booking, by=by
    )


TEXT_FIELDS = frozenset(
    {"timescales", "further_information", "primary_plan", "contingency_plan", "comes_back_unit"}
)
NULL_FIELDS = frozenset({"by_date", "comes_back_every", "comes_back_by"})
DECISION_FIELDS = frozenset(
    {
        "timescales",
        "further_information",
        "by_date",
        "primary_plan",
        "contingency_plan",
        "social_worker_attended",
        "team_manager_attended",
        "subject_to_final_order",
        "comes_back_every",
        "comes_back_unit",
        "comes_back_by",
    }
)


def _final_order_errors(booking: Booking, outcome: Outcome, fields: dict) -> dict:
    """A placement is not permanent while care proceedings wait for their final order,
    unless panel ratifies it subject to that order."""
    child = booking.child
    ratifies = (
        booking.request_type.purpose == RequestPurpose.PERMANENCE
        and outcome.effect == OutcomeEffect.AGREE
    )
    # Once the order is recorded permanence is secured, and the decision stays as it was.
    waiting = not child.permanence_secured_date and child.awaits_final_order
    subject = fields.get("subject_to_final_order")
    if ratifies and waiting and not subject:
        return {
            "subject_to_final_order": (
                f"{child.full_name}'s care proceedings, issued on "
                f"{date_format(child.proceedings_issued)}, have no final order yet, so the "
                "placement cannot be ratified as permanent today. Record it as ratified "
                "subject to the final order, or record the final order on the child first."
            )
        }
    if subject and not (ratifies and (waiting or child.permanence_secured_date)):
        return {
            "subject_to_final_order": (
                "Only ratifying a placement as permanent, for a child whose care proceedings "
                "have no final order, is recorded subject to the final order."
            )
        }
    return {}


def _comes_back_errors(booking: Booking, fields: dict) -> dict:
    every, unit, by = (fields.get(f"comes_back_{name}") for name in ("every", "unit", "by"))
    if every and by:
        return {"comes_back_by": "Give how often the child comes back, or a date: not both."}
    if every and not unit:
        return {"comes_back_unit": "Say whether the child comes back in weeks or months."}
    if unit and not every:
        return {"comes_back_every": f"Say in how many {unit} the child comes back."}
    if by and booking.meeting and by <= booking.meeting.date:
        return {
            "comes_back_by": "The date must be after the panel, "
            f"{date_format(booking.meeting.date)}."
        }
    return {}


def _outcome_errors(booking: Booking, outcome: Outcome, rationale: str) -> dict:
    """A tracking section's children get a tracking review's outcomes; every other child a
    decision on their request, with its rationale."""
    if outcome.panel_id != booking.panel_id:
        return {"outcome": "Choose one of this panel's outcomes."}
    tracking = booking.request_type.purpose == RequestPurpose.TRACKING
    if tracking != (outcome.effect in TRACKING_EFFECTS):
        return {
            "outcome": "Choose an outcome of a tracking review."
            if tracking
            else "Choose panel's decision on the request."
        }
    if rationale.strip():
        return {}
    if not tracking:
        return {"rationale": "Give panel's rationale for the decision."}
    if outcome.effect in (OutcomeEffect.CONCERNS, OutcomeEffect.ESCALATE):
        return {"rationale": "Say what the concerns are, in a short note for the minutes."}
    return {}


def _validate(booking: Booking, outcome: Outcome, rationale: str, fields: dict) -> None:
    errors = _outcome_errors(booking, outcome, rationale)
    errors.update(_comes_back_errors(booking, fields))
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
    errors.update(_final_order_errors(booking, outcome, fields))
    errors.update(_carers_errors(booking, outcome))
    if errors:
        raise ValidationError(errors)


def _carers_errors(booking: Booking, outcome: Outcome) -> dict:
    """Somerset's match with carers not approved for permanence, or Torbay's SGO support plan
    without the prospective special guardians' feedback: panel may defer or refuse, not agree."""
    if outcome.effect not in (OutcomeEffect.AGREE, OutcomeEffect.RECOMMEND):
        return {}
    needed = agendas_selectors.carers_needed_first(booking)
    return {"outcome": " ".join(needed)} if needed else {}


def _decision_version(decision: Decision, version: int | None, entered: dict) -> int:
    """The decision's next version, its row (or its booking's) locked by the caller; refused
    when another chair saved it after `version` was read into the form. A decision not yet
    recorded is at version 0."""
    last = (
        decision.history.order_by("-history_date", "-history_id").first() if decision.pk else None
    )
    labels = {
        name: capfirst(Decision._meta.get_field(name).verbose_name)
        for name in entered
        if name in DECISION_FIELDS or name in ("outcome", "rationale")
    }
    return version_check(
        version=version,
        saved=decision.version,
        thing="decision",
        by=last.history_user if last else None,
        at=last.history_date if last else None,
        now_reads={
            label: plain(getattr(decision, name)) if decision.pk else None
            for name, label in labels.items()
        },
        entered={label: plain(entered[name]) for name, label in labels.items()},
    )


@transaction.atomic
def decision_record(
    *,
    booking: Booking,
    outcome: Outcome,
    rationale: str,
    recorded_by,
    forward_request_type: RequestType | None = None,
    version: int | None = None,
    **fields,
) -> Decision:
    """Record (or correct, until the minutes are ratified) panel's decision for a booking.

    The decision updates the child's tracker record, forward-books a deferral or
    re-presentation (with `forward_request_type`, or the same request), and waits for a
    senior officer where the panel only recommends.
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
    check_not_ratified(meeting)
    _validate(booking, outcome, rationale, fields)

    decision = Decision.objects.filter(booking=booking).first() or Decision(
        booking=booking, recorded_by=recorded_by
    )
    # Two chairs recording one child's decision: the booking's lock makes them take turns.
    decision.version = _decision_version(
        decision, version, {"outcome": outcome, "rationale": rationale.strip(), **fields}
    )
    was_waiting = decision.approval_status == ApprovalStatus.AWAITING
    decision.outcome = outcome
    decision.rationale = rationale.strip()
    decision.tracking_review = booking.request_type.purpose == RequestPurpose.TRACKING
    for name in DECISION_FIELDS:
        default = None if name in NULL_FIELDS else "" if name in TEXT_FIELDS else False
        setattr(decision, name, fields.get(name, default))
    _set_approval(decision, outcome)
    _forward(decision, by=recorded_by, request_type=forward_request_type)
    decision._history_user = recorded_by
    decision.save()
    amounts_follow_outcome(decision)
    _update_tracker(decision, by=recorded_by)
    if decision.approval_status == ApprovalStatus.AWAITING and not was_waiting:
        notices.queue_approval_waiting(decision=decision)
    return decision


@transaction.atomic
def decision_amend(
    *,
    decision: Decision,
    reason: str,
    by,
    outcome=None,
    rationale=None,
    forward_request_type: RequestType | None = None,
    actions=(),
    new_actions=(),
    version: int | None = None,
    **fields,
):
    """Correct a decision after the minutes are ratified: any field recording set, and its
    actions (changed, removed or added). The history keeps every earlier version, of the
    decision and of each action, with the reason.

    actions: {"action", "description", "owner", "due_date", "remove"} for actions of this
    decision; new_actions: {"description", "owner", "due_date"}.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the decision is amended."})
    unknown = set(fields) - DECISION_FIELDS
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} on a decision")
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("booking__meeting", "booking__child", "booking__request_type")
        .get(pk=decision.pk)
    )
    outcome = outcome or decision.outcome
    rationale = rationale if rationale is not None else decision.rationale
    decision.version = _decision_version(
        decision, version, {"outcome": outcome, "rationale": rationale.strip(), **fields}
    )
    merged = {name: getattr(decision, name) for name in DECISION_FIELDS} | fields
    _validate(decision.booking, outcome, rationale, merged)
    before = _amendable_values(decision)
    decision.outcome, decision.rationale = outcome, rationale.strip()
    for name, value in merged.items():
        setattr(decision, name, value)
    _set_approval(decision, outcome)
    actions_changed = _amend_actions(
        decision, actions=actions, new_actions=new_actions, reason=reason, by=by
    )
    forward = decision.forward_booking
    request_changed = bool(
        forward_request_type and forward and forward.request_type_id != forward_request_type.pk
    )
    if before == _amendable_values(decision) and not (actions_changed or request_changed):
        raise ValidationError("Nothing is changed: change the decision or its actions first.")
    # A version of the decision even when only its actions changed: its history tells
    # every amendment with the reason.
    _forward(decision, by=by, request_type=forward_request_type)
    decision._history_user = by
    decision._change_reason = reason
    decision.save()
    amounts_follow_outcome(decision)
    _update_tracker(decision, by=by)
    return decision


def _amendable_values(decision: Decision) -> dict:
    return {
        "outcome": decision.outcome_id,
        "rationale": decision.rationale,
        "approval_status": decision.approval_status,
        **{name: getattr(decision, name) for name in DECISION_FIELDS},
    }


ACTION_FIELDS = ("description", "owner", "due_date")


def _action_errors(decision: Decision, values: dict) -> list[str]:
    errors = []
    if not (values.get("description") or "").strip():
        errors.append("Say what is to be done for each action.")
    if not values.get("owner"):
        errors.append("Choose who does each action.")
    due = values.get("due_date")
    if not due:
        errors.append("Give the date each action is due.")
    elif due < decision.booking.meeting.date:
        errors.append("An action is due on or after the panel.")
    return errors


def _amend_actions(decision: Decision, *, actions, new_actions, reason: str, by) -> bool:
    """Change, remove and add the decision's actions, each history row with the reason."""
    changed = False
    for change in actions:
        action = change["action"]
        if action.decision_id != decision.pk:
            raise ValidationError("Amend only this decision's actions.")
        action._history_user, action._change_reason = by, reason
        if change.get("remove"):
            action.delete()
            changed = True
            continue
        values = {name: change[name] for name in ACTION_FIELDS}
        errors = _action_errors(decision, values)
        if errors:
            raise ValidationError(errors)
        values["description"] = values["description"].strip()
        if all(getattr(action, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(action, name, value)
        action.save()
        changed = True
    for values in new_actions:
        errors = _action_errors(decision, values)
        if errors:
            raise ValidationError(errors)
        action = PanelAction(
            child=decision.booking.child,
            decision=decision,
            description=values["description"].strip(),
            owner=values["owner"],
            due_date=values["due_date"],
        )
        action._history_user, action._change_reason = by, reason
        action.save()
        changed = True
    return changed


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
    notices.queue_approval_decided(decision=decision)
    return decision


@transaction.atomic
def decision_mark_recorded_on_file(*, decision: Decision, by) -> Decision:
    """Its own event, not a change to the decision: an UPDATE that writes no history."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.recorded_on_file_at:
        raise ValidationError("This decision is already marked as recorded on the child's file.")
    decision.recorded_on_file_at = timezone.now()
    decision.recorded_on_file_by = by
    Decision.objects.filter(pk=decision.pk).update(
        recorded_on_file_at=decision.recorded_on_file_at, recorded_on_file_by=by
    )
    return decision
