"""Forms for the pages after the meeting: minutes notes, amending a decision, a senior
officer's approval, completing an action and recording an emergency decision."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from agendas.forms.bookings import CaseNumberField
from agendas.models import Panel
from permanence.fields import DateField
from permanence.forms import longest, name_required_fields, textarea
from permanence.roles import Role
from permanence.selectors import users_holding
from permanence.validators import validate_service_date

from ..models import Decision, EmergencyDecision, Minutes, PanelAction
from ..permissions import can_record_for_someone_else
from .recording import ActionFields, DecisionForm
from .recording import _helper as _fields_helper


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class MinutesNotesForm(forms.Form):
    notes = forms.CharField(
        label="Other business and notes",
        required=False,
        max_length=longest(Minutes, "notes"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            textarea(self, "notes", label_size=Size.MEDIUM, label_tag="h2", rows=6),
            submit="Save notes",
        )


class DecisionAmendForm(DecisionForm):
    """Every field recording the decision set, with the reason for the amendment."""

    reason = forms.CharField(
        label="Why is the decision amended?",
        # The reason is kept in the decision's history, whose column holds this many.
        max_length=longest(Decision.history.model, "history_change_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the decision is amended."},
        help_text="Kept with the earlier version in the decision's history, and its actions'",
    )

    def __init__(self, *args, decision: Decision, **kwargs):
        booking = decision.booking
        super().__init__(
            *args, meeting=booking.meeting, booking=booking, decision=decision, **kwargs
        )

    def layout_fields(self) -> list:
        return [textarea(self, "reason", label_size=Size.MEDIUM, rows=3), *super().layout_fields()]

    def service_fields(self) -> dict:
        return {**super().service_fields(), "reason": self.cleaned_data["reason"]}


class ActionAmendForm(ActionFields):
    """One of the decision's actions: changed, kept or removed by the amendment."""

    remove = forms.BooleanField(label="Remove this action", required=False)

    def __init__(self, *args, action: PanelAction, number: int, **kwargs):
        initial = {
            "description": action.description,
            "owner": action.owner_id,
            "due_date": action.due_date,
        }
        super().__init__(*args, prefix=f"existing-{action.pk}", initial=initial, **kwargs)
        self.action, self.number = action, number
        users = get_user_model().objects.filter(Q(is_active=True) | Q(pk=action.owner_id))
        self.fields["owner"].queryset = users
        self.helper = _fields_helper(
            Fieldset(
                textarea(self, "description", rows=2),
                Field.select("owner"),
                Field("due_date"),
                Field.checkbox("remove", small=True),
                legend=f"Action {number}" + (" (completed)" if action.completed_at else ""),
                legend_size=Size.SMALL,
            )
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove"):
            return cleaned
        for name, message in (
            ("description", "Say what is to be done for {}, or remove it."),
            ("owner", "Choose who does {}, or remove it."),
            ("due_date", "Enter the date {} is due, or remove it."),
        ):
            value = cleaned.get(name)
            if name not in self.errors and not (value.strip() if isinstance(value, str) else value):
                self.add_error(name, message.format(f"action {self.number}"))
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "action": self.action,
            "remove": data["remove"],
            "description": data["description"],
            "owner": data["owner"],
            "due_date": data["due_date"],
        }


APPROVE, DECLINE = "approve", "decline"


class ApprovalForm(forms.Form):
    choice = forms.ChoiceField(
        label="Your decision",
        choices=[(APPROVE, "Approve"), (DECLINE, "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you approve or decline."},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=longest(Decision, "approval_comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say why, if you decline",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = _helper(
            Field.radios("choice", legend_size=Size.MEDIUM, inline=True),
            textarea(self, "comment", rows=4),
            submit="Save your decision",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("choice") == DECLINE and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say why the recommendation is declined.")
        return cleaned


class ActionCompleteForm(forms.Form):
    note = forms.CharField(
        label="What was done?",
        max_length=longest(PanelAction, "completion_note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what was done."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = _helper(textarea(self, "note", rows=4), submit="Complete the action")


def _panels_taking_emergency_decisions():
    return Panel.objects.exclude(emergency_decision_makers="").order_by("name")


class EmergencyDecisionForm(forms.Form):
    """A senior manager records their own decision; an administrator names the senior
    manager who made it."""

    child = CaseNumberField()
    panel = forms.ModelChoiceField(
        queryset=None,
        label="Panel that ratifies it",
        required=False,
        empty_label="The panel that tracks the child",
        help_text="The child goes onto this panel's next meeting for retrospective ratification",
    )
    other_panel_confirmed = forms.BooleanField(
        label="The child is tracked by another panel: this panel ratifies the decision",
        required=False,
    )
    decided_on = DateField(
        label="Date of the decision",
        help_text="For example, 14 1 2027",
        validators=[validate_service_date],
    )
    decided_by = forms.ModelChoiceField(
        queryset=None,
        label="Made by",
        empty_label="Choose the senior manager",
        error_messages={"required": "Choose the senior manager who made the decision."},
    )
    decided_by_role = forms.ChoiceField(
        label="In their role as",
        error_messages={"required": "Choose the role in which they made the decision."},
    )
    decision = forms.CharField(
        label="What was decided",
        max_length=longest(EmergencyDecision, "decision"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what was decided."},
    )
    rationale = forms.CharField(
        label="Rationale",
        max_length=longest(EmergencyDecision, "rationale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the rationale for the decision."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        panels = list(_panels_taking_emergency_decisions())
        self.fields["panel"].queryset = _panels_taking_emergency_decisions()
        roles = dict.fromkeys(role for panel in panels for role in panel.emergency_decision_roles)
        self.fields["decided_by_role"].choices = [
            ("", "Choose a role"),
            *((role, role) for role in roles),
        ]
        self.user = user
        if can_record_for_someone_else(user):
            self.fields["decided_by"].queryset = users_holding(Role.SENIOR_MANAGER)
            made_by = [Field.select("decided_by")]
        else:
            del self.fields["decided_by"]  # a senior manager records their own
            made_by = []
        self.helper = _helper(
            Field.text("child", field_width=Fluid.ONE_THIRD),
            Field.select("panel"),
            Field.checkbox("other_panel_confirmed", small=True),
            Field("decided_on"),
            *made_by,
            Field.select("decided_by_role"),
            textarea(self, "decision", rows=4),
            textarea(self, "rationale", rows=5),
            submit="Record the emergency decision",
        )

    def service_fields(self) -> dict:
        return {"decided_by": self.user, **self.cleaned_data}
