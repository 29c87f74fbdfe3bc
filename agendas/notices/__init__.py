"""Emails about bookings and agendas.

Two kinds of caller. A change that causes a notice (a child booked or moved, an agenda
agreed at the meeting before or circulated, a meeting moved, re-timed, re-placed or
cancelled) queues it inside its own transaction. The periodic scan (`scan_due`) queues what
falls due on a working day: a reminder of the booking on the panel's notice day, the
submission reminder and overdue notice, the chair's reminder to agree the agenda, and the
request to the chair for the month's theme.

Every notice goes through `permanence.outbox.notify`, whose key (kind, about, recipient,
due_on) makes a repeat a no-op, so a scan run twice, or a day the scan missed, sends each
email once. Subjects name a child only by initials and case number.

The scan reads in a fixed number of queries however many bookings there are: the
meetings still to come, then only the bookings of meetings with something due today, the
panels' document lists, and the notices already written. Only new notices are written.
"""

from .changes import (
    MEETING_DETAILS,
    queue_agenda_circulated,
    queue_booking_notice,
    queue_bookings_confirmed,
    queue_meeting_cancelled,
    queue_meeting_changed,
    record_booking_told,
)
from .scan import queue_due_notices

__all__ = [
    "MEETING_DETAILS",
    "queue_agenda_circulated",
    "queue_booking_notice",
    "queue_bookings_confirmed",
    "queue_due_notices",
    "queue_meeting_cancelled",
    "queue_meeting_changed",
    "record_booking_told",
]
