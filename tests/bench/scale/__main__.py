"""`make bench`'s scale run: `python -m tests.bench.scale [--sizes 1000,10000,50000]`.

For each size it keeps a PostgreSQL database (generated again only when the generator's
version changes, migrated every time), serves it with gunicorn as production does, and
measures pages alone, twenty users at once and the bulk work. Then one table, and
var/bench/scale.json. Each size runs in its own process, on its own database.

`--workers` compares gunicorn's worker settings by throughput instead (at one size).
"""

import argparse
import json
import os
import subprocess
import sys
import time

from . import report, serve

# gunicorn's settings compared for the Dockerfile: sync workers against threads.
WORKER_CHOICES = {
    "3 sync": ("--workers", "3"),
    "2x4 gthread": ("--workers", "2", "--worker-class", "gthread", "--threads", "4"),
    "3x4 gthread": ("--workers", "3", "--worker-class", "gthread", "--threads", "4"),
    "4x2 gthread": ("--workers", "4", "--worker-class", "gthread", "--threads", "2"),
}


def prepare(children: int) -> dict:
    """The size's database, ready: migrated, generated if it is not this version's."""
    _django(children)
    from . import generate

    ready = serve.database_ready(children, generate.VERSION)
    serve.manage(children, "migrate", "--no-input")
    info = {"generated_seconds": None}
    if not ready:
        print(f"  generating {children} children (version {generate.VERSION})", flush=True)
        start = time.perf_counter()
        generate.generate(children)
        info["generated_seconds"] = round(time.perf_counter() - start, 1)
        serve.database_mark(children, generate.VERSION)
    info["counts"] = generate.counts()
    return info


def _django(children: int) -> None:
    import django

    os.environ.update(serve.environment(children))
    django.setup()


def one_size(children: int, workers: bool) -> dict:
    from . import drive

    print(f"\n{children} children", flush=True)
    result = prepare(children)
    mix = drive.wrk_mix(children)
    if workers:
        result["workers"] = {}
        for name, options in WORKER_CHOICES.items():
            with serve.Server(children, options) as server:
                result["workers"][name] = drive.throughput(children, server, mix)
            print(f"  {name}: {result['workers'][name]}", flush=True)
        return result
    with serve.Server(children) as server:
        print("  pages, one person at a time", flush=True)
        result.update(drive.single_user(children, server))
        result["throughput"] = drive.throughput(children, server, mix)
        print(f"  twenty people at once: {result['throughput']}", flush=True)
    print("  bulk work", flush=True)
    result["bulk"] = drive.bulk(children)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.scale")
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--out", default=str(serve.VAR / "scale.json"))
    parser.add_argument("--workers", action="store_true", help="compare gunicorn's workers")
    parser.add_argument("--report", metavar="JSON", help="print the table of a saved run")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.report:
        with open(args.report) as saved:
            print(report.table(json.load(saved)))
        return
    if not serve.database_url("postgres").startswith(("postgres://", "postgresql://")):
        parser.exit(
            2, "The scale run needs PostgreSQL: set DATABASE_URL (or BENCH_DATABASE_URL).\n"
        )
    serve.VAR.mkdir(parents=True, exist_ok=True)
    if args.one_size:
        result = one_size(args.one_size, args.workers)
        with open(args.out, "w") as out:
            json.dump(result, out)
        return

    serve.manage(int(args.sizes.split(",")[0]), "collectstatic", "--no-input")
    results = {"machine": report.machine(), "sizes": {}}
    for size in (int(size) for size in args.sizes.split(",")):
        part = serve.VAR / f"scale-{size}.json"
        command = [sys.executable, "-m", "tests.bench.scale", "--one-size", str(size)]
        command += ["--out", str(part)]
        if args.workers:
            command.append("--workers")
        subprocess.run(command, cwd=serve.BASE_DIR, check=True)  # noqa: S603 - this module
        results["sizes"][str(size)] = json.loads(part.read_text())
    with open(args.out, "w") as out:
        json.dump(results, out, indent=2)
    print()
    print(report.workers_table(results) if args.workers else report.table(results))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
