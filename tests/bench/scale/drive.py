"""The measurements at one size, from this process against the gunicorn it started: each
page alone (sequential requests), the floors beneath them, wrk's throughput with twenty
users, and the bulk work (exports, the daily scan, an import)."""

import json
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError

import psycopg

from . import serve

HERE = Path(__file__).resolve().parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "30"))
# A slow page stops after this long (with at least MIN_REQUESTS), so the run ends today.
PAGE_SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "60"))
MIN_REQUESTS = 5
WRK_CONNECTIONS = 20
FLAG = "proceedings_over_26_weeks"


@dataclass
class Page:
    name: str
    role: str
    path: str


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summary(timings: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "requests": len(timings),
    }


class Browser:
    """Requests as a signed-in person behind the council's TLS proxy."""

    def __init__(self, server: serve.Server, session_key: str):
        self.server = server
        self.headers = {"Cookie": f"sessionid={session_key}", "X-Forwarded-Proto": "https"}

    def get(self, path: str, sink=None) -> bytes:
        request = urllib.request.Request(self.server.url(path), headers=self.headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
                if response.status != 200 or response.url != self.server.url(path):
                    raise RuntimeError(f"{path}: {response.status} at {response.url}")
                if sink is None:
                    return response.read()
                while chunk := response.read(1 << 16):
                    sink(chunk)
                return b""
        except HTTPError as error:
            raise RuntimeError(f"{path}: {error.code}") from error

    def timed(self, path: str, times: int = REQUESTS) -> list[float]:
        self.get(path)  # warm the worker's caches and connection
        timings = []
        began = time.perf_counter()
        for _ in range(times):
            start = time.perf_counter()
            self.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            if len(timings) >= MIN_REQUESTS and time.perf_counter() - began > PAGE_SECONDS:
                break
        return timings


def pages(children: int) -> tuple[list[Page], dict]:
    """The measured pages, with the people who see them and the rows they show."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from agendas.models import Booking, Meeting
    from minutes.models import PanelAction
    from permanence.models import User
    from permanence.roles import Role
    from tracker.models import Child

    from .generate import AS_OF

    def first(role):
        return User.objects.filter(groups__name=role).order_by("pk").first()

    people = {
        "administrator": first(Role.ADMINISTRATOR),
        "senior manager": first(Role.SENIOR_MANAGER),
        "social worker": User.objects.get(
            pk=PanelAction.objects.order_by("owner_id").values_list("owner_id", flat=True)[0]
        ),
    }
    held = (
        Meeting.objects.filter(date__lt=AS_OF, status="scheduled")
        .annotate(booked=Count("bookings", filter=Q(bookings__status="booked")))
        .order_by("-booked", "-date")
        .select_related("panel")
        .first()
    )
    upcoming = (
        Meeting.objects.filter(date__gte=AS_OF, status="scheduled", panel=held.panel)
        .order_by("date")
        .first()
    )
    people["chair"] = held.panel.chair
    # A busy child: the most bookings, so the most decisions and actions.
    busy = (
        Booking.objects.values("child_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "child_id")
        .values_list("child_id", flat=True)[0]
    )
    child = Child.objects.get(pk=busy)
    tracker = reverse("tracker:list")
    last_page = max(1, -(-Child.objects.count() // 25))
    as_of = f"as_of={AS_OF.isoformat()}"
    measured = [
        Page(
            "tracker: flag + date sort",
            "senior manager",
            f"{tracker}?flag={FLAG}&sort=-proceedings_deadline&{as_of}",
        ),
        Page("tracker: page 1", "senior manager", f"{tracker}?{as_of}"),
        Page(
            "tracker: page 100", "senior manager", f"{tracker}?page={min(100, last_page)}&{as_of}"
        ),
        Page("tracker: name search", "senior manager", f"{tracker}?q=Scale123&{as_of}"),
        Page("bookings (administrator)", "administrator", reverse("bookings:list")),
        Page("outbox", "administrator", reverse("outbox")),
        Page(
            "waiting list",
            "administrator",
            reverse("agendas:waiting-list", kwargs={"slug": held.panel.slug}),
        ),
        Page("audit list", "administrator", reverse("audit:search")),
        Page("child page", "senior manager", reverse("tracker:child", args=[child.pk])),
        Page(
            "meeting",
            "administrator",
            reverse("agendas:meeting", kwargs={"slug": held.panel.slug, "pk": held.pk}),
        ),
        Page(
            "running order",
            "chair",
            reverse("decisions:running-order", kwargs={"slug": held.panel.slug, "pk": held.pk}),
        ),
        Page(
            "agenda",
            "administrator",
            reverse("agendas:agenda", kwargs={"slug": upcoming.panel.slug, "pk": upcoming.pk}),
        ),
        Page("My tasks (social worker)", "social worker", reverse("minutes:my-tasks")),
        Page("My tasks (administrator)", "administrator", reverse("minutes:my-tasks")),
    ]
    trivial = Page("floor: signed-in page (account)", "senior manager", reverse("account"))
    return measured, {"people": people, "trivial": trivial, "tracker_sql_page": measured[0]}


def sessions(people: dict) -> dict[str, str]:
    return {role: serve.session_for(user) for role, user in people.items()}


def tracker_sql(page: Page, user) -> tuple[str, list]:
    """The SQL the tracker's page query runs for these rows, as Django sends it."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https", SERVER_NAME="127.0.0.1")
    client.cookies["sessionid"] = serve.session_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path, secure=True)
    assert response.status_code == 200, response.status_code
    rows = [
        query["sql"]
        for query in captured
        if 'FROM "tracker_child"' in query["sql"] and "LIMIT 25" in query["sql"]
    ]
    if not rows:
        raise RuntimeError("no page query for the tracker's rows found")
    return rows[0]


