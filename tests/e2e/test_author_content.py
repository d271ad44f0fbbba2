"""In Chromium, hostile author text fires no request (issue 15 §2).

Every author field of the questions holds an htmx element with ``hx-post="/x"
hx-trigger="load"`` and an attribute break-out ``" hx-get="/y" hx-trigger="load``
(tests/security/hostile.py). The admin preview (a superuser's: the attack promoted an
account), the practice question and its feedback, the mock question and the results
review load with htmx running: no request leaves for /x or /y, and none but GETs of the
page itself, its static files and our own lazy "how others did" fragment. The request-level
checks (text shown exactly as written, hx-disable on every holder):
tests/security/test_author_content.py.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Owner
from tests.e2e.test_accessibility import log_in
from tests.factories import UserFactory
from tests.security.hostile import PAYLOAD, TRAPS, build_hostile_scene

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_no_request_fires_on_load_from_author_text(live_server, page, console_problems):
    user = UserFactory(is_staff=True, is_superuser=True)
    owner, _ = Owner.objects.get_or_create(user=user)
    scene = build_hostile_scene(owner.pk)
    log_in(page, live_server, user)
    requests: list[tuple[str, str]] = []
    page.on("request", lambda request: requests.append((request.method, request.url)))

    for name, url in {**scene.preview_pages(), **scene.pages()}.items():
        requests.clear()
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("main")).to_contain_text(PAYLOAD.split(" <div")[0])
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(200)  # hx-trigger="load" fires right after htmx processes the node

        # Our own lazy fragment ("how others did" after an answer, insights:others) loads itself.
        ours = (f"{live_server.url}/static/", f"{live_server.url}{reverse('insights:others', args=['x'])[:-2]}")
        fired = [(method, target) for method, target in requests if not target.startswith(ours)]
        assert fired == [("GET", f"{live_server.url}{url}")], (name, fired)
        assert not any(target.endswith(trap) for _method, target in requests for trap in TRAPS), name
    assert console_problems == []
