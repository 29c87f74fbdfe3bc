"""After the decision (Somerset 3.8, 3.9): referring the child to the Complex Cases Panel,
recommending revoking the care order, and recording what became of that recommendation."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from permanence.fields import DateField
from permanence.forms import longest, name_required_fields, textarea

from ..models import ComplexCasesReferral, RevocationOutcome


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*fields)
    return helper


class ComplexCasesReferralForm(forms.Form):
    needs = forms.CharField(
        label="What support does the child need from other agencies?",
        help_text="For example from health or education: the Complex Cases Panel considers "
        "a joint package of support and funding.",
        max_length=longest(ComplexCasesReferral, "needs"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what support the child needs from other agencies"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = _helper(
            textarea(self, "needs", label_size=Size.SMALL),
            Submit("submit", "Send the referral"),
        )


class RevocationRecommendForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Submit("submit", "Record the recommendation"))


class RevocationOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=RevocationOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the care order was revoked"},
    )
    on = DateField(label="Date", help_text="For example, 15 3 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
        self.helper = _helper(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field("on"),
            Submit("submit", "Save"),
        )
