"""Each size's kept database, and the service on it as production runs it: gunicorn with
DEBUG off, from its own process, signed-in sessions made directly."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parents[3]
VAR = BASE_DIR / "var" / "bench"
STATIC_ROOT = VAR / "static"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
MARK = "permanence scale bench"
# Production's web command (the Dockerfile's CMD): the workers as measured for it.
WORKERS = ("--workers", "3")


def database_url(name: str) -> str:
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(children: int) -> str:
    size = f"{children // 1000}k" if children >= 1000 and children % 1000 == 0 else str(children)
    return f"permanence_bench_{size}"


def mark(children: int, version: int) -> str:
    return f"{MARK}: version {version}, {children} children"


def _admin_connection(children: int):
    return psycopg.connect(database_url("postgres"), autocommit=True)


def database_ready(children: int, version: int) -> bool:
    """True when the size's database holds this generator version's data; otherwise it is
    made again, empty, for generating."""
    name = database_name(children)
    with _admin_connection(children) as db:
        row = db.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row is not None and row[0] == mark(children, version):
            return True
        if row is not None:
            db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    return False


def database_mark(children: int, version: int) -> None:
    with _admin_connection(children) as db:
        db.execute(
            f"COMMENT ON DATABASE \"{database_name(children)}\" IS '{mark(children, version)}'"
        )


def environment(children: int) -> dict:
    """Production's settings from the environment, on the size's database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="permanence.settings",
        DEBUG="false",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url(database_name(children)),
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        STATIC_ROOT=str(STATIC_ROOT),
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def manage(children: int, *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment(children),
        check=True,
        stdout=subprocess.DEVNULL,
    )


class Server:
    """gunicorn serving the size's database; `url(path)` reaches it."""

    def __init__(self, children: int, options: tuple[str, ...] = WORKERS):
        self.children = children
        self.options = options
        self.process = None

    def __enter__(self):
        log = (VAR / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [
                sys.executable,
                "-m",
                "gunicorn",
                "permanence.wsgi:application",
                "--bind",
                f"127.0.0.1:{PORT}",
                # Its default control socket is one path for every gunicorn on the machine.
                "--no-control-socket",
                *self.options,
            ],
            cwd=BASE_DIR,
            env=environment(self.children),
            stdout=log,
            stderr=log,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/health/"), timeout=30).close()  # noqa: S310
                return self
            except HTTPError:
                return self  # answering, if not healthy without the worker
            except (URLError, TimeoutError, ConnectionError):
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn did not start: see var/bench/gunicorn.log")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{PORT}{path}"

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def session_for(user) -> str:
    """A session key for the user, signed in as the sign-in page would leave it: with a
    second factor verified, as django_otp's login records, for the roles that need one."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from permanence.signin.rules import stamp_sign_in, two_factor_required

    class Request:  # what stamp_sign_in reads
        pass

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if two_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request = Request()
    request.session = session
    stamp_sign_in(request)
    session.create()
    return session.session_key
