"""Tracking panels (issue 13): a list built from a rule in one write, reviewed a row at a
time, and what each outcome moves on the tracker."""

import csv
import itertools
import re
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse

from agendas import selectors as agendas_selectors
from agendas import services as agendas_services
from agendas.models import Booking, OutcomeEffect
from minutes import services
from minutes.forms.recording import DecisionForm
from permanence.models import Notification
from permanence.roles import Role
from tests.days import BOOKED_ON
from tests.factories import PanelFactory, winter_meetings
from tracker import services as tracker_services


@pytest.fixture
def north_somerset(chair):
    return PanelFactory(preset="north-somerset", chair=chair)


@pytest.fixture
def ns_meetings(north_somerset):
    return winter_meetings(north_somerset)


@pytest.fixture
def tracking(north_somerset):
    return north_somerset.sections.get(tracking=True)


@pytest.fixture
def make_children(north_somerset, social_worker, team_manager, team):
    numbers = itertools.count()

    def make(count, *, looked_after_since=date(2026, 6, 1), **fields):
        return [
            tracker_services.child_create(
                case_number=f"NS{(n := next(numbers)):04d}",
                first_name=f"Child{n}",
                last_name="Tracked",
                panel=north_somerset,
                team=team,
                social_worker=social_worker,
                team_manager=team_manager,
                looked_after_since=looked_after_since,
                **fields,
            )
            for _ in range(count)
        ]

    return make


def outcome(panel, effect):
    return panel.outcomes.get(effect=effect)


def build(meeting, section, rule, user):
    found = agendas_selectors.tracking_candidates(meeting=meeting, section=section, rule=rule)
    with time_machine.travel(BOOKED_ON, tick=False):
        return agendas_services.tracking_list_add(
            meeting=meeting,
            section=section,
            children=[c.child for c in found],
            booked_by=user,
        )


def test_a_list_of_500_is_one_write_and_one_notice_a_person(
    ns_meetings,
    tracking,
    make_children,
    administrator,
    social_worker,
    django_assert_max_num_queries,
):
    make_children(500)
    meeting = ns_meetings[0]
    found = agendas_selectors.tracking_candidates(meeting=meeting, section=tracking, rule="due")
    assert len(found) == 500
    with time_machine.travel(BOOKED_ON, tick=False), django_assert_max_num_queries(30):
        result = agendas_services.tracking_list_add(
            meeting=meeting,
            section=tracking,
            children=[c.child for c in found],
            booked_by=administrator,
        )
    assert len(result.added) == 500
    told = Notification.objects.filter(kind="tracking_notice")
    # The social worker and team manager each get one email listing their 500 children.
    assert told.count() == 2
    assert all(b.is_tracking for b in Booking.objects.filter(meeting=meeting))


def test_rebuilding_adds_only_who_is_new(ns_meetings, tracking, make_children, administrator):
    make_children(3)
    meeting = ns_meetings[0]
    assert len(build(meeting, tracking, "due", administrator).added) == 3
    make_children(
        1, looked_after_since=date(2026, 7, 1), case_number_suffix=None
    ) if False else None
    again = build(meeting, tracking, "due", administrator)
    assert again.added == [] and again.already == 3
    assert meeting.bookings.count() == 3


def test_the_section_keeps_to_its_capacity(ns_meetings, tracking, make_children, administrator):
    agendas_services.agenda_section_update(section=tracking, capacity=2)
    make_children(3)
    with pytest.raises(ValidationError, match="room for 2 more"):
        build(ns_meetings[0], tracking, "due", administrator)
    assert ns_meetings[0].bookings.count() == 0


def test_the_due_rule_at_its_boundary(ns_meetings, tracking, make_children):
    """Due the day before, the day of and the day after the meeting: the last is not found."""
    meeting = ns_meetings[0]
    three_months_before = meeting.date - relativedelta(months=3)
    for shift in (-1, 0, 1):
        make_children(1, looked_after_since=three_months_before + timedelta(days=shift))
    found = agendas_selectors.tracking_candidates(meeting=meeting, section=tracking, rule="due")
    assert [c.child.next_panel_due for c in found] == [
        meeting.date - timedelta(days=1),
        meeting.date,
    ]


