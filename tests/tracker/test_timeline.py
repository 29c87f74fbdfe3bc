"""The child's journey on their page: the events, their order, the deadlines ahead, the
SVG that draws them and the table that lists them."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permanence.roles import Role
from tests.days import JANUARY
from tests.factories import decide
from tracker import services, timeline, timeline_drawing
from tracker.models import Child

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 11, 27)  # a Friday


def make_child(**fields) -> Child:
    return services.child_create(
        case_number=fields.pop("case_number", "CN0100"),
        first_name="Mia",
        last_name="Tregar",
        **fields,
    )


def names_and_dates(events):
    return [(event.name, event.on) for event in events]


def test_a_child_with_every_kind_of_date_reads_in_date_order():
    child = make_child(
        looked_after_since=date(2024, 3, 4),
        pre_proceedings_start=date(2024, 1, 15),
        proceedings_issued=date(2024, 4, 2),
        first_review_date=date(2024, 4, 2),
        second_review_date=date(2024, 7, 1),
        last_review_date=date(2025, 1, 6),
        primary_plan="adoption",
        plan_agreed_date=date(2024, 6, 20),
        placement_start=date(2024, 3, 4),
        final_order_date=date(2024, 9, 30),
        placement_order_date=date(2024, 9, 30),
        match_date=date(2025, 2, 12),
        placed_for_adoption_date=date(2025, 3, 3),
        adoption_application_date=date(2025, 6, 2),
    )
    events = timeline.journey(child, as_of=TODAY)
    assert names_and_dates(events) == [
        ("Pre-proceedings began", date(2024, 1, 15)),
        ("Entered care", date(2024, 3, 4)),
        ("Current placement began", date(2024, 3, 4)),
        ("Care proceedings issued", date(2024, 4, 2)),
        ("First review", date(2024, 4, 2)),
        # Never at panel: due 3 months after tracking began with pre-proceedings.
        ("Next panel due", date(2024, 4, 15)),
        ("Permanence plan agreed", date(2024, 6, 20)),
        ("Second review", date(2024, 7, 1)),
        ("Final order", date(2024, 9, 30)),
        ("Placement order", date(2024, 9, 30)),
        ("Latest review", date(2025, 1, 6)),
        ("Matched with adopters", date(2025, 2, 12)),
        ("Placed for adoption", date(2025, 3, 3)),
        ("Adoption application", date(2025, 6, 2)),
        # Every milestone met: the next review is what is left, 6 months after the latest.
        ("Review due", date(2025, 7, 6)),
    ]
    assert {event.state for event in events if event.ahead} == {"Overdue"}
    assert events[6].detail == "Adoption"
    assert [event.on for event in events] == sorted(event.on for event in events)


def test_what_happened_comes_before_what_is_due_on_the_same_day():
    # The first review is due 20 working days after entering care: 1 December 2026.
    child = make_child(looked_after_since=date(2026, 11, 3), first_review_date=None)
    with_review = make_child(
        case_number="CN0101", looked_after_since=date(2026, 11, 3), plan_agreed_date=None
    )
    Child.objects.filter(pk=with_review.pk).update(placement_start=child.next_review_due)
    with_review.refresh_from_db()
    events = timeline.journey(with_review, as_of=TODAY)
    same_day = [event for event in events if event.on == child.next_review_due]
    assert [(event.name, event.ahead) for event in same_day] == [
        ("Current placement began", False),
        ("Review due", True),
    ]


@pytest.mark.parametrize(
    ("as_of", "state"),
    [
        (date(2026, 6, 29), "Due"),  # the day before the 26 weeks end
        (date(2026, 6, 30), "Due"),  # their last day: not yet late
        (date(2026, 7, 1), "Overdue"),  # the day after
    ],
)
def test_the_26_weeks_read_due_until_their_last_day_is_past(as_of, state):
    child = make_child(proceedings_issued=date(2025, 12, 31))
    assert child.proceedings_deadline == date(2026, 6, 30)
    (end,) = [e for e in timeline.journey(child, as_of=as_of) if e.name.startswith("26 weeks")]
    assert (end.on, end.ahead, end.state) == (date(2026, 6, 30), True, state)
    assert timeline.proceedings(child) == (date(2025, 12, 31), date(2026, 6, 30))


def test_the_first_review_due_skips_christmas_and_new_year():
    # Monday 14 December 2026: 20 working days, less 25 and 28 December and 1 January.
    child = make_child(looked_after_since=date(2026, 12, 14))
    due = {e.name: e for e in timeline.journey(child, as_of=date(2026, 12, 14))}
    assert due["Review due"].on == date(2027, 1, 14)
    assert due["Review due"].state == "Due"
    assert due["Plan expected"].on == date(2027, 4, 14)


def test_each_deadline_leaves_when_what_meets_it_is_recorded():
    fields = {
        "looked_after_since": date(2025, 1, 6),
        "placement_order_date": date(2025, 10, 1),
        "placed_for_adoption_date": date(2026, 9, 1),
        "temporary_approval_date": date(2026, 10, 5),
    }
    open_child = make_child(**fields)
    ahead = {e.name: e for e in timeline.journey(open_child, as_of=TODAY) if e.ahead}
    assert ahead["Match expected"].on == date(2026, 4, 1)
    assert ahead["Match expected"].state == "Overdue"
    assert ahead["Adoption application expected"].on == date(2027, 3, 1)
    assert ahead["Adoption application expected"].state == "Due"
    assert ahead["Temporary approval expires"].on == date(2027, 1, 25)
    assert "Plan expected" in ahead

    met = make_child(
        case_number="CN0102",
        match_date=date(2026, 3, 2),
        adoption_application_date=date(2026, 11, 2),
        full_approval_date=date(2026, 11, 20),
        primary_plan="adoption",
        **fields,
    )
    ahead = {e.name for e in timeline.journey(met, as_of=TODAY) if e.ahead}
    assert ahead == {"Review due", "Next panel due"}


def test_a_child_whose_permanence_is_secured_has_no_deadlines():
    child = make_child(
        looked_after_since=date(2023, 5, 2), permanence_secured_date=date(2026, 2, 2)
    )
    events = timeline.journey(child, as_of=TODAY)
    assert names_and_dates(events) == [
        ("Entered care", date(2023, 5, 2)),
        ("Permanence secured", date(2026, 2, 2)),
    ]


def test_a_child_with_no_dates_has_no_journey_to_draw(client, make_user):
    child = make_child()
    assert timeline.journey(child, as_of=TODAY) == []
    assert timeline_drawing.draw([], as_of=TODAY) is None
    client.force_login(make_user(Role.ADMINISTRATOR))
    page = client.get(reverse("tracker:child", args=[child.pk])).content.decode()
    assert "No dates recorded for this child yet." in page
    assert '<svg class="app-timeline__svg' not in page


def journey_svgs(page: str) -> list[ET.Element]:
    found = re.findall(r'<svg class="app-timeline__svg.*?</svg>', page, flags=re.S)
    # Our own page's markup, parsed as strict XML to prove it well formed.
    return [ET.fromstring(svg) for svg in found]  # noqa: S314


def test_the_drawing_is_well_formed_svg_with_its_text_alternative(client, make_user):
    child = make_child(
        looked_after_since=date(2026, 1, 5),
        proceedings_issued=date(2026, 2, 2),
        first_review_date=date(2026, 2, 2),
        second_review_date=date(2026, 8, 3),
    )
    Child.objects.filter(pk=child.pk).update(last_name="O'Brien & Sons <b>")
    client.force_login(make_user(Role.ADMINISTRATOR))
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("tracker:child", args=[child.pk])).content.decode()
    svgs = journey_svgs(page)
    assert [svg.get("class").split()[-1] for svg in svgs] == [
        "app-timeline__svg--across",
        "app-timeline__svg--down",
    ]
    for svg in svgs:
        assert svg.get("role") == "img"
        assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", svg.get("viewBox"))
        assert svg.get("width") is None  # it takes the page's width
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text == "Timeline of Mia O'Brien & Sons <b>'s journey"
        assert desc.text.startswith("From Monday 5 January 2026 to ")
        assert (
            "4 things that happened and 4 deadlines or booked panels ahead, 3 of them" in desc.text
        )
        assert svg.find(f".//{SVG}rect[@class='app-timeline__proceedings']") is not None
        labels = ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]
        assert "Entered care5 Jan 2026" in labels
        assert "Today27 Nov 2026" in labels
        assert "26 weeks of proceedings endOverdue 2 Aug 2026" in labels
    # The table says the same, in date order, with full dates and "Due" for what is ahead.
    table = page[page.index('id="journey-list"') :]
    rows = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, flags=re.S)
    ]
    assert rows[1:4] == [
        "Monday 5 January 2026 Entered care Happened",
        "Monday 2 February 2026 Care proceedings issued Happened",
        "Monday 2 February 2026 First review Happened",
    ]
    assert rows[-3:] == [
        "Sunday 2 August 2026 26 weeks of proceedings end Children Act 1989 s32(1)(a) Overdue",
        "Monday 3 August 2026 Second review Happened",
        "Wednesday 3 February 2027 Review due Due",
    ]


def test_close_events_get_labels_that_never_overlap():
    as_of = date(2026, 11, 27)
    events = [
        timeline.Event(date(2026, 1, 5) + timedelta(days=2 * n), f"Something happened {n}")
        for n in range(12)
    ] + [
        timeline.Event(date(2027, 1, 4) + timedelta(days=n), f"Due {n}", timeline.AHEAD, "", "Due")
        for n in range(5)
    ]
    drawing = timeline_drawing.draw(events, as_of=as_of)

    def box(mark):
        width = timeline_drawing.label_width(mark.lines)
        left = mark.text_x - {"start": 0, "middle": width / 2, "end": width}[mark.anchor]
        top = mark.text_y - timeline_drawing.LINE
        return left, top, left + width, top + 2 * timeline_drawing.LINE

    for layout in (drawing.across, drawing.down):
        boxes = [box(mark) for mark in layout.marks] + [box(layout.today)]
        for i, a in enumerate(boxes):
            assert a[0] >= 0 and a[2] <= layout.width + 1, a  # inside the viewBox
            assert a[3] <= layout.height
            for b in boxes[i + 1 :]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, (a, b)
    # Across, a run of close events steps down to the right: no stem runs through a label
    # (but at the page's right edge, where labels read leftwards, it may).
    for mark in drawing.across.marks:
        stem_x, (y1, y2) = mark.stem[0], sorted(mark.stem[1::2])
        for other in (m for m in drawing.across.marks if m.anchor == "start"):
            left, top, right, bottom = box(other)
            assert not (left < stem_x < right and y1 < bottom and top < y2), (mark, other)
    # Across: what happened above the axis, what is due below it.
    axis_y = drawing.across.axis[1]
    assert all((m.text_y > axis_y) == m.event.ahead for m in drawing.across.marks)
    assert (drawing.happened, drawing.ahead, drawing.overdue) == (12, 5, 0)


@pytest.fixture
def heard(book, meetings, ada, chair):
    """Ada heard at Lancashire's January panel, decided; booked for February's and March's."""
    Child.objects.filter(pk=ada.pk).update(looked_after_since=date(2026, 10, 5))
    january = book(meetings[0], ada)
    with time_machine.travel(JANUARY, tick=False):
        decide(january, "Ratify the request, with timescales for the action plan", chair)
    book(meetings[1], ada)
    return ada


