"""The agendas app's forms; the modules are its parts."""

from .contributions import ContributionForm, ExpectedContributionsForm
from .panels import (
    AgendaSectionForm,
    BreakForm,
    DocumentRequirementForm,
    MeetingCancelForm,
    MeetingForm,
    MeetingThemeForm,
    PanelForm,
    PanelMembershipForm,
    RequestTypeForm,
    ScheduleMeetingsForm,
)
from .planning import PlanningAnswersForm, PlanningQuestionForm
from .submissions import DocumentUploadForm, SubmissionForm

__all__ = [
    "ContributionForm",
    "ExpectedContributionsForm",
    "AgendaSectionForm",
    "BreakForm",
    "DocumentRequirementForm",
    "MeetingCancelForm",
    "MeetingForm",
    "MeetingThemeForm",
    "PanelForm",
    "PanelMembershipForm",
    "PlanningAnswersForm",
    "PlanningQuestionForm",
    "RequestTypeForm",
    "ScheduleMeetingsForm",
    "DocumentUploadForm",
    "SubmissionForm",
]