def test_knowsleys_adoption_rule_reads_the_contingency_plan(chair, administrator, social_worker):
    knowsley = PanelFactory(preset="knowsley", chair=chair)
    meeting = winter_meetings(knowsley)[0]
    part_1 = knowsley.sections.get(tracking=True)
    common = {"panel": knowsley, "social_worker": social_worker, "last_name": "K"}
    contingency = tracker_services.child_create(
        case_number="K1",
        first_name="Con",
        contingency_plan="adoption",
        primary_plan="reunification",
        **common,
    )
    order = tracker_services.child_create(
        case_number="K2",
        first_name="Ord",
        looked_after_since=date(2025, 1, 6),
        placement_order_date=date(2026, 5, 1),
        **common,
    )
    tracker_services.child_create(
        case_number="K3", first_name="Not", primary_plan="long_term_fostering", **common
    )
    found = agendas_selectors.tracking_candidates(meeting=meeting, section=part_1, rule="adoption")
    assert {c.child for c in found} == {contingency, order}


def review(booking, effect, chair, **fields):
    with time_machine.travel(booking.meeting.date, tick=False):
        return services.tracking_review_record(
            booking=booking,
            outcome=outcome(booking.panel, effect),
            recorded_by=chair,
            note=fields.pop("note", ""),
            **fields,
        )


def test_on_track_moves_last_panel_date_and_keeps_the_chairs_frequency(
    ns_meetings, tracking, make_children, administrator, chair
):
    (child,) = make_children(1)
    meeting = ns_meetings[0]
    (booking,) = build(meeting, tracking, "due", administrator).added
    review(booking, OutcomeEffect.ON_TRACK, chair, comes_back_every=6, comes_back_unit="weeks")
    child.refresh_from_db()
    assert child.last_panel_date == meeting.date
    assert child.next_panel_due == meeting.date + timedelta(weeks=6)
    assert child.panel_review_frequency == "every 6 weeks"
    assert child.panel_review_set_by == chair


def test_not_discussed_moves_nothing_and_comes_first_next_time(
    ns_meetings, tracking, make_children, administrator, chair
):
    first, second = make_children(2)
    meeting = ns_meetings[0]
    a, b = build(meeting, tracking, "due", administrator).added
    review(a, OutcomeEffect.ON_TRACK, chair)
    not_discussed = b if b.child == second else a
    review(b, OutcomeEffect.NOT_DISCUSSED, chair, comes_back_every=2, comes_back_unit="weeks")
    b.child.refresh_from_db()
    assert b.child.last_panel_date is None
    assert b.child.panel_review_every is None
    found = agendas_selectors.tracking_candidates(
        meeting=ns_meetings[1], section=tracking, rule="all"
    )
    assert found[0].child == b.child and found[0].not_discussed_last_time
    assert not_discussed


def test_concerns_need_an_action(
    ns_meetings, tracking, make_children, administrator, chair, social_worker
):
    make_children(1)
    meeting = ns_meetings[0]
    (booking,) = build(meeting, tracking, "due", administrator).added
    with pytest.raises(ValidationError, match="Set an action"):
        review(booking, OutcomeEffect.CONCERNS, chair, note="Family finding stalled")
    decision = review(
        booking,
        OutcomeEffect.CONCERNS,
        chair,
        note="Family finding stalled",
        action={
            "description": "Refer to Adoption West",
            "owner": social_worker,
            "due_date": meeting.date + timedelta(days=14),
        },
    )
    assert decision.actions.count() == 1


def test_the_tracking_page_costs_the_same_for_5_or_40_children(
    client, ns_meetings, tracking, make_children, administrator, chair, django_assert_num_queries
):
    meeting = ns_meetings[0]
    url = reverse("decisions:tracking", args=[meeting.panel.slug, meeting.pk, tracking.pk])
    make_children(5)
    build(meeting, tracking, "due", administrator)
    with time_machine.travel(meeting.date, tick=False):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(chair)
        with CaptureQueriesContext(connection) as five:
            assert client.get(url).status_code == 200
    for n in range(35):
        tracker_services.child_create(
            case_number=f"X{n}",
            first_name="X",
            last_name="Y",
            panel=meeting.panel,
            looked_after_since=date(2026, 6, 1),
        )
    build(meeting, tracking, "due", administrator)
    assert meeting.bookings.count() == 40
    with time_machine.travel(meeting.date, tick=False):
        client.force_login(chair)
        with django_assert_num_queries(len(five)):
            response = client.get(url)
    assert response.content.decode().count('class="app-tracking-row') == 40


