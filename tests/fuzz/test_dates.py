"""The boundaries of a typed date: the last accepted and the first refused, on both kinds of
date field every form uses."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.fields import DateField, TypedDateField


def cleaned(field, value):
    try:
        return field.clean(value), None
    except ValidationError as error:
        return None, " ".join(error.messages)


@pytest.mark.parametrize(
    ("parts", "expected", "message"),
    [
        (["1", "1", "1900"], date(1900, 1, 1), None),
        (["31", "12", "1899"], None, "Enter a date between 1900 and 2100"),
        (["31", "12", "2100"], date(2100, 12, 31), None),
        (["1", "1", "2101"], None, "Enter a date between 1900 and 2100"),
        (["31", "12", "9999"], None, "Enter a date between 1900 and 2100"),
        (["99999999999999999999", "1", "2026"], None, "Placement start must be a real date"),
        (["1", "99999999999999999999", "2026"], None, "Placement start must be a real date"),
        (["1", "1", "99999999999999999999"], None, "Placement start must include a 4-digit year"),
        (["-1", "1", "2026"], None, "Placement start must be a real date"),
        (["0", "1", "2026"], None, "Placement start must be a real date"),
        (["29", "2", "2027"], None, "Placement start must be a real date"),
        (["١", "1", "2026"], None, "Placement start must be a real date"),
        (["01", "02", "2026"], date(2026, 2, 1), None),
        ([" 1 ", "2", "2026"], date(2026, 2, 1), None),
        (["1", None, "2026"], None, "Placement start must include a month"),
    ],
)
def test_the_govuk_date_input_takes_real_dates_from_1900_to_2100(parts, expected, message):
    field = DateField(label="Placement start", required=False)
    value, error = cleaned(field, parts)
    assert (value, error) == (expected, message)


@pytest.mark.parametrize(
    ("text", "expected", "message"),
    [
        ("1900-01-01", date(1900, 1, 1), None),
        ("1899-12-31", None, "Enter a date between 1900 and 2100"),
        ("2100-12-31", date(2100, 12, 31), None),
        ("2101-01-01", None, "Enter a date between 1900 and 2100"),
        ("9999-12-31", None, "Enter a date between 1900 and 2100"),
        ("99999999999999999999", None, "Enter a valid date."),
    ],
)
def test_a_date_typed_in_one_box_keeps_the_same_range(text, expected, message):
    value, error = cleaned(TypedDateField(required=False), text)
    assert (value, error) == (expected, message)
