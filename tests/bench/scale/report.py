"""The scale run's one table, as the issue's: a row a page, a column a size."""

import os
import platform
from datetime import UTC, datetime

import psycopg

from . import serve

REQUESTS = 30  # as drive.py asks for each page; a cell with fewer says so
FLOORS = ("floor: tracker rows by bare SQL", "floor: signed-in page (account)")


def machine() -> dict:
    with open("/proc/meminfo") as meminfo:
        memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    with psycopg.connect(serve.database_url("postgres")) as db:
        postgres = db.execute("SHOW server_version").fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "ram_gb": round(memory_kb / 2**20, 1),
        "postgresql": f"PostgreSQL {postgres}",
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_at_start": os.getloadavg(),
    }


def _cell(page: dict | None) -> str:
    if not page:
        return "-"
    if "failed" in page:
        return "failed"
    fewer = f" n={page['requests']}" if page["requests"] < REQUESTS else ""
    return f"{page['median_ms']:.0f} ({page['p95_ms']:.0f}){fewer}"


def _growth(pages: dict, name: str, smaller: str, larger: str) -> str:
    try:
        return f"{pages[larger][name]['median_ms'] / pages[smaller][name]['median_ms']:.2f}x"
    except (KeyError, TypeError, ZeroDivisionError):
        return "-"


