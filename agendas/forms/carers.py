"""Torbay: the prospective special guardians' communications and feedback on an SGO request."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from permanence.fields import DateField
from permanence.forms import longest, name_required_fields, textarea

from ..models import GuardiansFeedback


class GuardiansFeedbackForm(forms.Form):
    received_on = DateField(label="Date of the communication", help_text="For example, 2 11 2026")
    summary = forms.CharField(
        label="What did the prospective special guardians say?",
        help_text="Their communications and feedback on the plan and the support plan.",
        max_length=longest(GuardiansFeedback, "summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("received_on"), textarea(self, "summary"), Submit("submit", "Record feedback")
        )