def sql_timings(url: str, sql: str, times: int = REQUESTS) -> list[float]:
    timings = []
    with psycopg.connect(url) as db:
        db.execute(sql).fetchall()
        for _ in range(times):
            start = time.perf_counter()
            db.execute(sql).fetchall()
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def single_user(children: int, server: serve.Server) -> dict:
    measured, extra = pages(children)
    keys = sessions(extra["people"])
    results = {}
    for page in [*measured, extra["trivial"]]:
        try:
            results[page.name] = summary(Browser(server, keys[page.role]).timed(page.path))
        except (RuntimeError, OSError) as error:  # a worker timed out, say: reported
            results[page.name] = {"failed": str(error)}
        print(f"    {page.name}: {results[page.name]}", flush=True)
    sql = tracker_sql(extra["tracker_sql_page"], extra["people"]["senior manager"])
    url = serve.database_url(serve.database_name(children))
    results["floor: tracker rows by bare SQL"] = summary(sql_timings(url, sql))
    return {"pages": results, "paths": {page.name: page.path for page in measured}}


def wrk_mix(children: int) -> Path:
    """A Lua table for wrk: the page mix, and a session per connection for every role."""
    measured, extra = pages(children)
    lines = ["return {", "  pages = {"]
    lines += [
        f"    {{role = {json.dumps(p.role)}, path = {json.dumps(p.path)}}}," for p in measured
    ]
    lines += ["  },", "  sessions = {"]
    for _ in range(WRK_CONNECTIONS):
        keys = sessions(extra["people"])
        each = ", ".join(f"[{json.dumps(role)}] = {json.dumps(key)}" for role, key in keys.items())
        lines.append(f"    {{{each}}},")
    lines += ["  },", "}"]
    path = serve.VAR / f"wrk-mix-{children}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


def throughput(children: int, server: serve.Server, mix: Path) -> dict:
    """Twenty people at once for WRK_SECONDS, each on their own connection (a wrk thread
    each, so each has its own sessions), going round the page mix."""
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    run = subprocess.run(  # noqa: S603 - wrk, our own arguments
        [  # noqa: S607 - wrk from the PATH, found above
            "wrk",
            "-t",
            str(WRK_CONNECTIONS),
            "-c",
            str(WRK_CONNECTIONS),
            "-d",
            f"{WRK_SECONDS}s",
            "--timeout",
            "30s",
            "-s",
            str(HERE / "mix.lua"),
            server.url("/"),
        ],
        env={**os.environ, "BENCH_MIX": str(mix)},
        capture_output=True,
        text=True,
        check=True,
    )
    line = [row for row in run.stdout.splitlines() if row.startswith("{")][-1]
    return json.loads(line)


def export(browser: Browser, path: str, keep: Path) -> dict:
    """The download, written to `keep` as it arrives (the import reads it after)."""
    size = 0
    with keep.open("wb") as out:

        def sink(chunk):
            nonlocal size
            size += len(chunk)
            out.write(chunk)

        start = time.perf_counter()
        browser.get(path, sink)
        seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "mb": round(size / 2**20, 1)}


