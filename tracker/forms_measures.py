"""The as-of date the dashboards' measures are read on: a GET form, so a page can be linked."""

from django import forms
from django.utils import timezone

from permanence.validators import validate_service_date


class AsOfForm(forms.Form):
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

    def as_of_date(self):
        """The date asked for, or today when none was given or the one given is not a date."""
        if not self.is_bound:
            return timezone.localdate()
        if self.is_valid():
            return self.cleaned_data["as_of"] or timezone.localdate()
        # The box in error, its message read out with its hint.
        self.fields["as_of"].widget.attrs.update(
            {
                "class": "govuk-input govuk-input--width-10 govuk-input--error",
                "aria-describedby": "id_as_of_hint id_as_of_error",
            }
        )
        return timezone.localdate()
