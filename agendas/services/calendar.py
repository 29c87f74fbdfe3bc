"""Calendar links (create, revoke) and the calendar events' sequence numbers."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import Booking, CalendarFeed, Meeting, signed_in_stamp, token_hash


@transaction.atomic
def calendar_feed_create(*, user) -> str:
    """A new calendar link for the person; the one before, if any, stops working.

    Returns the link's token: it is shown once, and only its hash is stored."""
    # The person's row, locked: two clicks at once make one live link, not a refusal.
    person = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not person.is_active:
        raise ValidationError("This account is deactivated, so it has no calendar.")
    _revoke_live(person)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(
        user=person, token_hash=token_hash(token), signed_in_stamp=signed_in_stamp(person)
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, user) -> None:
    """Stop the person's calendar link: a calendar app asking for it is told it is gone."""
    person = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not _revoke_live(person):
        raise ValidationError("You have no calendar link to stop.")


def _revoke_live(person) -> int:
    return CalendarFeed.objects.filter(user=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# Sequence numbers. Counted up in the database, inside the transaction that makes the
# change (which holds the meeting's lock), so two changes never share a number and a
# stale instance never counts one back (`save_without_sequence`). Stored rather than
# worked out from the outbox or a history, which a meeting nobody was told about lacks.


def meeting_sequence_advance(*, meeting: Meeting) -> None:
    """The meeting moved, was re-timed or re-placed, or is cancelled: its event, and the
    events of the bookings on it, whose times are the meeting's, take the next number."""
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
    Booking.objects.filter(meeting=meeting).update(sequence=F("sequence") + 1)
    meeting.refresh_from_db(fields=["sequence"])


def booking_sequence_advance(*, booking: Booking) -> None:
    """The booking moved to another meeting or slot, left its meeting, or is cancelled."""
    Booking.objects.filter(pk=booking.pk).update(sequence=F("sequence") + 1)
    booking.refresh_from_db(fields=["sequence"])
