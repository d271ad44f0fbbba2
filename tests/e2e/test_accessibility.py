"""Every main page in Chromium: no serious or critical axe-core violations, no console
errors, no uncaught exceptions and no Content-Security-Policy violations.

axe-core comes from the pinned PyPI package axe-playwright-python (it bundles axe.min.js,
axe-core 4.12.1, MPL-2.0). The CSP forbids injected <script> tags, so the source goes in
through ``page.evaluate`` (the DevTools protocol), as does ``axe.run()``.
"""

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.test import Client
from playwright.sync_api import expect

from tests.answers import token
from tests.factories import UserFactory
from tests.main_pages import PAGE_NAMES, TYPES, build_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BLOCKING = ("serious", "critical")
# securitypolicyviolation events are collected in the page, which the CSP allows us to
# do only from the DevTools side: an init script runs before the page's own scripts.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


# The admin's autocomplete fields use the select2 library that Django vendors: its search
# input has no label and its combobox takes its name from an empty placeholder. That is
# Django's markup, not ours, so it is left out of the check (everything else is checked).
VENDOR_WIDGETS = {"admin question form": [".select2-container"]}


def axe_violations(page, *, exclude=()) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now."""
    page.evaluate(AXE_SCRIPT)
    context = {"include": [["html"]], "exclude": [[selector] for selector in exclude]}
    results = page.evaluate("(context) => axe.run(context, {resultTypes: ['violations']})", context)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def log_in(page, live_server, user) -> None:
    """Give the browser a session of ``user`` (the log-in form has its own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def watched_page(page, console_problems):
    """The page, recording CSP violations; console errors land in ``console_problems``."""
    page.add_init_script(CSP_LISTENER)
    return page


def test_main_pages_are_accessible_and_clean(live_server, watched_page, console_problems):
    """Each main page, with real data, as its visitor sees it (one browser, one data set)."""
    page = watched_page
    user = UserFactory(is_staff=True, is_superuser=True)
    scene = build_pages(user)
    assert [target.name for target in scene.pages] == PAGE_NAMES

    found = {}
    for target in scene.pages:
        page.context.clear_cookies()
        if target.who != "anonymous":
            log_in(page, live_server, user)
        console_problems.clear()
        response = page.goto(f"{live_server.url}{target.url}")
        page.wait_for_load_state("load")
        problems = {
            "status": [] if response.status == 200 else [response.status],
            "axe-core (serious/critical)": axe_violations(page, exclude=VENDOR_WIDGETS.get(target.name, ())),
            "console errors": list(console_problems),
            "CSP violations": csp_violations(page),
        }
        if any(problems.values()):
            found[target.name] = {key: value for key, value in problems.items() if value}

    assert found == {}


def test_practice_feedback_after_answering_is_accessible(live_server, watched_page, console_problems):
    """The verdict swapped in by htmx: words and an icon, focused, announced, and axe-clean."""
    page = watched_page
    user = UserFactory()
    scene = build_pages(user)
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}{scene.url('practice question single')}")
    fifth = scene.practice.items.get(position=5)
    key = token(fifth, fifth.snapshot["key"][0])

    page.locator(f"button[name=choice][value='{key}']").click()

    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Correct")
    expect(verdict).to_be_focused()
    # Not by colour alone: a word and a visible icon (hidden from screen readers, who get the word).
    icon = verdict.locator(".verdict-icon")
    expect(icon).to_have_text("✓")
    expect(icon).to_be_visible()
    expect(page.locator("[data-announcer]")).to_have_text("Correct")
    # Each option of the review says in words whether it was right.
    expect(page.locator(".explanation")).to_be_visible()
    assert axe_violations(page) == []
    assert console_problems == []
    assert csp_violations(page) == []


def test_axe_check_reports_a_real_violation(live_server, watched_page):
    """The harness itself: an unnamed button (critical) and a grey-on-grey text (serious)."""
    page = watched_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
          const button = document.createElement("button");
          document.querySelector("main").append(button);
          const faint = document.createElement("p");
          faint.textContent = "barely visible";
          faint.style.color = "#eee";
          faint.style.background = "#fff";
          document.querySelector("main").append(faint);
        }"""
    )

    found = axe_violations(page)

    assert any(line.startswith("button-name (critical)") for line in found), found
    assert any(line.startswith("color-contrast (serious)") for line in found), found


MARKS = """() => Array.from(
  document.querySelectorAll(".mark-ok, .mark-bad, .verdict-ok, .verdict-bad")
).map((mark) => ({
  text: mark.innerText.trim(),
  icon: Array.from(mark.querySelectorAll("[aria-hidden=true]")).some(
    (icon) => /[✓✗]/.test(icon.textContent) && icon.getClientRects().length > 0
  ),
}))"""


def test_correctness_is_shown_by_word_and_icon_not_colour_alone(live_server, watched_page):
    page = watched_page
    user = UserFactory()
    scene = build_pages(user)
    log_in(page, live_server, user)

    for name in ("exam results", *(f"practice feedback {kind}" for kind in TYPES)):
        page.goto(f"{live_server.url}{scene.url(name)}")
        marks = page.evaluate(MARKS)

        assert len(marks) >= 2, name
        assert [mark for mark in marks if not (mark["icon"] and any(ch.isalpha() for ch in mark["text"]))] == [], name


def test_dark_mode_pages_have_no_serious_violations(live_server, watched_page):
    """The system's dark scheme swaps every colour: contrast is checked again, page by page."""
    page = watched_page
    user = UserFactory(is_staff=True, is_superuser=True)
    scene = build_pages(user)
    log_in(page, live_server, user)
    page.emulate_media(color_scheme="dark")

    found = {}
    for target in scene.pages:
        if target.who == "anonymous":
            continue
        page.goto(f"{live_server.url}{target.url}")
        if violations := axe_violations(page, exclude=VENDOR_WIDGETS.get(target.name, ())):
            found[target.name] = violations

    assert found == {}
