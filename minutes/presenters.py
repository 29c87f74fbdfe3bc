"""A decision in words, written once: the minutes page, the case note and its PDF, the
approvals page and the emails all say a forward booking and a senior approval the same way.
(Templates read these through `minutes/templatetags/minutes.py`.)"""

from django.utils import timezone
from django.utils.formats import date_format

from .models import ApprovalStatus

# The colour of the tag for each senior approval; its words are the status's own label.
APPROVAL_COLOURS = {
    ApprovalStatus.AWAITING: "yellow",
    ApprovalStatus.APPROVED: "green",
    ApprovalStatus.DECLINED: "red",
}


def forward_booking_text(decision) -> str:
    """Where the child goes next, when panel deferred or asked to see them again."""
    forward = decision.forward_booking
    if forward is None:
        return ""
    if forward.meeting_id:
        return f"Booked for panel on {date_format(forward.meeting.date)}"
    return "On the panel's waiting list"


def awaiting_text(panel) -> str:
    """Who a recommendation waits for: the panel names the senior officer's role."""
    who = panel.senior_decision_maker
    return f"Awaiting a decision by the {who}" if who else "Awaiting a senior decision"


def approval_text(decision, panel) -> str:
    """The senior approval in full: not needed, waiting, or who answered, when, and why.
    `panel` is the decision's, passed in so that a page of decisions reads it once."""
    status = decision.approval_status
    if status == ApprovalStatus.NOT_NEEDED:
        return "Not needed"
    if status == ApprovalStatus.AWAITING:
        return awaiting_text(panel)
    when = date_format(timezone.localtime(decision.approval_decided_at).date())
    by = f" by {decision.approval_by}" if decision.approval_by else ""
    text = f"{decision.get_approval_status_display()}{by} on {when}"
    return f"{text}: {decision.approval_comment}" if decision.approval_comment else text


def case_note_text(decision) -> str:
    """The decision as plain text, to copy onto the child's file."""
    booking = decision.booking
    child = booking.child
    attended = decision.attended_for_child
    lines = [
        f"Panel: {booking.panel.name}",
        f"Date of panel: {date_format(booking.meeting.date)}",
        f"Child: {child.full_name} (case number {child.case_number})",
        f"Request: {booking.request_type}",
        *([f"Attended for the child: {attended}"] if attended else []),
        f"Outcome: {decision.outcome}",
        "",
        f"{decision.rationale_label}:",
        decision.rationale or "None",
        *([f"Comes back to panel: {decision.comes_back}"] if decision.comes_back else []),
    ]
    if decision.timescales:
        lines += ["", "Timescales for the action plan:", decision.timescales]
    if decision.further_information:
        by = f" (by {date_format(decision.by_date)})" if decision.by_date else ""
        lines += ["", f"Further information needed{by}:", decision.further_information]
    if decision.subject_to_final_order:
        lines += [
            "",
            "Ratified subject to the final order: permanence is secured when it is recorded.",
        ]
    if decision.primary_plan:
        plan = decision.get_primary_plan_display()
        if decision.contingency_plan:
            plan += f"; contingency: {decision.get_contingency_plan_display()}"
        lines += ["", f"Plan for permanence agreed: {plan}"]
    actions = list(decision.actions.select_related("owner"))
    if actions:
        lines += ["", "Actions:"]
        for action in actions:
            done = (
                f", completed {date_format(timezone.localtime(action.completed_at).date())}"
                if action.completed_at
                else ""
            )
            lines.append(
                f"- {action.description} ({action.owner}, by {date_format(action.due_date)}{done})"
            )
    lines += ["", f"Forward booking: {forward_booking_text(decision) or 'None'}"]
    lines.append(f"Senior approval: {approval_text(decision, booking.panel)}")
    return "\n".join(lines)