def test_the_ratified_minutes_download_as_the_tracker(
    client, ns_meetings, tracking, make_children, administrator, chair, social_worker, make_user
):
    make_children(2)
    meeting = ns_meetings[0]
    first, second = build(meeting, tracking, "due", administrator).added
    review(
        first,
        OutcomeEffect.ON_TRACK,
        chair,
        note="Matching meeting booked",
        comes_back_every=6,
        comes_back_unit="weeks",
        action={
            "description": "Send the matching report",
            "owner": social_worker,
            "due_date": meeting.date + timedelta(days=7),
        },
    )
    review(second, OutcomeEffect.NOT_DISCUSSED, chair)
    url = reverse("minutes:minutes-tracker", args=[meeting.panel.slug, meeting.pk])
    with time_machine.travel(meeting.date + timedelta(days=1), tick=False):
        client.force_login(chair)
        assert client.get(url).status_code == 404  # not ratified yet
        services.minutes_ratify(meeting=meeting, chair=chair)
        response = client.get(url)
        assert response["Content-Disposition"] == (
            f'attachment; filename="tracker-minutes-north-somerset-{meeting.date.isoformat()}.csv"'
        )
        rows = list(csv.DictReader(StringIO(response.content.decode("utf-8-sig"))))
        # The child not discussed is not in the minutes' tracker.
        assert [row["case_number"] for row in rows] == [first.child.case_number]
        row = rows[0]
        assert (row["outcome"], row["note"]) == ("On track", "Matching meeting booked")
        assert row["panel_review_frequency"] == "every 6 weeks"
        assert row["next_panel_due"] == (meeting.date + timedelta(weeks=6)).isoformat()
        assert row["actions"].startswith("Send the matching report (")
        xlsx = client.get(url + "?format=xlsx")
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        # Circulated to the child's social worker, who gets their own children's rows.
        client.force_login(social_worker)
        assert client.get(url).status_code == 200
        client.force_login(make_user(Role.SOCIAL_WORKER, first_name="Other"))
        assert client.get(url).status_code == 404


def test_escalating_books_the_chosen_request_into_a_later_meeting(
    ns_meetings, tracking, make_children, administrator, chair
):
    make_children(1)
    meeting = ns_meetings[0]
    (booking,) = build(meeting, tracking, "due", administrator).added
    with pytest.raises(ValidationError, match="Choose the request"):
        review(booking, OutcomeEffect.ESCALATE, chair, note="No family finding yet")
    request = booking.panel.request_types.get(name="New to PLO or care")
    decision = review(
        booking, OutcomeEffect.ESCALATE, chair, note="No family finding yet", escalate_as=request
    )
    forward = decision.forward_booking
    assert (forward.meeting, forward.request_type) == (ns_meetings[1], request)
    assert not forward.is_tracking
    booking.child.refresh_from_db()
    assert booking.child.last_panel_date == meeting.date  # escalating is a discussion


def test_the_decision_page_offers_the_chairs_frequency_to_keep(
    ns_meetings, tracking, make_children, administrator, chair
):
    (child,) = make_children(1)
    (booking,) = build(ns_meetings[0], tracking, "due", administrator).added
    review(booking, OutcomeEffect.ON_TRACK, chair, comes_back_every=6, comes_back_unit="weeks")
    later = Booking.objects.get(pk=booking.pk)
    later.pk = None  # the same child's next booking, read as the form reads it
    later.child.refresh_from_db()
    form = DecisionForm(meeting=ns_meetings[1], booking=later)
    assert (form["comes_back_every"].initial, form["comes_back_unit"].initial) == (6, "weeks")


def test_saving_a_row_comes_back_with_the_next_childs_outcome_focused(
    client, ns_meetings, tracking, make_children, administrator, chair
):
    """No "#row-" fragment in the redirect: a fragment target switches the browser's
    autofocus off. And the "Saved" banner must not take the focus for itself."""
    make_children(2)
    meeting = ns_meetings[0]
    first, second = build(meeting, tracking, "due", administrator).added
    url = reverse("decisions:tracking", args=[meeting.panel.slug, meeting.pk, tracking.pk])
    on_track = outcome(meeting.panel, OutcomeEffect.ON_TRACK)
    with time_machine.travel(meeting.date, tick=False):
        client.force_login(chair)
        response = client.post(url, {"booking": first.pk, f"row-{first.pk}-outcome": on_track.pk})
        assert response.status_code == 302
        assert response.url == f"{url}?at={second.pk}"
        page = client.get(response.url).content.decode()
    focused = re.findall(r"<select [^>]*autofocus[^>]*>", page)
    assert len(focused) == 1 and f'id="id_row-{second.pk}-outcome"' in focused[0]
    assert 'data-module="govuk-notification-banner" data-disable-auto-focus="true"' in page
