import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    """Browser tests need Chromium: in CI its absence is a failure, elsewhere a skip."""
    if shutil.which(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI=true but Chromium is missing at {CHROMIUM}: install Debian's chromium package.")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


# Migration data kept for serialized_rollback tests, per database alias (see below).
_SERIALIZED_CONTENTS: dict[str, str] = {}


def _share_serialized_contents():
    """Let serialized_rollback work in browser tests that run after other database tests.

    Once Playwright's event loop runs, ``django.db.connections`` hands out a different
    connection object (asgiref's Local keeps a separate one for async contexts). Django put
    the serialized migration data on the object of the context that created the test
    database, so when ordinary tests ran first, the browser tests' object lacks it: their
    teardown flush then re-runs post_migrate and their setup restores nothing. Copy it over
    before setup, call and teardown.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            _SERIALIZED_CONTENTS.setdefault(alias, contents)
        elif alias in _SERIALIZED_CONTENTS:
            connection._test_serialized_contents = _SERIALIZED_CONTENTS[alias]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _share_serialized_contents()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    _share_serialized_contents()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    _share_serialized_contents()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def console_problems(page):
    """Console errors and CSP violations seen on the page during the test."""
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems
