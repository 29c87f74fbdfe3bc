from datetime import date

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year) with the Design System's error messages."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {label[0].lower()}{label[1:]}"
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.error_messages["incomplete"] = f"{label} must include a {part}"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(year) != 4:
            raise ValidationError(f"{self.label} must include a 4-digit year")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.label} must be a real date") from None
