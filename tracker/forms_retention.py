"""Placing and lifting a legal hold on a child's record."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms

from permanence.forms import longest, textarea

from .models import Child


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label="Why must the record be kept?",
        help_text="For example, the claim or inquiry it is needed for, with its reference.",
        max_length=longest(Child, "legal_hold_reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the record must be kept"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            textarea(self, "reason"), Submit("submit", "Place the legal hold")
        )


class LiftLegalHoldForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Submit("submit", "Lift the legal hold"))
