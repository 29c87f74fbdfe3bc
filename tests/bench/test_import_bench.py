"""The children import at a region's size: 50,000 rows on PostgreSQL.

`make bench` (BENCH=full) imports a 50,000-row tracker file into an empty tracker (every
child created), then the same children some months on (every child changed: a new review,
another panel), timed; then once more, changed again, with Python's peak memory traced
(a separate run, since tracing slows Python down). It prints a table, writes
var/bench/import.json and holds the targets. `make test` runs the same journey on 300 rows
as a check that it works.
"""

import csv
import io
import os
import random
import time
import tracemalloc
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from permanence.roles import Role
from tests.bench.report import report_and_hold
from tests.factories import TeamFactory, UserFactory
from tracker.importer import IMPORT_COLUMNS, children_import
from tracker.importer.children import BATCH
from tracker.models import Child

FULL = os.environ.get("BENCH") == "full"
ROWS = 50_000 if FULL else 300
TEAMS = 8
WORKERS = 40
PANELS = ("somerset", "torbay", "north-somerset", "knowsley", "lancashire")
TARGETS = {"create_seconds": 60, "update_seconds": 60, "update_peak_mb": 150}

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def council():
    """The panels, teams and social workers a council's file names; its administrator."""
    call_command("load_panel_presets", stdout=StringIO())
    teams = [TeamFactory(name=f"Bench team {n}") for n in range(TEAMS)]
    for n in range(WORKERS):
        UserFactory(
            roles=[Role.SOCIAL_WORKER], team=teams[n % TEAMS], email=f"worker{n}@bench.example"
        )
    return UserFactory(roles=[Role.ADMINISTRATOR])


def tracker_file(rows: int, *, seed: int = 903, later: int = 0) -> bytes:
    """A council's tracker as its import file: every row valid, with the dates a child in
    care has. `later`: the same children that many reviews on, each on another panel, so
    every row changes a stored child."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMPORT_COLUMNS)
    for n in range(rows):
        since = date(2025, 6, 1) - timedelta(days=rng.randint(0, 1500))
        born = since - timedelta(days=rng.randint(30, 4000))
        first = since + timedelta(days=rng.randint(20, 30))
        second = first + timedelta(days=rng.randint(80, 100))
        last = second + timedelta(days=rng.randint(150, 200) + 120 * later)
        proceedings = since + timedelta(days=rng.randint(0, 30)) if n % 3 == 0 else None
        order = proceedings + timedelta(days=rng.randint(150, 260)) if n % 6 == 0 else None
        row = {
            "case_number": f"B{n:06d}",
            "first_name": f"Child{n}",
            "last_name": f"Bench{n % 97}",
            "date_of_birth": born.isoformat(),
            "sex": rng.choice(["M", "F"]),
            "team": f"Bench team {n % TEAMS}",
            "social_worker_email": f"worker{n % WORKERS}@bench.example",
            "panel": PANELS[(n + later) % len(PANELS)],
            "looked_after_since": since.isoformat(),
            "legal_status": rng.choice(["C1", "C2", "E1", "V2"]),
            "placement_type": rng.choice(["U4", "U6", "P1", "K2"]),
            "placement_start": since.isoformat(),
            "proceedings_issued": proceedings.isoformat() if proceedings else "",
            "final_order_date": order.isoformat() if order else "",
            "first_review_date": first.isoformat(),
            "second_review_date": second.isoformat(),
            "last_review_date": last.isoformat(),
            "primary_plan": rng.choice(["adoption", "long_term_fostering", ""]),
            "sibling_group": f"SG{n // 3}" if n % 5 == 0 else "",
        }
        writer.writerow([row.get(column, "") for column in IMPORT_COLUMNS])
    return out.getvalue().encode()


def timed_import(data: bytes, by) -> tuple[float, object, list]:
    seen = []
    start = time.perf_counter()
    result = children_import(data=data, changed_by=by, progress=lambda *step: seen.append(step))
    seconds = time.perf_counter() - start
    assert result.problems == [], result.problems[:3]
    return seconds, result, seen


def test_import_at_scale():
    administrator = council()

    create_seconds, created, seen = timed_import(tracker_file(ROWS), administrator)
    assert created.created == ROWS
    # The job's page moves with each batch written, not only at the end.
    assert [done for done, _, _ in seen] == [*range(0, ROWS, BATCH), ROWS]

    update_seconds, updated, _ = timed_import(tracker_file(ROWS, later=1), administrator)
    assert updated.updated == ROWS

    data = tracker_file(ROWS, later=2)
    tracemalloc.start()
    _, traced, _ = timed_import(data, administrator)
    update_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    assert traced.updated == ROWS
    assert Child.history.filter(history_type="~").count() == 2 * ROWS

    results = {
        "rows": ROWS,
        "file_mb": round(len(data) / 2**20, 1),
        "create_seconds": round(create_seconds, 1),
        "update_seconds": round(update_seconds, 1),
        "update_peak_mb": round(update_peak_mb, 1),
    }
    if not FULL:
        return
    report_and_hold("import", results, TARGETS)
