from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agendas import services
from agendas.models import (
    AgendaSection,
    BookingMode,
    Break,
    Cadence,
    DocumentRequirement,
    Panel,
    RequestType,
    Weekday,
    WeekOfMonth,
    working_days_in_words,
)
from agendas.schedule import meeting_dates
from permanence.roles import Role


@pytest.fixture
def panel(db):
    return Panel.objects.create(name="Test panel", slug="test")


def refused_by_database(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


@pytest.mark.django_db
def test_a_panel_with_only_a_name_and_slug_is_valid():
    panel = Panel(name="Anywhere", slug="anywhere")
    panel.full_clean()
    panel.save()
    assert (panel.cadence, panel.week_of_month) == (Cadence.MONTHLY, WeekOfMonth.FIRST)
    assert [panel.booking_notice_days, panel.submission_due_days] == [-7, -5]
    assert [panel.agenda_agree_days, panel.agenda_circulate_days] == [-5, -5]
    assert [
        panel.minutes_ratify_days,
        panel.minutes_distribute_days,
        panel.decision_recorded_days,
    ] == [5, 5, 5]
    assert panel.placed_with_parents_review_months == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("booking_notice_days", 1),
        ("submission_due_days", 2),
        ("agenda_agree_days", 1),
        ("agenda_circulate_days", 3),
        ("minutes_ratify_days", -1),
        ("minutes_distribute_days", -2),
        ("decision_recorded_days", -1),
        ("panel_interval_months", 0),
        ("placement_order_match_limit_months", 0),
        ("adoption_application_limit_months", 0),
        ("placed_with_parents_review_months", 0),
        ("weekday", 5),
        ("end_time", time(9, 0)),
        ("slot_minutes", 0),
    ],
)
@pytest.mark.usefixtures("without_seed_panels")  # so that no panel at all is left
def test_the_database_refuses_a_panel_setting_on_the_wrong_side(field, value):
    refused_by_database(Panel, name="Bad", slug="bad", **{field: value})
    assert not Panel.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_monthly_panel_without_its_week(make_user):
    refused_by_database(Panel, name="Bad", slug="bad", week_of_month=None)
    Panel.objects.create(name="Fine", slug="fine", cadence=Cadence.WEEKLY, week_of_month=None)
    chair = make_user(Role.CHAIR)
    refused_by_database(Panel, name="Bad", slug="bad", chair=chair, deputy_chair=chair)


@pytest.mark.django_db
def test_model_validation_explains_what_is_wrong(panel):
    panel.weekday = Weekday.THURSDAY
    panel.series_start = date(2026, 1, 7)
    panel.start_time, panel.end_time = time(14), time(13)
    panel.booking_notice_days = 3
    with pytest.raises(ValidationError) as caught:
        panel.full_clean()
    errors = caught.value.message_dict
    assert errors["series_start"] == ["Wednesday 7 January 2026 is not a Thursday."]
    assert errors["end_time"] == ["The panel must end after it starts."]
    assert "booking_notice_days" in errors


@pytest.mark.django_db
def test_a_fortnightly_panel_needs_a_meeting_to_fix_its_weeks(panel):
    panel.cadence = Cadence.FORTNIGHTLY
    with pytest.raises(ValidationError, match="Enter the date of one meeting"):
        panel.full_clean()
    panel.series_start = date(2026, 1, 15)
    panel.full_clean()
    assert panel.week_of_month is None  # only monthly panels have one


@pytest.mark.django_db
@pytest.mark.usefixtures("without_seed_panels")  # the seed panels have a Care Plan too
def test_the_database_refuses_bad_sections_breaks_and_documents(panel):
    AgendaSection.objects.create(panel=panel, order=1, name="First", slot_minutes=20)
    refused_by_database(AgendaSection, panel=panel, order=1, name="Second", slot_minutes=20)
    refused_by_database(AgendaSection, panel=panel, order=2, name="First", slot_minutes=20)
    refused_by_database(
        AgendaSection,
        panel=panel,
        order=3,
        name="Third",
        booking=BookingMode.SECTION,
        slot_minutes=20,
    )
    refused_by_database(Break, panel=panel, starts_at=time(12), ends_at=time(11))
    DocumentRequirement.objects.create(panel=panel, name="Care Plan")
    refused_by_database(DocumentRequirement, panel=panel, name="Care Plan")
    # The same name may appear once for every request and once for each request type.
    for name in ("Matching", "Placement move"):
        request_type = RequestType.objects.create(panel=panel, name=name)
        DocumentRequirement.objects.create(panel=panel, request_type=request_type, name="Care Plan")
    refused_by_database(
        DocumentRequirement, panel=panel, request_type=request_type, name="Care Plan"
    )
    assert DocumentRequirement.objects.filter(name="Care Plan").count() == 3


