"""Carers' records: who they are, their approval, and the children linked to them."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms

from permanence.fields import DateField
from permanence.forms import longest, name_required_fields, textarea

from .models import Carer, CarerKind, CarerRole


class CarerForm(forms.Form):
    name = forms.CharField(
        label="Carers' names",
        max_length=longest(Carer, "name"),
        help_text=Carer._meta.get_field("name").help_text,
    )
    kind = forms.ChoiceField(
        label="Carer type", choices=CarerKind.choices, widget=forms.RadioSelect
    )
    reference = forms.CharField(
        label="Carers' file reference (optional)",
        max_length=longest(Carer, "reference"),
        required=False,
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("reference", field_width=Fluid.ONE_THIRD),
            Submit("submit", submit),
        )


class CarerApprovalForm(forms.Form):
    approved_for = forms.CharField(
        label="What are the carers approved for?",
        help_text="As the approval says, for example two children aged 0 to 10",
        max_length=longest(Carer, "approved_for"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    approved_for_permanence = forms.TypedChoiceField(
        label="Does the approval include permanent, long-term placements?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the approval includes permanent placements"},
    )
    approving_panel = forms.CharField(
        label="Approving panel",
        help_text="For example, Fostering Panel",
        max_length=longest(Carer, "approving_panel"),
    )
    approved_on = DateField(label="Date of approval", help_text="For example, 14 10 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            textarea(self, "approved_for"),
            Field.radios("approved_for_permanence", legend_size=Size.SMALL, inline=True),
            Field.text("approving_panel", field_width=Fluid.TWO_THIRDS),
            Field("approved_on"),
            Submit("submit", "Record the approval"),
        )


class ChildCarerForm(forms.Form):
    case_number = forms.CharField(
        label="Child's case number", max_length=50, help_text="As on the tracker"
    )
    role = forms.ChoiceField(
        label="The carers are the child's", choices=CarerRole.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("case_number", field_width=Fluid.ONE_THIRD),
            Field.radios("role", legend_size=Size.SMALL),
            Submit("submit", "Link the child"),
        )
