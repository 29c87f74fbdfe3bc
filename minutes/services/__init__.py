"""Every write in the minutes app. Import services from here; the modules are its parts."""

from .actions import action_add, action_complete
from .amounts import decision_amounts_decide
from .decisions import (
    decision_amend,
    decision_approve,
    decision_mark_recorded_on_file,
    decision_record,
)
from .emergency import emergency_decision_record
from .meetings import attendance_record, minutes_mark_distributed, minutes_ratify, minutes_save
from .onward import (
    care_order_revocation_recommend,
    care_order_revocation_record,
    complex_cases_referral_create,
)
from .tracking import tracking_review_record

__all__ = [
    "action_add",
    "action_complete",
    "attendance_record",
    "decision_amounts_decide",
    "care_order_revocation_recommend",
    "care_order_revocation_record",
    "complex_cases_referral_create",
    "decision_amend",
    "decision_approve",
    "decision_mark_recorded_on_file",
    "decision_record",
    "emergency_decision_record",
    "minutes_mark_distributed",
    "minutes_ratify",
    "minutes_save",
    "tracking_review_record",
]
