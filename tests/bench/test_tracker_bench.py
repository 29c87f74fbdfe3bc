"""The tracker at a council's size: 10,000 children on PostgreSQL.

`make bench` (BENCH=full) measures the tracker page filtered by a flag and sorted by a
date (p50 and p95 over repeated requests), the child page, and the 10,000-row CSV and XLSX
exports (time and peak memory), prints a table, writes var/bench/tracker.json and holds the
targets. `make test` runs the same journey on 200 children as a check that it works.
"""

import os
import random
import time
import tracemalloc
from datetime import date, timedelta

import pytest
from django.urls import reverse

from permanence.roles import Role
from tests.bench.pages import fetch, opener_for, percentile, timed_ms
from tests.bench.report import report_and_hold
from tests.factories import TeamFactory, UserFactory
from tracker import services
from tracker.models import Child

FULL = os.environ.get("BENCH") == "full"
CHILDREN = 10_000 if FULL else 200
REQUESTS = 40 if FULL else 3
AS_OF = date(2026, 11, 22)
TARGETS = {"tracker_page_p95_ms": 150, "export_seconds": 3.0, "export_peak_mb": 150}
# The XLSX's time is openpyxl's, writing each cell's XML; its memory is held down.
TARGETS["xlsx_export_peak_mb"] = 150

# A real server (Django's live server thread): the test client instruments every template
# render, which would be measured too.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def generate_children(count: int) -> None:
    rng = random.Random(903)
    teams = [TeamFactory(name=f"Bench team {n}") for n in range(8)]
    workers = [UserFactory(roles=[Role.SOCIAL_WORKER], team=team) for team in teams]
    children = []
    for n in range(count):
        since = AS_OF - timedelta(days=rng.randint(10, 1500))
        child = Child(
            case_number=f"B{n:06d}",
            first_name=f"Child{n}",
            last_name=f"Bench{n % 97}",
            team=teams[n % len(teams)],
            social_worker=workers[n % len(workers)],
            looked_after_since=since,
            legal_status=rng.choice(["C1", "C2", "E1", "V2"]),
            placement_type=rng.choice(["U4", "U6", "P1", "K2"]),
        )
        if n % 3 == 0:
            child.proceedings_issued = since + timedelta(days=rng.randint(0, 30))
        if n % 7 == 0:
            child.placement_order_date = since + timedelta(days=200)
        children.append(child)
    Child.objects.bulk_create(children, batch_size=2000)
    services.children_recompute()


def test_tracker_at_scale(client, live_server):
    generate_children(CHILDREN)
    opener = opener_for(client, UserFactory(roles=[Role.SENIOR_MANAGER]))
    server = live_server.url
    page_params = {
        "flag": "proceedings_over_26_weeks",
        "sort": "-proceedings_deadline",
        "as_of": AS_OF.isoformat(),
    }
    tracker_url = server + reverse("tracker:list")
    fetch(opener, tracker_url, page_params)  # warm caches and connections
    tracker_ms = timed_ms(opener, tracker_url, page_params, REQUESTS)
    child = Child.objects.filter(proceedings_issued__isnull=False).first()
    child_ms = timed_ms(opener, server + reverse("tracker:child", args=[child.pk]), {}, REQUESTS)

    def export_csv() -> int:
        return fetch(opener, tracker_url, {"status": "all", "export": "csv"}).count(b"\n")

    # Timed and traced in separate runs: tracing every allocation slows Python down.
    start = time.perf_counter()
    assert export_csv() == CHILDREN + 1  # the header and every child
    export_seconds = time.perf_counter() - start
    # The peak of the server's own work: the streamed response, read a chunk at a time.
    tracemalloc.start()
    response = client.get(reverse("tracker:list"), {"status": "all", "export": "csv"})
    assert sum(chunk.count(b"\n") for chunk in response.streaming_content) == CHILDREN + 1
    export_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    # The XLSX the same way: written to a temporary file (openpyxl's write-only mode), then
    # streamed from it.
    start = time.perf_counter()
    assert fetch(opener, tracker_url, {"status": "all", "export": "xlsx"}).startswith(b"PK")
    xlsx_seconds = time.perf_counter() - start
    tracemalloc.start()
    response = client.get(reverse("tracker:list"), {"status": "all", "export": "xlsx"})
    assert sum(len(chunk) for chunk in response.streaming_content) > 0
    response.close()
    xlsx_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    results = {
        "children": CHILDREN,
        "requests": REQUESTS,
        "tracker_page_p50_ms": round(percentile(tracker_ms, 50), 1),
        "tracker_page_p95_ms": round(percentile(tracker_ms, 95), 1),
        "child_page_p50_ms": round(percentile(child_ms, 50), 1),
        "child_page_p95_ms": round(percentile(child_ms, 95), 1),
        "export_seconds": round(export_seconds, 2),
        "export_peak_mb": round(export_peak_mb, 1),
        "xlsx_export_seconds": round(xlsx_seconds, 2),
        "xlsx_export_peak_mb": round(xlsx_peak_mb, 1),
    }
    if not FULL:
        return
    report_and_hold("tracker", results, TARGETS)
