"""Every read the agendas pages, notices and tasks need, scoped to what the user may see.

One module a subject: panels and their seats, meetings (visibility and deadlines),
bookings (visibility, room and the waiting list), the submission checklist, the agenda in
running order, and the agenda pack.
"""

from .agenda import (
    Agenda,
    agenda,
    bookings_in_running_order,
    previous_panel,
    slot_rows,
    with_breaks,
)
from .bookings import (
    bookings_for_list,
    free_slots,
    next_available,
    places_for,
    slots_for,
    visible_booking,
    visible_bookings,
    waiting_list,
)
from .checklists import (
    SUBMISSION_FORM,
    VERBAL_UPDATE,
    ChecklistItem,
    checklist_for,
    checklists,
    documents_required,
    nothing_to_send,
    submission_checklist,
    submission_due_date,
    submission_is_late,
)
from .meetings import (
    meeting_deadlines,
    panels_sat_on,
    visible_meeting,
    visible_meetings,
)
from .new_to_care import (
    NEW_TO_CARE_WEEKS,
    new_children_looked_after,
    new_to_care_place,
    new_to_care_request,
)
from .packs import (
    latest_pack,
    latest_ready_pack,
    pack_documents,
    pack_inputs_changed_at,
    pack_is_out_of_date,
)
from .panels import (
    chair_candidates,
    panel_deadlines,
    panel_list,
    panels_with_seats,
    panels_with_set_up,
    people,
    seats_held,
    upcoming_meetings,
    upcoming_meetings_of,
)

__all__ = [
    "Agenda",
    "ChecklistItem",
    "SUBMISSION_FORM",
    "VERBAL_UPDATE",
    "agenda",
    "bookings_for_list",
    "bookings_in_running_order",
    "chair_candidates",
    "checklist_for",
    "checklists",
    "documents_required",
    "free_slots",
    "latest_pack",
    "latest_ready_pack",
    "meeting_deadlines",
    "NEW_TO_CARE_WEEKS",
    "new_children_looked_after",
    "new_to_care_place",
    "new_to_care_request",
    "next_available",
    "nothing_to_send",
    "pack_documents",
    "pack_inputs_changed_at",
    "pack_is_out_of_date",
    "panel_deadlines",
    "panel_list",
    "panels_sat_on",
    "panels_with_seats",
    "panels_with_set_up",
    "people",
    "places_for",
    "previous_panel",
    "seats_held",
    "slot_rows",
    "slots_for",
    "submission_checklist",
    "submission_due_date",
    "submission_is_late",
    "upcoming_meetings",
    "upcoming_meetings_of",
    "visible_booking",
    "visible_bookings",
    "visible_meeting",
    "visible_meetings",
    "waiting_list",
    "with_breaks",
]
