"""What the load and fault tests share: a gunicorn server on the test database, a small
HTTP client that behaves like one candidate's browser, and the page parsing it needs.

The servers run the production settings (``tests.load.settings``: DEBUG off, production
middleware) in their own processes on free loopback ports, against the test database that
pytest-django created; a ``django_db(transaction=True)`` test commits what it creates,
so the servers see it. The client is the standard library (``http.client``, one
keep-alive connection per server and thread), fast enough not to be the bottleneck.
"""

import contextlib
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import connection as database

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"
# No request may take longer than this; a hang is a failure, not a wait. Generous, so
# that a busy machine slows the tests down without failing them.
REQUEST_TIMEOUT = 60

needs_postgres = pytest.mark.skipif(
    database.vendor != "postgresql",
    reason="needs PostgreSQL: several server processes share one database (run with "
    "DATABASE_URL=postgres://…, as `make test-pg` and CI do)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def current_database_url() -> str:
    """A DATABASE_URL for the database this test run uses (pytest-django's test database)."""
    from django.db import connection

    config = connection.settings_dict
    auth = quote(config["USER"] or "", safe="")
    if config["PASSWORD"]:
        auth += ":" + quote(config["PASSWORD"], safe="")
    host = quote(config["HOST"] or "/var/run/postgresql", safe="")
    port = config["PORT"] or "5432"
    return f"postgres://{auth}@{host}:{port}/{quote(config['NAME'], safe='')}"


class Server:
    """gunicorn (sync workers, production settings) on a loopback port, in its own
    process group so that a "crash" can take the master and its workers down at once."""

    def __init__(
        self,
        *,
        port: int | None = None,
        workers: int = 3,
        database_url: str | None = None,
        redis_url: str | None = None,
        env: dict[str, str] | None = None,
    ):
        self.port = port or free_port()
        self.workers = workers
        self.origin = f"http://{HOST}:{self.port}"
        handle, name = tempfile.mkstemp(prefix=f"gunicorn-{self.port}-", suffix=".log")
        os.close(handle)
        self.log_path = Path(name)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PGPASSWORD")
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="tests.load.settings",
            PYTHONPATH=str(ROOT),
            DEBUG="false",
            # The test's own key: the test reads the option tokens of the pages the server
            # renders (exams.tokens derives them from SECRET_KEY).
            SECRET_KEY=settings.SECRET_KEY,
            SECURE_SSL_REDIRECT="false",
            ALLOWED_HOSTS=HOST,
            DATABASE_URL=database_url or current_database_url(),
            LOG_LEVEL="WARNING",
        )
        # Several workers need the shared cache (gunicorn.conf.py refuses to start without it).
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.env.update(env or {})
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60) -> "Server":
        with open(self.log_path, "ab") as log:
            self.process = self._spawn(log)
        self.wait_healthy(timeout=timeout)
        return self

    def _spawn(self, log) -> subprocess.Popen:
        return subprocess.Popen(
            [
                str(GUNICORN),
                "quizapp.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--no-control-socket",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def healthz(self, *, timeout: float = 5) -> int:
        """The status of GET /healthz (200 or 503), or 0 when nothing answers."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request("GET", "/healthz")
            return connection.getresponse().status
        except OSError:
            return 0
        finally:
            connection.close()

    def wait_healthy(self, *, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_text()}")
            if self.healthz(timeout=2) == 200:
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn on port {self.port} not healthy after {timeout} s:\n{self.log_text()}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a crashed machine would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        """A graceful stop (SIGTERM), forced after a few seconds."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        self.process = None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def close(self) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)


# --- the PostgreSQL server ------------------------------------------------------------


def pg_cluster_command(action: str) -> list[str]:
    """``pg_ctlcluster`` for the local cluster (Debian's; CI runs as root, as here)."""
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions or not shutil.which("pg_ctlcluster"):
        raise AssertionError("pg_ctlcluster and /etc/postgresql are needed to restart PostgreSQL in this test")
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", action]


def pg_ready() -> bool:
    from django.db import connection

    config = connection.settings_dict
    command = ["pg_isready", "-q", "-h", config["HOST"] or "/var/run/postgresql", "-p", str(config["PORT"] or 5432)]
    return subprocess.run(command, check=False, timeout=10).returncode == 0


def pg_control(action: str, *, timeout: float = 60) -> None:
    """Stop or start the cluster; ``start`` waits until it accepts connections."""
    subprocess.run(pg_cluster_command(action), check=True, timeout=timeout, capture_output=True)
    if action in ("start", "restart"):
        deadline = time.monotonic() + timeout
        while not pg_ready():
            if time.monotonic() > deadline:
                raise AssertionError(f"PostgreSQL not ready {timeout} s after {action}")
            time.sleep(0.2)


def pg_ensure_running() -> None:
    """Leave PostgreSQL running whatever happened (the rest of the suite needs it)."""
    if not pg_ready():
        subprocess.run(pg_cluster_command("start"), check=False, timeout=60, capture_output=True)
        deadline = time.monotonic() + 60
        while not pg_ready() and time.monotonic() < deadline:
            time.sleep(0.2)


# --- the candidate's browser ----------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


class Stopped(Exception):
    """Another candidate failed: stop sending."""


class OverTime(Stopped):
    """The run is over its time limit: stop sending."""


class Browser:
    """One candidate's browser: its cookies (session, CSRF) and a keep-alive connection to
    each server it talks to. ``server`` picks which one a request goes to (two processes
    behind one address, as a load balancer would spread them).

    ``stop`` (an Event shared by all candidates) and ``deadline`` (time.monotonic) end a
    run early: once either fires, every further request raises Stopped.
    """

    def __init__(
        self,
        servers: list[Server],
        *,
        timeout: float = REQUEST_TIMEOUT,
        stop: threading.Event | None = None,
        deadline: float | None = None,
    ):
        self.servers = servers
        self.timeout = timeout
        self.stop = stop or threading.Event()
        self.deadline = deadline
        self.cookies: dict[str, str] = {}
        # Sent with every request, e.g. the X-Forwarded-For a load balancer would add.
        self.headers: dict[str, str] = {}
        self._connections: dict[int, http.client.HTTPConnection] = {}

    def _connection(self, server: Server) -> http.client.HTTPConnection:
        if server.port not in self._connections:
            self._connections[server.port] = http.client.HTTPConnection(HOST, server.port, timeout=self.timeout)
        return self._connections[server.port]

    def request(
        self,
        method: str,
        path: str,
        data: list[tuple[str, str]] | None = None,
        *,
        htmx_target: str | None = None,
        server: int = 0,
    ) -> Reply:
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.stop.set()
            raise OverTime("the run went over its time limit (a hang, or a machine far too busy)")
        if self.stop.is_set():
            raise Stopped("stopped because another candidate failed")
        target = self.servers[server]
        headers = {"Host": f"{HOST}:{target.port}", **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if method == "POST":
            body = urlencode(data or [])
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = target.origin
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx_target:
            headers["HX-Request"] = "true"
            headers["HX-Target"] = htmx_target
        connection = self._connection(target)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except Exception:
            connection.close()
            raise
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
        return Reply(response.status, {key.lower(): value for key, value in response.getheaders()}, text, seconds)

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: list[tuple[str, str]] | None = None, **kwargs) -> Reply:
        return self.request("POST", path, data, **kwargs)

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()


# --- reading the exam pages -----------------------------------------------------------


@dataclass
class QuestionPage:
    """What a candidate can answer on an exam question page: only the tokens the page offers
    (options are named by the attempt item's opaque tokens, exams.tokens, never by id)."""

    kind: str
    choices: list[str] = field(default_factory=list)
    select: int = 1
    order: list[str] = field(default_factory=list)
    prompts: dict[str, list[str]] = field(default_factory=dict)
    next_seq: int = 1
    remaining_ms: int = 0
    flagged: bool = False
    # The answer the page shows as given (checked, in order, selected); empty if none.
    shown: list[str] | dict[str, str] = field(default_factory=list)

    @classmethod
    def from_item(cls, item_id: int, snapshot: dict) -> "QuestionPage":
        """The same controls, worked out from an item's id and snapshot (the tokens its page offers)."""
        from exams.tokens import MATCH, ItemTokens

        ids = [row["id"] for row in snapshot["options"]]
        matches = [row["id"] for row in snapshot.get("matches") or []]
        tokens = ItemTokens(item_id, ids, matches)
        names = [tokens.token_for(pk) for pk in ids]
        kind = snapshot["type"]
        page = cls(kind=kind, select=snapshot.get("select") or 2)
        if kind in ("single", "multiple"):
            page.choices = names
        elif kind == "ordering":
            page.order = names
        else:
            page.prompts = {name: [tokens.token_for(pk, MATCH) for pk in matches] for name in names}
        return page

    def random_answer(self, rng: random.Random) -> tuple[list[tuple[str, str]], list[str] | dict[str, str]]:
        """Form fields for a random complete answer, and the answer as ``page_answer`` writes it."""
        if self.kind == "single":
            choice = rng.choice(self.choices)
            return [("choice", choice)], [choice]
        if self.kind == "multiple":
            chosen = sorted(rng.sample(self.choices, min(self.select, len(self.choices))))
            return [("choice", token) for token in chosen], chosen
        if self.kind == "ordering":
            order = rng.sample(self.order, len(self.order))
            return [("order", token) for token in order], order
        answer = {prompt: rng.choice(matches) for prompt, matches in self.prompts.items()}
        return [(f"match-{prompt}", match) for prompt, match in answer.items()], answer


def page_answer(item_id: int, snapshot: dict, answer) -> list[str] | dict[str, str]:
    """A stored answer (option ids) as the page names it: tokens (choices sorted)."""
    from exams.tokens import ItemTokens

    tokens = ItemTokens(
        item_id, [row["id"] for row in snapshot["options"]], [row["id"] for row in snapshot.get("matches") or []]
    )
    named = tokens.public_answer(answer)
    return sorted(named) if snapshot["type"] in ("single", "multiple") else named


def stored_answers(attempt) -> dict[int, tuple]:
    """The attempt's stored answers by position, as its pages name them, with their seq."""
    from exams.models import Response

    responses = Response.objects.filter(item__attempt=attempt).select_related("item__revision")
    return {
        response.item.position: (page_answer(response.item_id, response.item.snapshot, response.answer), response.seq)
        for response in responses
    }


_TOKEN = r"([a-z2-7]+)"
_CHOICE = re.compile(
    rf'<input type="(radio|checkbox)" name="choice" value="{_TOKEN}" id="choice-[a-z2-7]+"( checked)?>'
)
_ORDER = re.compile(rf'<input type="hidden" name="order" value="{_TOKEN}"')
_MATCH = re.compile(rf'<select id="match-{_TOKEN}" name="match-[a-z2-7]+">(.*?)</select>', re.S)
_MATCH_OPTION = re.compile(rf'<option value="{_TOKEN}"[^>]*?( selected)?>')
_SELECT = re.compile(r"Select (\d+) answers?\.")
_SEQ = re.compile(r'name="seq" value="(\d+)" data-seq')
_REMAINING = re.compile(r'data-remaining-ms="(\d+)"')
_FLAGGED = re.compile(r'id="flag-button"[^>]*aria-pressed="(true|false)"')


def parse_question(html: str) -> QuestionPage:
    seq, remaining = _SEQ.search(html), _REMAINING.search(html)
    if seq is None or remaining is None:
        raise AssertionError(f"not an exam question page:\n{html[:2000]}")
    page = QuestionPage(kind="", next_seq=int(seq.group(1)), remaining_ms=int(remaining.group(1)))
    flagged = _FLAGGED.search(html)
    page.flagged = bool(flagged and flagged.group(1) == "true")
    if choices := _CHOICE.findall(html):
        page.kind = "single" if choices[0][0] == "radio" else "multiple"
        page.choices = [token for _, token, _checked in choices]
        page.shown = sorted(token for _, token, checked in choices if checked)
        if select := _SELECT.search(html):
            page.select = int(select.group(1))
        elif page.kind == "multiple":
            page.select = 2
    elif order := _ORDER.findall(html):
        page.kind = "ordering"
        page.order = list(order)
        page.shown = page.order  # the saved order when there is one, else the display order
    elif prompts := _MATCH.findall(html):
        page.kind = "matching"
        page.shown = {}
        for prompt, body in prompts:
            options = _MATCH_OPTION.findall(body)
            page.prompts[prompt] = [token for token, _selected in options]
            chosen = [token for token, selected in options if selected]
            if chosen:
                page.shown[prompt] = chosen[0]
    else:
        raise AssertionError(f"no answer controls on the page:\n{html[:2000]}")
    return page


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def assert_clean_error_page(reply: Reply) -> None:
    """A failed request during an outage: a 5xx page with no traceback or driver detail."""
    assert 500 <= reply.status < 600, (reply.status, reply.body[:500])
    leaks = ("Traceback", "psycopg", "OperationalError", 'File "', "/site-packages/")
    assert not any(leak in reply.body for leak in leaks), reply.body[:2000]
