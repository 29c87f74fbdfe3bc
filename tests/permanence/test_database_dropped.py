"""A PostgreSQL connection dropped under the service (issue 14): a database restart, a
failover or an idle timeout ends the connection a web process keeps between requests
(CONN_MAX_AGE). The next request must not fail on it: CONN_HEALTH_CHECKS tries the kept
connection first and opens a new one.

The requests go through Django's WSGI handler, as gunicorn calls it, in this thread, so they
share one kept connection as a gunicorn worker's requests do (the test client skips the
handler's connection housekeeping)."""

import json
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def health() -> dict:
    """GET /health/, which reports the database as "ok" or the error it met (a 503)."""
    environ = {"PATH_INFO": "/health/", "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers):
        answer["status"] = status

    response = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()  # request_finished, as the WSGI server sends it
    return {"status": answer["status"][:3], **json.loads(body)}


def drop_the_kept_connection() -> None:
    """End this process's connection from outside, as a database restart does."""
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]


def test_the_request_after_the_connection_is_dropped_succeeds():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert health()["status"] == "200"
    kept = connection.connection
    assert kept is not None  # kept between requests

    drop_the_kept_connection()

    after = health()
    assert (after["status"], after["database"]) == ("200", "ok")
    assert connection.connection is not kept  # a new connection, opened for the request


def test_without_health_checks_the_next_request_meets_the_dead_connection(monkeypatch):
    """What the setting prevents: the test above can fail."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    connection.close()
    assert health()["database"] == "ok"

    drop_the_kept_connection()

    after = health()
    assert after["status"] == "503"
    assert after["database"].startswith("error")
    connection.close()