@pytest.mark.django_db
def test_services_refuse_an_agenda_that_overruns_the_day(panel):
    services.agenda_section_create(
        panel=panel, order=1, name="Requests", slot_minutes=30, capacity=6
    )
    with pytest.raises(ValidationError, match="runs until 13:30, after the panel ends at 12:30"):
        services.agenda_section_create(
            panel=panel, order=2, name="More requests", slot_minutes=30, capacity=2
        )
    with pytest.raises(ValidationError, match="must fall within the panel's day, 09:30 to 12:30"):
        services.break_create(panel=panel, starts_at=time(12), ends_at=time(13))
    assert list(panel.sections.values_list("name", flat=True)) == ["Requests"]
    assert not panel.breaks.exists()


@pytest.mark.django_db
def test_a_section_needs_a_slot_length_unless_the_panel_shares_its_slots(panel):
    with pytest.raises(ValidationError) as caught:
        services.agenda_section_create(panel=panel, order=1, name="Requests")
    assert caught.value.message_dict == {"slot_minutes": ["Enter how long each slot lasts."]}
    services.panel_update(panel=panel, slot_minutes=20)
    with pytest.raises(ValidationError, match="share its 20-minute slots"):
        services.agenda_section_create(panel=panel, order=1, name="Requests", slot_minutes=15)
    services.agenda_section_create(panel=panel, order=1, name="Requests")
    assert len([row for row in panel.timetable() if row.kind == "slot"]) == 9


@pytest.mark.django_db
def test_a_request_types_documents_belong_to_its_own_panel(panel):
    other = Panel.objects.create(name="Other", slug="other")
    elsewhere = RequestType.objects.create(panel=other, name="Matching")
    with pytest.raises(ValidationError, match="Choose a request type of this panel"):
        services.document_requirement_create(panel=panel, request_type=elsewhere, name="Form F")


@pytest.mark.django_db
def test_sections_fill_the_day_between_fixed_starts_and_step_over_breaks(panel):
    services.panel_update(panel=panel, start_time=time(9), end_time=time(12))
    services.agenda_section_create(
        panel=panel, order=1, name="Tracking", booking=BookingMode.SECTION, time_budget_minutes=30
    )
    services.agenda_section_create(panel=panel, order=2, name="Requests", slot_minutes=30)
    services.agenda_section_create(
        panel=panel, order=3, name="Close", booking=BookingMode.SECTION, time_budget_minutes=30,
        starts_at=time(11, 30),
    )  # fmt: skip
    services.break_create(panel=panel, starts_at=time(10, 15), ends_at=time(10, 30), label="Tea")
    rows = [(f"{r.starts_at:%H:%M}", r.kind, r.label) for r in panel.timetable()]
    # A slot may not straddle the break, so the second waits until it is over.
    assert rows == [
        ("09:00", "block", "Tracking"),
        ("09:30", "slot", "Slot 1"),
        ("10:15", "break", "Tea"),
        ("10:30", "slot", "Slot 2"),
        ("11:00", "slot", "Slot 3"),
        ("11:30", "block", "Close"),
    ]


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (-5, "5 working days before"),
        (-1, "1 working day before"),
        (0, "On the day of the panel"),
        (10, "10 working days after"),
    ],
)
def test_lead_times_read_in_words(days, words):
    assert working_days_in_words(days) == words


def test_monthly_meetings_fall_on_the_nth_or_last_weekday():
    second_wednesdays = meeting_dates(
        cadence=Cadence.MONTHLY, weekday=Weekday.WEDNESDAY, week_of_month=2,
        series_start=None, start=date(2026, 12, 10), count=3,
    )  # fmt: skip
    assert second_wednesdays == [date(2027, 1, 13), date(2027, 2, 10), date(2027, 3, 10)]
    last_fridays = meeting_dates(
        cadence=Cadence.MONTHLY, weekday=Weekday.FRIDAY, week_of_month=WeekOfMonth.LAST,
        series_start=None, start=date(2026, 1, 1), count=2,
    )  # fmt: skip
    assert last_fridays == [date(2026, 1, 30), date(2026, 2, 27)]


def test_fortnightly_meetings_keep_to_the_weeks_of_their_series():
    dates = meeting_dates(
        cadence=Cadence.FORTNIGHTLY, weekday=Weekday.THURSDAY, week_of_month=None,
        series_start=date(2026, 1, 15), start=date(2026, 2, 6), count=2,
    )  # fmt: skip
    assert dates == [date(2026, 2, 12), date(2026, 2, 26)]
    weekly = meeting_dates(
        cadence=Cadence.WEEKLY, weekday=Weekday.MONDAY, week_of_month=None,
        series_start=None, start=date(2026, 2, 6), count=2,
    )  # fmt: skip
    assert weekly == [date(2026, 2, 9), date(2026, 2, 16)]
