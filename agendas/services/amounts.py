"""The amounts a request asks panel to agree: added and taken off before panel decides."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import AmountPeriod, Booking, BookingAmount, BookingStatus


def _check_open(booking: Booking) -> None:
    if not booking.request_type.carries_amounts:
        raise ValidationError(
            f"A request for “{booking.request_type}” carries no amounts: the panel's "
            "administrator can change that in the panel's request types."
        )
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError("This booking is cancelled: its amounts stay as they were.")
    # hasattr: the decision is minutes' reverse relation, read without importing it.
    if hasattr(booking, "decision"):
        raise ValidationError(
            "Panel has decided on this request, so its amounts are fixed. The chair changes "
            "what was approved on the decision."
        )


@transaction.atomic
def booking_amount_add(
    *, booking: Booking, description: str, amount: Decimal, period: str, added_by
) -> BookingAmount:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("request_type")
        .get(pk=booking.pk)
    )
    _check_open(booking)
    errors = {}
    if not description.strip():
        errors["description"] = "Say what the amount is for, for example a weekly SGO allowance."
    if amount is None or amount <= 0:
        errors["amount"] = "Give an amount of more than £0."
    if period not in AmountPeriod.values:
        errors["period"] = "Say whether the amount is one-off, weekly or a year."
    if errors:
        raise ValidationError(errors)
    booking_amount = BookingAmount(
        booking=booking,
        description=description.strip(),
        amount=amount,
        period=period,
        added_by=added_by,
    )
    booking_amount.full_clean()
    booking_amount.save()
    return booking_amount


@transaction.atomic
def booking_amount_remove(*, booking_amount: BookingAmount) -> None:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("request_type")
        .get(pk=booking_amount.booking_id)
    )
    _check_open(booking)
    booking_amount.delete()