def exports(children: int) -> dict:
    """Each export on a freshly started single worker, whose peak resident memory (VmHWM)
    is read before and after: the request's own cost is the difference."""
    from django.urls import reverse

    from permanence.models import User
    from permanence.roles import Role

    user = User.objects.filter(groups__name=Role.SENIOR_MANAGER).order_by("pk").first()
    tracker = reverse("tracker:list")
    out = {}
    for name, path in (
        ("csv", f"{tracker}?status=all&export=csv"),
        ("xlsx", f"{tracker}?status=all&export=xlsx"),
    ):
        with serve.Server(children, ("--workers", "1", "--timeout", "600")) as server:
            browser = Browser(server, serve.session_for(user))
            browser.get(reverse("account"))  # the worker, signed in, before the export
            (worker,) = server.workers()
            before = serve.peak_rss_mb(worker)
            try:
                result = export(browser, path, serve.VAR / f"export-{children}.{name}")
            except RuntimeError as error:
                out[name] = {"failed": str(error)}
                continue
            peak = serve.peak_rss_mb(worker)
            out[name] = {
                **result,
                "worker_peak_mb": round(peak, 1),
                "rise_mb": round(peak - before, 1),
            }
        print(f"    export {name}: {out[name]}", flush=True)
    return out


SCAN = textwrap.dedent(
    """
    import json, time
    import django
    django.setup()
    from django.db import transaction
    from permanence import tasks

    class Undo(Exception):
        pass

    # Rolled back, so every run times the first scan of a day on the same data (the
    # emails' Celery hand-offs, queued on commit, are left out with it).
    timings = []
    try:
        with transaction.atomic():
            for _ in range(2):
                start = time.perf_counter()
                tasks.scan()
                timings.append(time.perf_counter() - start)
            raise Undo
    except Undo:
        pass
    first, repeat = (round(seconds, 2) for seconds in timings)
    print(json.dumps({"first_seconds": first, "repeat_seconds": repeat}))
    """
)

IMPORT = textwrap.dedent(
    """
    import json, sys, time
    import django
    django.setup()
    from django.db import transaction
    from permanence.jobs.models import Job
    from permanence.jobs.services import job_run, job_start
    from permanence.models import User
    from permanence.roles import Role
    from tracker.selectors import IMPORT_CHILDREN

    class Undo(Exception):
        pass

    data = open(sys.argv[1], "rb").read()
    by = User.objects.filter(groups__name=Role.ADMINISTRATOR).order_by("pk").first()
    # Rolled back, so the kept database stays as generated. The job runs here as the
    # worker runs it (permanence.tasks.run_job calls job_run); its start is not enqueued.
    try:
        with transaction.atomic():
            job = job_start(kind=IMPORT_CHILDREN, by=by, files=[("children.csv", data)])
            start = time.perf_counter()
            job_run(job.pk)
            seconds = time.perf_counter() - start
            job = Job.objects.get(pk=job.pk)
            result = {"seconds": round(seconds, 2), "state": job.state,
                      "summary": (job.result or {}).get("summary", job.error)}
            raise Undo
    except Undo:
        pass
    print(json.dumps(result))
    """
)


def _python(children: int, script: str, *args: str) -> dict:
    run = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        [sys.executable, "-c", script, *args],
        cwd=serve.BASE_DIR,
        env=serve.environment(children),
        capture_output=True,
        text=True,
    )
    if run.returncode:
        return {"failed": run.stderr.strip().splitlines()[-1] if run.stderr else "exit"}
    return json.loads(run.stdout.strip().splitlines()[-1])


def import_file(children: int) -> Path:
    """Every child as the CSV export wrote them, under new case numbers (S000001 becomes
    I000001): an import that creates as many children as the database holds."""
    lines = (serve.VAR / f"export-{children}.csv").read_bytes().split(b"\n")
    path = serve.VAR / f"import-{children}.csv"
    # Column one is the case number (tracker/importer/columns.py).
    renamed = [b"I" + line[1:] if line else line for line in lines[1:]]
    path.write_bytes(b"\n".join([lines[0], *renamed]))
    return path


def bulk(children: int) -> dict:
    out = exports(children)
    out["scan"] = _python(children, SCAN)
    print(f"    scan: {out['scan']}", flush=True)
    out["import"] = {"rows": children, **_python(children, IMPORT, str(import_file(children)))}
    print(f"    import: {out['import']}", flush=True)
    return out
