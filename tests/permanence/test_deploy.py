"""`manage.py check --deploy` (issue 14): with production's environment it finds nothing,
and the HTTPS settings come from the environment, on unless DEBUG (which `make run` sets).

Each runs the real settings module in a new process with only the environment it gives, as
the container does: settings are read once, at import."""

import json
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "panel.council.example",
}


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what is given: not the tests' DATABASE_URL or REDIS_URL, nor a developer's .env
    # (read_env never overrides what the environment already says).
    return subprocess.run(  # noqa: S603 - this interpreter, on our own manage.py
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "permanence.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def https_settings(env: dict[str, str]) -> dict:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({name: getattr(s, name) for name in ("
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE')}))"
    )
    result = run("-c", script, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_with_productions_environment_finds_nothing():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_check_deploy_warns_when_the_environment_turns_https_off():
    """The test above can fail: what the environment turns off, the check reports."""
    env = PRODUCTION | {"SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0"}
    result = run("manage.py", "check", "--deploy", env=env)
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


def test_https_is_on_unless_debug_and_each_setting_comes_from_the_environment():
    production = https_settings(PRODUCTION)
    assert production == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }
    # `make run`: plain http://127.0.0.1:8000 keeps working.
    make_run = https_settings({"DEBUG": "true"})
    assert make_run["SECURE_SSL_REDIRECT"] is False
    assert make_run["SECURE_HSTS_SECONDS"] == 0
    assert make_run["SECURE_PROXY_SSL_HEADER"] is None
    # A council trying the containers on http://localhost, or with its own proxy's rules.
    tried = https_settings(
        PRODUCTION
        | {
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "3600",
            "SECURE_PROXY_SSL_HEADER": "false",
        }
    )
    assert tried["SECURE_SSL_REDIRECT"] is False
    assert tried["SECURE_HSTS_SECONDS"] == 3600
    assert tried["SECURE_PROXY_SSL_HEADER"] is None
