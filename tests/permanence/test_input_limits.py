"""Bad input gets a clear answer: dates inside the service's range, a maximum on every
free-text field in the form and in the database."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from agendas import services as agendas_services
from agendas.models import Meeting, Panel
from minutes.models import EmergencyDecision
from permanence.models import ClosureDay
from permanence.validators import validate_date_of_birth, validate_service_date
from tests.factories import ChildFactory
from tracker.importer import children_import
from tracker.models import Child

# Friday 27 November 2026, noon in London.
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


def refusal(validator, value) -> str | None:
    try:
        validator(value)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (date(1999, 12, 31), "Enter a date on or after 1 January 2000"),
        (date(2000, 1, 1), None),
        (date(2031, 11, 27), None),
        (
            date(2031, 11, 28),
            "Enter a date no more than 5 years ahead, on or before Thursday 27 November 2031",
        ),
    ],
)
def test_service_dates_run_from_2000_to_five_years_ahead(value, message):
    assert refusal(validate_service_date, value) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (date(2026, 11, 27), None),  # a newborn
        (date(2026, 11, 28), "The date of birth can't be in the future"),
        (date(2001, 11, 27), None),
        (
            date(2001, 11, 26),
            "Enter a date of birth no more than 25 years ago, on or after Tuesday 27 November 2001",
        ),
    ],
)
def test_a_date_of_birth_is_not_in_the_future_nor_more_than_25_years_back(value, message):
    assert refusal(validate_date_of_birth, value) == message


@pytest.mark.parametrize(
    ("model", "field"),
    [(Meeting, "date"), (ClosureDay, "date"), (EmergencyDecision, "decided_on")]
    + [
        (Child, field.name)
        for field in Child._meta.get_fields()
        if isinstance(field, models.DateField) and field.editable and field.name != "date_of_birth"
    ],
)
def test_every_service_date_field_checks_the_range(model, field):
    assert validate_service_date in model._meta.get_field(field).validators


def test_the_date_of_birth_field_checks_a_childs_age():
    assert Child._meta.get_field("date_of_birth").validators == [validate_date_of_birth]


@pytest.mark.django_db
def test_the_refusal_is_on_the_childs_field():
    child = ChildFactory.build(
        date_of_birth=date(2026, 11, 28), looked_after_since=date(2031, 11, 28)
    )
    with pytest.raises(ValidationError) as raised:
        child.full_clean(exclude=["team", "social_worker", "team_manager", "panel"])
    assert raised.value.message_dict == {
        "date_of_birth": ["The date of birth can't be in the future"],
        "looked_after_since": [
            "Enter a date no more than 5 years ahead, on or before Thursday 27 November 2031"
        ],
    }


@pytest.mark.django_db
def test_the_import_refuses_a_date_out_of_range_on_its_line():
    data = (
        b"case_number,first_name,last_name,date_of_birth,looked_after_since\r\n"
        b"CN1,Ada,Lovelace,2020-01-01,2026-01-05\r\n"
        b"CN2,Bea,Brown,28/11/2026,\r\n"
        b"CN3,Cal,Cole,,31/12/1999\r\n"
    )
    result = children_import(data=data)
    problems = [(p.line, p.case_number, p.column, p.reason) for p in result.problems]
    assert problems == [
        (3, "CN2", "date_of_birth", "The date of birth can't be in the future"),
        (4, "CN3", "looked_after_since", "Enter a date on or after 1 January 2000"),
    ]
    assert not Child.objects.exists()


FREE_TEXT_APPS = ("permanence", "tracker", "agendas", "minutes")
# Written by the service itself, never typed by a person.
SYSTEM_TEXT = {
    ("permanence", "notification", "body_text"),
    ("permanence", "notification", "body_html"),
    ("permanence", "notification", "last_error"),
    ("permanence", "job", "error"),
}


def free_text_fields():
    for label in FREE_TEXT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.TextField):
                    key = (label, model._meta.model_name, field.name)
                    if key not in SYSTEM_TEXT:
                        yield model, field


@pytest.mark.parametrize(
    ("model", "field"), list(free_text_fields()), ids=lambda value: getattr(value, "name", "")
)
def test_every_free_text_field_has_a_maximum_the_database_holds(model, field):
    assert field.max_length
    limits = [
        constraint
        for constraint in model._meta.constraints
        if constraint.name == f"{model._meta.model_name}_{field.name}_max_{field.max_length}"
    ]
    assert len(limits) == 1
    assert limits[0].violation_error_message.endswith(
        f"must be {field.max_length:,} characters or fewer"
    )


def test_every_short_text_field_has_a_sensible_maximum():
    for label in FREE_TEXT_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if type(field) is models.CharField:
                    assert 1 <= field.max_length <= 300, (model, field.name)


@pytest.mark.usefixtures("without_seed_panels")
def test_the_database_refuses_text_over_the_maximum():
    panel = Panel(name="Somerset permanence panel", slug="somerset", purpose="x" * 2001)
    with pytest.raises(ValidationError) as raised:
        panel.validate_constraints()
    assert raised.value.messages == ["Purpose must be 2,000 characters or fewer"]
    with pytest.raises(IntegrityError), transaction.atomic():
        panel.save()
    panel.purpose = "x" * 2000
    panel.save()


@pytest.mark.django_db
def test_meetings_are_never_scheduled_out_of_range():
    agendas_services.panel_preset_load(slug="somerset")
    panel = Panel.objects.get(slug="somerset")
    with pytest.raises(ValidationError) as raised:
        agendas_services.meetings_schedule(
            panel=panel, start=date(2031, 11, 1), end=date(2031, 11, 28)
        )
    assert raised.value.message_dict == {
        "end": ["Enter a date no more than 5 years ahead, on or before Thursday 27 November 2031"]
    }
    created = agendas_services.meetings_schedule(
        panel=panel, start=date(2031, 11, 1), end=date(2031, 11, 27)
    ).created
    assert created and not Meeting.objects.filter(date__gt=date(2031, 11, 27)).exists()