def table(results: dict) -> str:
    sizes = list(results["sizes"])
    pages = {size: results["sizes"][size].get("pages", {}) for size in sizes}
    names = list(dict.fromkeys(name for size in sizes for name in pages[size]))
    largest, smallest = sizes[-1], sizes[0]
    floor = pages[largest].get(FLOORS[1], {}).get("median_ms")
    header = [
        "page",
        *(f"{int(size):,} median (p95) ms" for size in sizes),
        *([f"growth {int(sizes[-2]):,}→{int(largest):,}"] if len(sizes) > 2 else []),
        *([f"growth {int(smallest):,}→{int(largest):,}"] if len(sizes) > 1 else []),
        f"x floor at {int(largest):,}",
    ]
    rows = [header]
    for name in names:
        at_largest = pages[largest].get(name)
        rows.append(
            [
                name,
                *(_cell(pages[size].get(name)) for size in sizes),
                *([_growth(pages, name, sizes[-2], largest)] if len(sizes) > 2 else []),
                *([_growth(pages, name, smallest, largest)] if len(sizes) > 1 else []),
                f"{at_largest['median_ms'] / floor:.1f}"
                if at_largest and "median_ms" in at_largest and floor
                else "-",
            ]
        )
    widths = [max(len(row[n]) for row in rows) for n in range(len(header))]
    lines = [
        " | ".join(
            cell.ljust(width) if n == 0 else cell.rjust(width)
            for n, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-|-".join("-" * width for width in widths))
    lines += ["", "Twenty people at once (wrk, 20 connections, the page mix):"]
    for size in sizes:
        run = results["sizes"][size].get("throughput")
        lines.append(f"  {int(size):>6,} children: {_throughput(run)}")
    lines += ["", "Bulk work:"]
    for size in sizes:
        lines.append(f"  {int(size):>6,} children: {_bulk(results['sizes'][size].get('bulk', {}))}")
    met = targets(results)
    if met:
        lines += ["", "Issue 17's targets:", *met]
    m = results["machine"]
    lines += [
        "",
        f"Machine: {m['cpus']} CPUs, {m['ram_gb']} GB RAM, {m['postgresql']}, {m['date']}, "
        f"load average at start {', '.join(f'{load:.1f}' for load in m['load_average_at_start'])}.",
    ]
    return "\n".join(lines)


LIST_PAGES = (
    "tracker: flag + date sort",
    "tracker: page 1",
    "tracker: page 100",
    "tracker: name search",
    "bookings (administrator)",
    "outbox",
    "waiting list",
    "audit list",
)


def targets(results: dict) -> list[str]:
    """Issue 17's targets, each met or not, where the run has the sizes they name."""
    sizes = results["sizes"]
    lines = []

    def held(ok: bool, text: str) -> None:
        lines.append(f"  [{'met' if ok else 'NOT met'}] {text}")

    def page(size: str, name: str) -> dict:
        return sizes.get(size, {}).get("pages", {}).get(name) or {}

    if "1000" in sizes and "50000" in sizes:
        for name in LIST_PAGES:
            small, large = page("1000", name), page("50000", name)
            if "median_ms" in small and "median_ms" in large:
                growth = large["median_ms"] / small["median_ms"]
                held(growth <= 2, f"{name}: 50k within 2x of 1k ({growth:.2f}x)")
    if "50000" in sizes:
        for name in LIST_PAGES[:4]:
            p95 = page("50000", name).get("p95_ms")
            if p95 is not None:
                held(p95 < 150, f"{name}: p95 under 150 ms at 50k ({p95:.0f} ms)")
    for size, least in (("10000", 100), ("50000", 60)):
        run = sizes.get(size, {}).get("throughput") or {}
        if "requests_per_second" in run:
            rate, p95 = run["requests_per_second"], run["p95_ms"]
            held(rate >= least, f"twenty people at {size}: {least} req/s or more ({rate:.1f})")
            held(p95 < 500, f"twenty people at {size}: p95 under 500 ms ({p95:.0f} ms)")
    bulk = sizes.get("50000", {}).get("bulk", {})
    if "worker_peak_mb" in bulk.get("csv", {}):
        peak = bulk["csv"]["worker_peak_mb"]
        held(peak < 200, f"CSV export at 50k: worker peak under 200 MB ({peak} MB)")
    if "first_seconds" in bulk.get("scan", {}):
        first = bulk["scan"]["first_seconds"]
        held(first < 5, f"daily scan at 50k: under 5 s ({first} s)")
    if "seconds" in bulk.get("import", {}):
        job = bulk["import"]
        ok = job["seconds"] < 60 and job["state"] == "succeeded"
        held(ok, f"import of 50k rows: under 60 s ({job['seconds']} s, {job['state']})")
    return lines


def _throughput(run: dict | None) -> str:
    if not run:
        return "-"
    if "skipped" in run:
        return run["skipped"]
    return (
        f"{run['requests_per_second']:.1f} req/s, median {run['median_ms']:.0f} ms, "
        f"p95 {run['p95_ms']:.0f} ms, {run['non_200']} not 200, "
        f"{run['socket_errors']} socket errors"
    )


def _bulk(bulk: dict) -> str:
    parts = []
    for name in ("csv", "xlsx"):
        export = bulk.get(name)
        if export and "failed" in export:
            parts.append(f"{name.upper()} failed ({export['failed']})")
        elif export:
            parts.append(
                f"{name.upper()} {export['seconds']} s, {export['mb']} MB, worker peak "
                f"{export['worker_peak_mb']} MB (+{export['rise_mb']} MB)"
            )
    scan = bulk.get("scan")
    if scan and "failed" not in scan:
        parts.append(f"scan {scan['first_seconds']} s first, {scan['repeat_seconds']} s repeat")
    elif scan:
        parts.append(f"scan failed ({scan['failed']})")
    job = bulk.get("import")
    if job and "seconds" in job:
        parts.append(f"import of {job['rows']:,} rows {job['seconds']} s ({job['state']})")
    elif job:
        parts.append(f"import failed ({job.get('failed')})")
    return "; ".join(parts) or "-"


def workers_table(results: dict) -> str:
    lines = []
    for size, result in results["sizes"].items():
        lines.append(f"gunicorn workers at {int(size):,} children (wrk, 20 connections, page mix):")
        for name, run in result.get("workers", {}).items():
            lines.append(f"  {name:<12} {_throughput(run)}")
    return "\n".join(lines)
