"""The agenda pack at a full meeting's size: 20 children, each with three 10-page PDFs.

`make bench` (BENCH=full) builds the pack (about 650 pages) and times it, measures its peak
memory two ways, times the agenda PDF alone, prints a table, writes var/bench/pack.json and
holds the targets. `make test` builds a small pack the same way as a check that it works.

Memory: `rss_delta_mb` is how far the build raised the process's peak resident size
(`getrusage(RUSAGE_SELF).ru_maxrss`, before and after the first, untraced build), which
counts qpdf's and WeasyPrint's native memory too; `python_peak_mb` is tracemalloc's peak of
Python's own allocations during a second build. The target holds the RSS figure.
"""

import io
import os
import resource
import statistics
import time
import tracemalloc
from datetime import date

import pikepdf
import pytest
import weasyprint
from pypdf import PdfReader

from agendas import pdfs, services
from agendas.models import PackStatus
from permanence.jobs.models import JobState
from permanence.jobs.services import job_run
from permanence.roles import Role
from tests.agendas.test_packs import FORM, RECORD, SUMMARY, store
from tests.bench.report import report_and_hold
from tests.factories import AgendaPackFactory, TeamFactory, UserFactory, book_into_slot

FULL = os.environ.get("BENCH") == "full"
CHILDREN = 20 if FULL else 3
PAGES = 10 if FULL else 2
TARGETS = {"pack_seconds": 10.0, "rss_delta_mb": 500, "agenda_seconds": 1.0}

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def report(pages: int, title: str) -> bytes:
    """A PDF of so many pages of a report's text, different bytes for each document."""
    paragraph = (
        "<p>" + "Synthetic report text about the child's plan, placement and progress. " * 6
    ) + "</p>"
    body = "".join(
        f"<h1 style='break-before: page'>{title}, page {n}</h1>{paragraph * 4}"
        for n in range(1, pages + 1)
    )
    return weasyprint.HTML(string=body).write_pdf()


def one_of(template: bytes, title: str) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(template)) as pdf:
        pdf.docinfo["/Title"] = title
        pdf.save(out)
    return out.getvalue()


def test_pack_at_scale():
    panel = services.panel_preset_load(slug="lancashire").panel
    meeting = services.meetings_schedule(
        panel=panel, start=date(2027, 1, 1), end=date(2027, 1, 31)
    ).created[0]
    worker = UserFactory(roles=[Role.SOCIAL_WORKER], team=TeamFactory(name="Bench"))
    template = report(PAGES, "Report")
    assert len(PdfReader(io.BytesIO(template)).pages) == PAGES
    for number in range(CHILDREN):
        booking = book_into_slot(meeting, f"Child{number:02d} Bench", number, worker)
        for requirement in (FORM, SUMMARY, RECORD):
            store(booking, requirement, "report.pdf", one_of(template, f"{requirement} {number}"))

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pack = AgendaPackFactory(meeting=meeting, job__state=JobState.QUEUED)
    start = time.perf_counter()
    job_run(pack.job_id)
    pack_seconds = time.perf_counter() - start
    rss_delta_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024

    pack.refresh_from_db()
    assert pack.status == PackStatus.READY, pack.error
    assert pack.documents_done == pack.documents_total == 1 + CHILDREN * (2 + 3)
    with pack.file.open("rb") as file:
        reader = PdfReader(file)
        pages = len(reader.pages)
        assert len([item for item in reader.outline if not isinstance(item, list)]) == (
            1 + CHILDREN
        )
    assert pages >= CHILDREN * 3 * PAGES + 1 + 2 * CHILDREN
    pack_mb = pack.file.size / 2**20

    # Built again, traced (the first pack's file goes once this one is ready).
    traced = AgendaPackFactory(meeting=meeting, job__state=JobState.QUEUED)
    tracemalloc.start()
    job_run(traced.job_id)
    python_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    agenda_seconds = statistics.median(_timed(lambda: pdfs.agenda_pdf(meeting)) for _ in range(3))

    results = {
        "children": CHILDREN,
        "pages": pages,
        "pack_seconds": round(pack_seconds, 2),
        "rss_delta_mb": round(rss_delta_mb, 1),
        "python_peak_mb": round(python_peak_mb, 1),
        "pack_mb": round(pack_mb, 1),
        "agenda_seconds": round(agenda_seconds, 2),
    }
    if not FULL:
        return
    report_and_hold("pack", results, TARGETS)


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
