"""Forms for the pages after the meeting: minutes notes, amending a decision, a senior
officer's approval, completing an action and recording an emergency decision."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms

from agendas.forms.bookings import CaseNumberField
from agendas.models import Panel
from permanence.fields import DateField
from permanence.forms import longest, name_required_fields, textarea
from permanence.validators import validate_service_date

from ..models import Decision, EmergencyDecision, Minutes, PanelAction


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


class DecisionAmendForm(forms.Form):
    reason = forms.CharField(
        label="Why is the decision amended?",
        # The reason is kept in the decision's history, whose column holds this many.
        max_length=longest(Decision.history.model, "history_change_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the decision is amended."},
        help_text="Kept with the earlier version in the decision's history",
    )
    outcome = forms.ModelChoiceField(queryset=None, label="Outcome", empty_label=None)
    rationale = forms.CharField(
        label="Rationale",
        max_length=longest(Decision, "rationale"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give panel's rationale for the decision."},
    )
    timescales = forms.CharField(
        label="Timescales for the action plan",
        required=False,
        max_length=longest(Decision, "timescales"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.fields["outcome"].queryset = decision.booking.panel.outcomes.all()
        self.helper = _helper(
            textarea(self, "reason", rows=3),
            Field.select("outcome"),
            textarea(self, "rationale", rows=5),
            textarea(self, "timescales", rows=3),
            submit="Amend the decision",
        )


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
    panel = forms.ModelChoiceField(
        queryset=None,
        label="Panel",
        error_messages={"required": "Choose the panel that ratifies the decision."},
    )
    child = CaseNumberField()
    decided_on = DateField(
        label="Date of the decision",
        help_text="For example, 14 1 2027",
        validators=[validate_service_date],
    )
    decided_by_role = forms.ChoiceField(
        label="Made by (role)",
        error_messages={"required": "Choose who made the decision."},
    )
    decided_by_name = forms.CharField(
        label="Made by (name)",
        max_length=200,
        error_messages={"required": "Give the name of the person who decided."},
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        panels = list(_panels_taking_emergency_decisions())
        self.fields["panel"].queryset = _panels_taking_emergency_decisions()
        # Each panel's own roles, as "panel pk|role": checked against the chosen panel.
        self.fields["decided_by_role"].choices = [
            ("", "Choose a role"),
            *(
                (f"{panel.pk}|{role}", f"{panel.name}: {role}")
                for panel in panels
                for role in panel.emergency_decision_roles
            ),
        ]
        self.helper = _helper(
            Field.select("panel"),
            Field.text("child", field_width=Fluid.ONE_THIRD),
            Field("decided_on"),
            Field.select("decided_by_role"),
            Field.text("decided_by_name", field_width=Fluid.TWO_THIRDS),
            textarea(self, "decision", rows=4),
            textarea(self, "rationale", rows=5),
            submit="Record the emergency decision",
        )

    def clean(self):
        cleaned = super().clean()
        made_by = cleaned.get("decided_by_role")
        if made_by:
            panel_pk, _, role = made_by.partition("|")
            panel = cleaned.get("panel")
            if panel and str(panel.pk) != panel_pk:
                self.add_error(
                    "decided_by_role", f"Choose one of the {panel.name}'s decision makers."
                )
            else:
                cleaned["decided_by_role"] = role
        return cleaned