def test_panel_hearings_and_decisions_the_viewer_may_read(client, heard, chair, make_user):
    with time_machine.travel(date(2027, 1, 20), tick=False):
        client.force_login(chair)  # a sign-in lasts hours, not weeks
        response = client.get(reverse("tracker:child", args=[heard.pk]))
    at_panel = [e for e in response.context["journey"] if "anel" in e.name]
    assert [(e.name, e.on, e.state) for e in at_panel] == [
        ("Panel decision", JANUARY, ""),
        ("Panel booked", date(2027, 2, 10), "Booked"),
        ("Next panel due", date(2027, 4, 13), "Due"),
    ]
    assert at_panel[0].detail == (
        "Lancashire Permanence Panel: Ratify the request, with timescales for the action plan"
    )

    # Once February's meeting has sat, it is history, even before its decision is recorded.
    with time_machine.travel(date(2027, 2, 11), tick=False):
        client.force_login(chair)
        response = client.get(reverse("tracker:child", args=[heard.pk]))
    (february,) = [e for e in response.context["journey"] if e.on == date(2027, 2, 10)]
    assert (february.name, february.ahead) == ("At panel", False)
    assert february.detail.endswith("; no decision recorded yet")

    # Another panel's chair sees Ada's row, but not Lancashire's papers or decisions.
    other_chair = make_user(Role.CHAIR)
    with time_machine.travel(date(2027, 1, 20), tick=False):
        client.force_login(other_chair)
        response = client.get(reverse("tracker:child", args=[heard.pk]))
    names = [e.name for e in response.context["journey"]]
    assert "Panel decision" not in names and "Panel booked" not in names
    # The date the decision moved stays: it is the child's own, on the tracker.
    assert ("At panel", JANUARY) in names_and_dates(response.context["journey"])


