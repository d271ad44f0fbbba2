import pytest
from django.conf import settings


def pytest_configure(config):
    # Hashed manifest names need collectstatic; tests serve static files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A fast hasher: the suite creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request in Japanese leaves Japanese
    active in the thread (LocaleMiddleware activates, nothing deactivates), which would
    turn the next test's messages Japanese."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
