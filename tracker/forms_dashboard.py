from django import forms

from permanence.validators import validate_service_date


class AsOfForm(forms.Form):
    """The board's date: the day its flags are judged on, today when left empty."""

    as_of = forms.DateField(
        label="As of",
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "date",
                "class": "govuk-input govuk-input--width-10",
                "aria-describedby": "id_as_of_hint",
            }
        ),
        help_text="Leave empty for today",
        validators=[validate_service_date],
        error_messages={"invalid": "As of must be a real date, for example 2026-11-27"},
    )

    def full_clean(self):
        super().full_clean()
        if "as_of" in self.errors:
            widget = self.fields["as_of"].widget
            widget.attrs["class"] += " govuk-input--error"
            widget.attrs["aria-describedby"] = "id_as_of_hint id_as_of_error"
