from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

from .validators import validate_calendar_date


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year) with the Design System's error messages.

    Every date a person types goes through here or `TypedDateField`, so each one is a real
    date between 1900 and 2100 before any form or service does sums with it: a year 9999
    overflows the first "+ 6 months", and a 20-digit day overflows `date()` itself.
    """

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {label[0].lower()}{label[1:]}"
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.error_messages["incomplete"] = f"{label} must include a {part}"
            field.error_messages["invalid"] = f"{label} must be a real date"

    def compress(self, data_list):
        day, month, year = ((part or "").strip() for part in data_list)
        if not (day and month and year):
            return None
        if not (len(year) == 4 and year.isascii() and year.isdigit()):
            raise ValidationError(f"{self.label} must include a 4-digit year")
        if not all(part.isascii() and part.isdigit() and len(part) <= 2 for part in (day, month)):
            raise ValidationError(f"{self.label} must be a real date")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.label} must be a real date") from None
        validate_calendar_date(value)
        return value


class TypedDateField(forms.DateField):
    """A date typed in one box (the compact tracking row's `<input type="date">`), held to
    the same range as the GOV.UK date input."""

    default_validators = [validate_calendar_date]
