"""The as-of date the dashboards are read on: a GET form, so a page can be linked."""

from django import forms
from django.utils import timezone

from permanence.validators import validate_service_date


class AsOfForm(forms.Form):
    """The day a dashboard's flags and measures are judged on, today when left empty."""

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
            # The box in error, its message read out with its hint.
            widget = self.fields["as_of"].widget
            widget.attrs["class"] += " govuk-input--error"
            widget.attrs["aria-describedby"] = "id_as_of_hint id_as_of_error"

    def as_of_date(self):
        """The date asked for, or today when none was given or the one given is not a date."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["as_of"] or timezone.localdate()
        return timezone.localdate()
