"""The app on Redis (REDIS_URL): the cache every process shares for throttles and statistics.

Each test uses its own key prefix in the test Redis database, so nothing needs flushing.
"""

import subprocess
import sys
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from insights.stats import CACHE_KEY
from questions.models import ProblemReport
from quizapp import ratelimit
from tests.factories import UserFactory, make_single_question
from tests.quizapp.test_settings import PRODUCTION_ENV, ROOT
from tests.redis_server import TEST_REDIS_URL, redis_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("window_start")]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def redis_cache(settings):
    client = redis_client()
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "quizapp.cache.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_redis_url_selects_the_redis_cache_and_its_client_is_installed():
    key = f"test-probe-{uuid.uuid4().hex}"
    code = (
        "from django.core.cache import caches; cache = caches['default']; "
        f"cache.set({key!r}, 41, 30); cache.incr({key!r}); print(type(cache).__module__, cache.get({key!r})); "
        f"cache.delete({key!r})"
    )
    env = {**PRODUCTION_ENV, "REDIS_URL": TEST_REDIS_URL, "DJANGO_SETTINGS_MODULE": "quizapp.settings"}

    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "quizapp.cache 42"


def test_login_throttle_counts_in_redis_with_an_expiry(redis_cache, settings):
    client_, prefix = redis_cache
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(3):
        Client().post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})

    browser = Client()
    response = browser.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in browser.session
    keys = [key.decode() for key in client_.scan_iter(f"{prefix}:*rl:login:user:*")]
    assert len(keys) == 1
    assert int(client_.get(keys[0])) == 3
    assert 0 < client_.ttl(keys[0]) <= settings.LOGIN_FAILURE_WINDOW + 1


def test_a_right_password_logs_in_on_redis(redis_cache):
    user = UserFactory()
    browser = Client()

    browser.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    assert browser.session["_auth_user_id"] == str(user.pk)


def test_problem_reports_are_filed_and_limited_on_redis(redis_cache, settings):
    settings.PROBLEM_REPORT_RATE = (1, 3600)
    first, second = make_single_question(), make_single_question()
    client = Client()

    filed = client.post(reverse("questions:report_problem", args=[first.uid]), {"reason": "typo"})
    refused = client.post(reverse("questions:report_problem", args=[second.uid]), {"reason": "typo"})

    assert filed.status_code == 302
    assert refused.status_code == 429
    assert ProblemReport.objects.count() == 1


def test_item_statistics_are_cached_in_redis(redis_cache):
    client_, prefix = redis_cache
    staff = UserFactory(is_staff=True, is_superuser=True)
    make_single_question()
    client = Client()
    client.force_login(staff)

    response = client.get(reverse("admin:questions_question_changelist"))

    assert response.status_code == 200
    assert list(client_.scan_iter(f"{prefix}:*{CACHE_KEY}")), "the change list filled the shared cache"


def test_a_counter_is_one_pipelined_round_trip_and_starts_its_window(redis_cache):
    client_, prefix = redis_cache
    bucket = ratelimit.Bucket("probe", "1", limit=2, window=30)

    ratelimit.hit(bucket, now=1_000_000.0)
    ratelimit.hit(bucket, now=1_000_001.0)
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit(bucket, now=1_000_002.0)

    (key,) = client_.scan_iter(f"{prefix}:*rl:probe:*")
    assert int(client_.get(key)) == 3
    assert 0 < client_.ttl(key) <= 31
    assert refused.value.retry_after == 30 - (1_000_002 % 30) + 1


def test_the_cache_reuses_one_redis_client_per_pool(redis_cache):
    from django.core.cache import cache

    client_, prefix = redis_cache
    backend = cache._cache

    cache.set("probe", 41, 30)
    cache.incr("probe")
    session_read = backend.get_client("probe")
    rate_limit = backend.get_client(write=True)

    # Django's own client would build a new redis.Redis (and its callback table) every time.
    assert session_read is rate_limit is backend.get_client("other")
    assert cache.get("probe") == 42
    assert int(client_.get(f"{prefix}:1:probe")) == 42
