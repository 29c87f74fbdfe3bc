"""Saving the tracker's filters under a name."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms

from permanence.forms import longest

from .models import SavedFilter

NAME_HINT = (
    "For example, “Adoption: no match after 6 months”. Anyone who reads the tracker can "
    "apply it, and build a tracking list from it. Flags are judged on the day it is used."
)


class SavedFilterForm(forms.Form):
    name = forms.CharField(
        label="Name the filter",
        max_length=longest(SavedFilter, "name"),
        help_text=NAME_HINT,
        error_messages={"required": "Enter a name for the filter"},
    )
    # The tracker page's filters, as its query string: the service keeps only the filter's
    # own fields.
    query = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            "query",
            Submit("submit", "Save this filter"),
        )
