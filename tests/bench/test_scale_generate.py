"""`make bench`'s data generator (tests/bench/scale) at a tiny size: it makes what it
promises, table by table in proportion to the children, so it cannot rot unnoticed."""

from datetime import timedelta

import pytest

from agendas.models import Booking, Meeting
from minutes.models import Decision, PanelAction
from permanence.models import AuditEntry, Notification
from tests.bench.scale import generate, report
from tests.bench.scale.generate import AS_OF, Shape
from tracker.models import Child

CHILDREN = 120


@pytest.fixture
def generated(db):
    before = generate.counts()
    shape = generate.generate(CHILDREN, say=lambda _: None)
    after = generate.counts()
    return shape, {name: after[name] - before[name] for name in after}


def test_the_shape_scales_with_the_children():
    small, large = Shape(1_000), Shape(50_000)
    assert (large.panels, large.social_workers, large.teams) == (70, 4_000, 294)
    assert large.bookings == 15_000 and large.open_actions == 165_000
    assert large.emails == 2_600_000 and large.audit_entries == 1_000_000
    for name in ("social_workers", "bookings", "open_actions", "emails", "audit_entries"):
        assert getattr(large, name) == 50 * getattr(small, name), name
    assert small.panels == 5  # every council's panel, however small


def test_the_generator_makes_what_the_shape_promises(generated):
    shape, made = generated
    assert made["children"] == CHILDREN
    assert made["teams"] == shape.teams
    assert made["social_workers"] == shape.social_workers
    # The five councils' panels: the tests' seed panels are the first set, put back as
    # their presets say.
    assert made["panels"] == 0
    assert made["bookings"] == shape.bookings
    assert made["waiting"] == shape.waiting
    assert made["open_actions"] == shape.open_actions
    assert PanelAction.objects.filter(completed_at__isnull=False).count() == shape.done_actions
    assert made["emails"] == shape.emails
    assert made["audit_entries"] == shape.audit_entries


def test_two_years_of_meetings_with_their_business(generated):
    meetings = Meeting.objects.order_by("date")
    first, last = meetings.first().date, meetings.last().date
    assert first - (AS_OF - timedelta(days=730)) < timedelta(days=31)
    assert timedelta(days=60) < last - AS_OF <= timedelta(days=92)
    held = Booking.objects.filter(status=Booking.Status.BOOKED, meeting__date__lt=AS_OF)
    # Each booking held has its decision; every booking its submission; minutes for the
    # meetings held more than a month ago.
    assert Decision.objects.count() == held.count() > 0
    booked = Booking.objects.filter(status=Booking.Status.BOOKED)
    assert booked.filter(submission__isnull=True).count() == 0
    assert Meeting.objects.filter(minutes__isnull=False).exists()
    assert Booking.objects.filter(status=Booking.Status.WAITING, meeting__isnull=True).exists()
    assert Child.objects.filter(next_review_due__isnull=False).exists()  # dates derived
    assert Notification.objects.filter(status="sent").count() > 0
    assert AuditEntry.objects.filter(case_number__startswith="S").exists()


def test_the_report_is_one_table_with_growth_and_floor():
    def page(median):
        return {"median_ms": median, "p95_ms": median * 2, "requests": 30}

    sizes = {
        size: {
            "pages": {"outbox": page(median), "floor: signed-in page (account)": page(10)},
            "throughput": {"skipped": "no wrk"},
        }
        for size, median in (("1000", 20), ("10000", 30), ("50000", 60))
    }
    machine = {"cpus": 2, "ram_gb": 23, "postgresql": "15", "date": "today"}
    machine["load_average_at_start"] = (1.0, 1.0, 1.0)
    table = report.table({"machine": machine, "sizes": sizes})
    outbox = next(line for line in table.splitlines() if line.startswith("outbox"))
    assert [cell.strip() for cell in outbox.split("|")] == [
        "outbox",
        "20 (40)",
        "30 (60)",
        "60 (120)",
        "2.00x",
        "3.00x",
        "6.0",
    ]
