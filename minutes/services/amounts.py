"""The chair approves, changes or refuses each amount of a request panel agreed; above the
request type's scheme of delegation, the decision then waits for the senior officer."""

from django.core.exceptions import ValidationError
from django.db import transaction

from agendas.models import AmountVerdict

from .. import money, notices
from ..models import ApprovalStatus, Decision
from .decisions import _set_approval
from .meetings import check_not_ratified


def _verdict_errors(amount, verdict: str, approved) -> str:
    if verdict not in (AmountVerdict.APPROVED, AmountVerdict.CHANGED, AmountVerdict.REFUSED):
        return f"Say whether panel approves, changes or refuses “{amount.description}”."
    if verdict == AmountVerdict.CHANGED:
        if approved is None or approved <= 0:
            return f"Give the amount panel approves for “{amount.description}”."
        if approved == amount.amount:
            return (
                f"£{approved:,.2f} is the amount asked for “{amount.description}”: "
                "choose approved as asked, or give another amount."
            )
    return ""


@transaction.atomic
def decision_amounts_decide(*, decision: Decision, verdicts: list[dict], by) -> Decision:
    """verdicts: {"amount", "verdict", "approved_amount"} for amounts of the decision's
    booking. A changed amount keeps its period."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("booking__meeting__panel", "booking__request_type", "outcome")
        .get(pk=decision.pk)
    )
    booking = decision.booking
    check_not_ratified(booking.meeting)
    if decision.outcome.effect not in money.APPROVING_EFFECTS:
        raise ValidationError(
            f"Panel's decision is “{decision.outcome}”, which agrees nothing: record "
            "panel's agreement before approving any amount."
        )
    if decision.approval_status in (ApprovalStatus.APPROVED, ApprovalStatus.DECLINED):
        who = booking.panel.senior_decision_maker or "the senior officer"
        raise ValidationError(
            f"The {who} has already answered for this decision, so its amounts are fixed. "
            "Amend the decision with a reason instead."
        )
    errors = []
    for row in verdicts:
        amount = row["amount"]
        if amount.booking_id != booking.pk:
            raise ValidationError("Decide only the amounts of this request.")
        error = _verdict_errors(amount, row["verdict"], row.get("approved_amount"))
        if error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    for row in verdicts:
        amount, verdict = row["amount"], row["verdict"]
        amount.verdict = verdict
        amount.approved_amount = {
            AmountVerdict.APPROVED: amount.amount,
            AmountVerdict.CHANGED: row.get("approved_amount"),
        }.get(verdict)
        amount.save(update_fields=["verdict", "approved_amount"])
    was_waiting = decision.approval_status == ApprovalStatus.AWAITING
    _set_approval(decision, decision.outcome)
    if (decision.approval_status == ApprovalStatus.AWAITING) != was_waiting:
        decision._history_user = by
        decision.save()
        if not was_waiting:
            notices.queue_approval_waiting(decision=decision)
    return decision
