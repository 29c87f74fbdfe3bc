"""The SSDA903 import at a council's size, on PostgreSQL.

`make bench` (BENCH=full) times the shared synthetic returns (CSV tables of 2,675 children,
and the XML of 253), and an import of 10,000 generated children with 40,000 episodes: the
first run (every child new), the same return again (nothing changes), and the first run's
peak memory (tracemalloc, in a run of its own: tracing slows Python down). It prints a
table, writes var/bench/ssda903.json and holds the targets. `make test` runs the same
journey on 200 generated children as a check that it works.
"""

import os
import random
import time
import tracemalloc
from datetime import date, timedelta

import pytest

from tests.bench.report import report_and_hold
from tests.tracker.ssda903.test_shared_return import shared_csv, shared_xml
from tracker.importer.ssda903 import ssda903_import, ssda903_read
from tracker.models import Child

FULL = os.environ.get("BENCH") == "full"
CHILDREN = 10_000 if FULL else 200
EPISODES_PER_CHILD = 4
TARGETS = {"generated_seconds": 60.0, "generated_peak_mb": 500}

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def generated_return(count: int) -> list[tuple[str, bytes]]:
    """CSV tables: each child 4 episodes in one period of care (placement and legal status
    changes joined by X1), a quarter of them ended (adopted, special guardianship, home)."""
    rng = random.Random(903)
    header = ["CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"]
    episodes = ["CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE"]
    reviews = ["CHILD,DOB,REVIEW,REVIEW_CODE"]
    for n in range(count):
        case_number = f"G{n:06d}"
        born = date(2010, 1, 1) + timedelta(days=rng.randint(0, 3650))
        header.append(f"{case_number},{rng.choice('12')},{_day(born)},WBRI,,,")
        start = born + timedelta(days=rng.randint(30, 1500))
        decom = start
        for number in range(EPISODES_PER_CHILD):
            last = number == EPISODES_PER_CHILD - 1
            dec = decom + timedelta(days=rng.randint(20, 200))
            ended = last and n % 4 == 0
            rec = rng.choice(["E11", "E45", "E4A"]) if ended else ("" if last else "X1")
            place = "A5" if ended and rec == "E11" else rng.choice(["U4", "U6", "K2", "P1"])
            episodes.append(
                f"{case_number},{_day(decom)},{'S' if number == 0 else rng.choice('LPTBU')},"
                f"{rng.choice(['C1', 'C2', 'E1', 'V2'])},N1,{place},PR1,"
                f"{_day(dec) if rec else ''},{rec},"
            )
            decom = dec
        for review in range(1, 5):
            reviews.append(
                f"{case_number},{_day(born)},{_day(start + timedelta(days=90 * review))},PN1"
            )
    return [
        (name, ("\r\n".join(lines) + "\r\n").encode())
        for name, lines in (
            ("header.csv", header),
            ("episodes.csv", episodes),
            ("reviews.csv", reviews),
        )
    ]


def timed(files) -> tuple[float, object]:
    start = time.perf_counter()
    report = ssda903_import(ret=ssda903_read(files), dry_run=False)
    return time.perf_counter() - start, report


def forget_children() -> None:
    Child.history.all().delete()
    Child.objects.all().delete()


def test_ssda903_import_at_scale():
    results = {}
    seconds, report = timed(shared_csv())
    results["shared_csv_children"] = report.children
    results["shared_csv_seconds"] = round(seconds, 2)
    seconds, report = timed(shared_xml())
    results["shared_xml_children"] = report.children
    results["shared_xml_seconds"] = round(seconds, 2)
    forget_children()

    files = generated_return(CHILDREN)
    seconds, report = timed(files)
    assert (report.created, report.refused) == (CHILDREN, [])
    results["generated_children"] = CHILDREN
    results["generated_episodes"] = CHILDREN * EPISODES_PER_CHILD
    results["generated_seconds"] = round(seconds, 2)
    seconds, again = timed(files)
    assert (again.created, again.updated, again.unchanged) == (0, 0, CHILDREN)
    results["generated_again_seconds"] = round(seconds, 2)

    forget_children()
    tracemalloc.start()
    ssda903_import(ret=ssda903_read(files), dry_run=False)
    results["generated_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    tracemalloc.stop()
    assert Child.objects.count() == CHILDREN

    if not FULL:
        return
    report_and_hold("ssda903", results, TARGETS)
