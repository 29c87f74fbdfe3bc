"""The measures at a council's size: timeliness over 10,000 children, and panel performance
over a year of the five panels' meetings with 40 children heard at each, on PostgreSQL.

`make bench` (BENCH=full) prints p50 and p95 of each page over repeated requests, writes
var/bench/measures.json and holds the targets. `make test` runs the same on 200 children and
5 a meeting, as a check that it works.
"""

import os
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from agendas import services as agendas_services
from agendas.models import Booking, BookingStatus, OutcomeEffect, Panel, Submission
from minutes.models import Decision
from permanence.roles import Role
from tests.bench.pages import fetch, opener_for, percentile, timed_ms
from tests.bench.report import report_and_hold
from tests.factories import UserFactory
from tracker import services
from tracker.models import Child

FULL = os.environ.get("BENCH") == "full"
CHILDREN = 10_000 if FULL else 200
HEARD_PER_MEETING = 40 if FULL else 5
REQUESTS = 40 if FULL else 3
AS_OF = date(2026, 11, 27)
# Generous: the figures are two and five queries; the rest is drawing the page.
TARGETS = {"timeliness_p95_ms": 300, "panel_performance_p95_ms": 300}

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def generate_children(count: int) -> list[Child]:
    rng = random.Random(15)
    children = []
    for n in range(count):
        since = AS_OF - timedelta(days=rng.randint(30, 1500))
        child = Child(
            case_number=f"MB{n:06d}",
            first_name=f"Child{n}",
            last_name=f"Measured{n % 97}",
            looked_after_since=since,
            first_review_date=since + timedelta(days=20),
            second_review_date=since + timedelta(days=110),
        )
        if n % 2 == 0:
            child.primary_plan = "adoption"
            child.plan_agreed_date = since + timedelta(days=rng.randint(60, 160))
        if n % 3 == 0:
            child.proceedings_issued = since + timedelta(days=rng.randint(0, 30))
            child.final_order_date = child.proceedings_issued + timedelta(
                days=rng.randint(120, 400)
            )
        if n % 4 == 0:
            child.placement_order_date = since + timedelta(days=200)
            child.match_date = child.placement_order_date + timedelta(days=rng.randint(30, 300))
            child.placed_for_adoption_date = child.match_date + timedelta(days=20)
            child.permanence_secured_date = child.placed_for_adoption_date + timedelta(days=200)
        children.append(child)
    Child.objects.bulk_create(children, batch_size=2000)
    services.children_recompute()
    return list(Child.objects.order_by("pk"))


def generate_year_of_panels(children: list[Child], chair) -> None:
    """Every panel's meetings over the 12 months, each hearing HEARD_PER_MEETING children
    who sent their submission, with a decision recorded on the child's file."""
    start = AS_OF - timedelta(days=365)
    bookings = []
    pool = iter(children * 20)
    for panel in Panel.objects.all():
        agendas_services.meetings_schedule(panel=panel, start=start, end=AS_OF)
        request = panel.request_types.filter(default_section__isnull=False).first()
        for meeting in panel.meetings.all():
            for _ in range(HEARD_PER_MEETING):
                bookings.append(
                    Booking(
                        panel=panel,
                        meeting=meeting,
                        section=request.default_section,
                        child=next(pool),
                        request_type=request,
                        reason="Bench",
                        status=BookingStatus.BOOKED,
                    )
                )
    Booking.objects.bulk_create(bookings, batch_size=2000)
    booked = list(Booking.objects.select_related("meeting", "panel"))
    sent = datetime(2026, 1, 1, tzinfo=UTC)
    Submission.objects.bulk_create(
        [Submission(booking=booking, submitted_at=sent) for booking in booked], batch_size=2000
    )
    outcomes = {
        panel.pk: panel.outcomes.filter(effect=OutcomeEffect.AGREE).first()
        for panel in Panel.objects.all()
    }
    Decision.objects.bulk_create(
        [
            Decision(
                booking=booking,
                outcome=outcomes[booking.panel_id],
                rationale="Bench",
                recorded_by=chair,
                recorded_on_file_at=datetime.combine(
                    booking.meeting.date + timedelta(days=3), datetime.min.time(), tzinfo=UTC
                ),
            )
            for booking in booked
        ],
        batch_size=2000,
    )


def test_measures_at_scale(client, live_server):
    chair = UserFactory(roles=[Role.CHAIR])
    generate_year_of_panels(generate_children(CHILDREN), chair)
    opener = opener_for(client, UserFactory(roles=[Role.SENIOR_MANAGER]))
    params = {"as_of": AS_OF.isoformat()}
    timeliness, performance = (
        live_server.url + reverse("tracker:timeliness"),
        live_server.url + reverse("minutes:panel_performance"),
    )
    fetch(opener, timeliness, params)  # warm caches and connections
    timeliness_ms = timed_ms(opener, timeliness, params, REQUESTS)
    performance_ms = timed_ms(opener, performance, params, REQUESTS)

    results = {
        "children": CHILDREN,
        "bookings": Booking.objects.count(),
        "requests": REQUESTS,
        "timeliness_p50_ms": round(percentile(timeliness_ms, 50), 1),
        "timeliness_p95_ms": round(percentile(timeliness_ms, 95), 1),
        "panel_performance_p50_ms": round(percentile(performance_ms, 50), 1),
        "panel_performance_p95_ms": round(percentile(performance_ms, 95), 1),
    }
    if not FULL:
        return
    report_and_hold("measures", results, TARGETS)
