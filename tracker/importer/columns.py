"""The import's columns, and a problem found in a file: shared by the part that reads a
file into rows, the part that checks and writes the children, and the export."""

from dataclasses import dataclass

from ..models import Child

# Somerset's key planning dates: imported like the rest, but written by the export after its
# calculated columns, because the export's columns change only by adding at the end.
KEY_DATE_COLUMNS = (
    "permanence_planning_meeting_date",
    "matching_meeting_date",
    "sibling_assessment_required_date",
    "sibling_assessment_completed_date",
)
IMPORT_COLUMNS = (
    "case_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "team",
    "social_worker_email",
    "team_manager_email",
    "panel",
    "looked_after_since",
    "legal_status",
    "placement_type",
    "placement_start",
    "pre_proceedings_start",
    "proceedings_issued",
    "final_order_date",
    "first_review_date",
    "second_review_date",
    "last_review_date",
    "primary_plan",
    "contingency_plan",
    "plan_agreed_date",
    "placement_order_date",
    "match_date",
    "placed_for_adoption_date",
    "adoption_application_date",
    "temporary_approval_date",
    "temporary_approval_extended",
    "full_approval_date",
    "last_panel_date",
    "permanence_secured_date",
    "sibling_group",
    "long_term_match_date",
    *KEY_DATE_COLUMNS,
)
REQUIRED_COLUMNS = ("case_number", "first_name", "last_name")
# The export adds these after the import columns. They are worked out from the others, so
# they are ignored here: an exported file re-imports cleanly and they are recalculated.
CALCULATED_COLUMNS = (
    "next_review_due",
    "proceedings_deadline",
    "next_panel_due",
    "flags",
    # The chair's own review frequency behind next_panel_due ("every 6 weeks"), if any.
    "panel_review_frequency",
)


# The columns that name something else in the service; every other column is the field.
COLUMN_FIELDS = {"social_worker_email": "social_worker", "team_manager_email": "team_manager"}
FIELD_COLUMNS = {field: column for column, field in COLUMN_FIELDS.items()}
# Read as dates: every column whose field is a date, so a new date column is one line above.
DATE_COLUMNS = frozenset(
    column
    for column in IMPORT_COLUMNS
    if Child._meta.get_field(COLUMN_FIELDS.get(column, column)).get_internal_type() == "DateField"
)


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported. Line 1 is the header row."""

    line: int
    case_number: str
    column: str
    reason: str

    def __str__(self):
        where = f"Line {self.line}"
        if self.case_number:
            where += f" (case {self.case_number})"
        if self.column:
            where += f": {self.column}"
        return f"{where}: {self.reason}"
