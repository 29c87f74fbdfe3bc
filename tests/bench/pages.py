"""Timing pages through a real server (Django's live server thread), as the benchmarks do:
the test client instruments every template render, which would be measured too."""

import statistics
import time
from urllib.parse import urlencode
from urllib.request import OpenerDirector, build_opener


def opener_for(client, user) -> OpenerDirector:
    """A browser-like opener signed in as the user."""
    client.force_login(user)
    opener = build_opener()
    opener.addheaders = [("Cookie", f"sessionid={client.cookies['sessionid'].value}")]
    return opener


def fetch(opener, url: str, params: dict) -> bytes:
    with opener.open(f"{url}?{urlencode(params)}") as response:
        assert response.status == 200
        return response.read()


def timed_ms(opener, url: str, params: dict, times: int) -> list[float]:
    timings = []
    for _ in range(times):
        start = time.perf_counter()
        fetch(opener, url, params)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]
