import datetime as dt

import pytest
import time_machine
from django.conf import settings


def pytest_configure(config):
    # Hashed manifest names need collectstatic; tests serve static files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A fast hasher: the suite creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Only browser tests may use pytest-playwright's fixtures. A test elsewhere that asks for
    one (a parameter named "page" is enough) takes its session-wide browser parameter, and
    pytest then moves every browser test next to it: their database flush lands in the
    middle of the ordinary tests, which find the seed rows gone."""

    def browser_param(item) -> bool:
        return "browser_name" in getattr(getattr(item, "callspec", None), "params", {})

    strays = [item.nodeid for item in items if "e2e" not in item.nodeid and browser_param(item)]
    if strays:
        raise pytest.UsageError(f"browser fixtures outside tests/e2e (rename the parameter?): {strays}")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def guest(client):
    """A guest owner whose session the test client carries."""
    from tests.factories import GuestOwnerFactory, as_guest

    return as_guest(client, GuestOwnerFactory())


@pytest.fixture
def window_start():
    """The clock starts at midnight UTC and runs on: rate limits count in fixed windows (10 s,
    10 min, an hour…), and a test that started a moment before a window's end would see its
    counters reset half way. Every window divides a day, so midnight starts all of them."""
    with time_machine.travel(dt.datetime(2026, 12, 1, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request in Japanese leaves Japanese
    active in the thread (LocaleMiddleware activates, nothing deactivates), which would
    turn the next test's messages Japanese."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
