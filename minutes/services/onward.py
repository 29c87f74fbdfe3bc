"""After the decision, what panel sets going for the child (Somerset): a referral on to the
Complex Cases Panel (3.9), and a recommendation to revoke the care order of a child placed
with parents (3.8), which stays on the tracker until the revocation is made or withdrawn."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format

from permanence import outbox
from tracker.codes import LegalStatus, PlacementType

from ..models import CareOrderRevocation, ComplexCasesReferral, Decision, RevocationOutcome

COMPLEX_CASES_REFERRAL = "complex_cases_referral"


def _locked(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("booking__child", "booking__meeting__panel__complex_cases_recipient")
        .get(pk=decision.pk)
    )


@transaction.atomic
def complex_cases_referral_create(*, decision: Decision, needs: str, by) -> ComplexCasesReferral:
    """Refer the child on "immediately following Permanence Panel": recorded, and the
    panel's Complex Cases recipient emailed once through the outbox."""
    decision = _locked(decision)
    booking = decision.booking
    panel, child = booking.meeting.panel, booking.child
    if ComplexCasesReferral.objects.filter(decision=decision).exists():
        raise ValidationError("This decision has already referred the child on.")
    recipient = panel.complex_cases_recipient
    if recipient is None or not recipient.is_active or not recipient.email:
        raise ValidationError(
            f"The {panel.name} has nobody to receive Complex Cases Panel referrals: an "
            "administrator sets who on the panel's settings."
        )
    if not needs.strip():
        raise ValidationError({"needs": "Say what support the child needs from other agencies."})
    referral = ComplexCasesReferral(
        decision=decision, child=child, needs=needs.strip(), recipient=recipient, referred_by=by
    )
    referral.full_clean()
    referral.save()
    outbox.notify(
        kind=COMPLEX_CASES_REFERRAL,
        about=f"referral:{referral.pk}",
        recipient=recipient,
        subject=f"Complex Cases Panel referral: {child.initials} ({child.case_number}), "
        f"{panel.name}, {date_format(booking.meeting.date)}",
        template=f"emails/{COMPLEX_CASES_REFERRAL}",
        context={"referral": referral, "child": child, "panel": panel, "booking": booking},
    )
    return referral


def placed_with_parents_under_a_care_order(child) -> bool:
    """Somerset 3.8's children: placed with parents (P1) under a care order (C1, C2)."""
    return child.placement_type == PlacementType.P1 and child.legal_status in (
        LegalStatus.C1,
        LegalStatus.C2,
    )


@transaction.atomic
def care_order_revocation_recommend(*, decision: Decision, by) -> CareOrderRevocation:
    decision = _locked(decision)
    child = decision.booking.child
    if not placed_with_parents_under_a_care_order(child):
        raise ValidationError(
            "Panel recommends revoking a care order only for a child placed with parents "
            "under a care order: the tracker records this child's placement as "
            f"{child.get_placement_type_display() or 'not known'} and their legal status as "
            f"{child.get_legal_status_display() or 'not known'}."
        )
    if CareOrderRevocation.objects.filter(decision=decision).exists():
        raise ValidationError("This decision already recommends revoking the care order.")
    if CareOrderRevocation.objects.filter(child=child, outcome="").exists():
        raise ValidationError(
            "Revoking this child's care order is already recommended: record that "
            "recommendation as made or withdrawn first."
        )
    return CareOrderRevocation.objects.create(decision=decision, child=child, recommended_by=by)


@transaction.atomic
def care_order_revocation_record(
    *, revocation: CareOrderRevocation, outcome: str, on: date | None, by
) -> CareOrderRevocation:
    """The court revoked the care order, or the recommendation is withdrawn: either way it
    leaves the tracker."""
    revocation = CareOrderRevocation.objects.select_for_update().get(pk=revocation.pk)
    if revocation.outcome:
        raise ValidationError(
            f"Already recorded: {revocation.get_outcome_display().lower()} on "
            f"{date_format(revocation.outcome_on)}."
        )
    if outcome not in RevocationOutcome.values:
        raise ValidationError({"outcome": "Choose whether the care order was revoked."})
    if on is None:
        raise ValidationError({"on": "Enter the date."})
    recommended_on = revocation.decision.booking.meeting.date
    if on < recommended_on:
        when = date_format(recommended_on)
        raise ValidationError({"on": f"The date cannot be before panel recommended it, {when}."})
    revocation.outcome, revocation.outcome_on, revocation.outcome_by = outcome, on, by
    revocation.full_clean()
    revocation.save()
    return revocation
