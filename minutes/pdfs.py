"""The minutes and each decision's record for the child's file, as PDFs, on the same print
stylesheet as the agenda (agendas.pdfs)."""

from agendas import selectors as agendas_selectors
from agendas.models import Meeting
from agendas.pdfs import render_pdf
from permanence.workdays import calendar

from . import selectors
from .models import AttendanceStatus, Decision


def minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes as the minutes page shows them: attendance, each child's decision with
    its rationale and actions, and other business; a draft until the chair ratifies them."""
    minutes = selectors.minutes_of(meeting)
    attendance = list(meeting.attendance.all())
    return render_pdf(
        "minutes/pdf/minutes.html",
        {
            "meeting": meeting,
            "panel": meeting.panel,
            "minutes": minutes,
            "ratified": bool(minutes and minutes.is_ratified),
            "present": [row for row in attendance if row.status == AttendanceStatus.PRESENT],
            "apologies": [row for row in attendance if row.status == AttendanceStatus.APOLOGIES],
            "represented": [
                row for row in attendance if row.status == AttendanceStatus.REPRESENTED
            ],
            "decisions": selectors.decisions_with_actions(meeting),
            "undecided": selectors.running_order(meeting).filter(decision__isnull=True),
            "money": agendas_selectors.approved_totals(meeting),
        },
    )


def minutes_filename(meeting: Meeting) -> str:
    return f"minutes-{meeting.panel.slug}-{meeting.date:%Y-%m-%d}.pdf"


def decision_record_pdf(decision: Decision) -> bytes:
    """The decision for the child's file, as the case-note page gives it, with its history."""
    decision = (
        Decision.objects.select_related(
            "booking__child",
            "booking__meeting__panel",
            "booking__request_type",
            "booking__section",
            "outcome",
            "approval_by",
            "recorded_on_file_by",
            "forward_booking__meeting",
        )
        .prefetch_related("actions__owner")
        .get(pk=decision.pk)
    )
    booking = decision.booking
    meeting = booking.meeting
    return render_pdf(
        "minutes/pdf/decision_record.html",
        {
            "decision": decision,
            "booking": booking,
            "child": booking.child,
            "meeting": meeting,
            "panel": meeting.panel,
            "due_date": calendar().add_working_days(
                meeting.date, meeting.panel.decision_recorded_days
            ),
            "versions": decision.history.select_related("history_user", "outcome"),
            "action_versions": selectors.action_history(decision),
        },
    )


def decision_record_filename(decision: Decision) -> str:
    """The case number is allowed here: the file goes onto that child's record."""
    booking = decision.booking
    case_number = "".join(
        char if char.isascii() and (char.isalnum() or char in "-_") else "-"
        for char in booking.child.case_number
    )
    return f"decision-{case_number}-{booking.meeting.date:%Y-%m-%d}.pdf"
