"""Torbay: what the prospective special guardians said, recorded against the SGO request."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Booking, BookingStatus, GuardiansFeedback


@transaction.atomic
def guardians_feedback_record(
    *, booking: Booking, received_on, summary: str, by
) -> GuardiansFeedback:
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError("This booking is cancelled: record the feedback on the new one.")
    errors = {}
    if not summary.strip():
        errors["summary"] = "Say what the prospective special guardians said."
    if received_on is None:
        errors["received_on"] = "Give the date of the communication."
    elif received_on > timezone.localdate():
        errors["received_on"] = "The date of the communication cannot be in the future."
    if errors:
        raise ValidationError(errors)
    feedback = GuardiansFeedback(
        booking=booking, received_on=received_on, summary=summary.strip(), recorded_by=by
    )
    feedback.full_clean()
    feedback.save()
    return feedback