def test_the_child_page_costs_the_same_queries_with_one_hearing_or_three(
    client, book, meetings, ada, chair, django_assert_num_queries
):
    Child.objects.filter(pk=ada.pk).update(looked_after_since=date(2026, 10, 5))
    url = reverse("tracker:child", args=[ada.pk])

    def queries() -> int:
        with time_machine.travel(date(2027, 3, 20), tick=False):
            client.force_login(chair)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
        return len(captured)

    first = book(meetings[0], ada)
    with time_machine.travel(JANUARY, tick=False):
        decide(first, "Ratify the request, with timescales for the action plan", chair)
    with_one = queries()
    for meeting in meetings[1:]:
        booking = book(meeting, ada)
        with time_machine.travel(meeting.date, tick=False):
            decide(booking, "Ratify the request, with timescales for the action plan", chair)
    with time_machine.travel(date(2027, 3, 20), tick=False):
        client.force_login(chair)
        with django_assert_num_queries(with_one):
            response = client.get(url)
    assert [e.name for e in response.context["journey"]].count("Panel decision") == 3


def test_years_of_reviews_and_panels_stay_a_few_rows_high():
    """Eight years of six-monthly reviews and quarterly panels, 48 labels each 14 characters
    wide (six rows would just hold them side by side): a dozen rows at most, not a
    staircase of 48 climbing the page to keep every stem clear."""
    start = date(2018, 1, 8)
    events = sorted(
        [timeline.Event(start + timedelta(days=182 * n), "Latest review") for n in range(16)]
        + [
            timeline.Event(start + timedelta(days=91 * n + 30), "Panel decision") for n in range(32)
        ],
        key=lambda event: event.on,
    )
    across = timeline_drawing.draw(events, as_of=date(2026, 1, 5)).across
    rows_above = {mark.text_y for mark in across.marks}
    assert len(rows_above) <= 12
    assert across.height < 600
