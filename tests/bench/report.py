"""What every benchmark does with its figures at full size: writes them to
var/bench/NAME.json, prints them as a table, and holds each to its target."""

import json
from pathlib import Path

from django.conf import settings


def report_and_hold(name: str, results: dict, targets: dict) -> None:
    out = Path(settings.BASE_DIR) / "var" / "bench" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    width = max(map(len, results)) + 2
    print("\n" + "\n".join(f"{key:<{width}}{value:>10}" for key, value in results.items()))
    print(f"written to {out}")
    for key, limit in targets.items():
        assert results[key] < limit, f"{key} {results[key]} is over the target {limit}"
