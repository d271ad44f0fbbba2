"""Issue 22: "Retry" re-sends exactly what the failed request carried, then shows its outcome.

For each question type, in practice and in a mock: the network drops, the answer's POST is
aborted, the page says "Not saved — retry". Retry (once more while the network is still down,
then with it back) re-sends the same fields and values, the submitter's name/value included,
with a fresh ``seq``; the stored answer is what the candidate chose, and the page shows the
feedback (practice) or "Saved" (mock). The same for the bookmark and flag toggles.

Options are picked by their place on screen (``data-option-index``), never by their value:
values are opaque to the browser.
"""

import re
from urllib.parse import parse_qsl

import pytest
from playwright.sync_api import expect

from exams.models import Bookmark, Response
from tests.e2e.candidate import open_question, option

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TYPES = ("single", "multiple", "ordering", "matching")


class Network:
    """Abort requests to ``pattern`` while down; remember every body posted there."""

    def __init__(self, page, pattern):
        self.page, self.pattern, self.down, self.bodies = page, pattern, False, []
        page.route(pattern, self._handle)

    def _handle(self, route):
        self.bodies.append(route.request.post_data or "")
        if self.down:
            route.abort()
        else:
            route.continue_()

    def fields(self, index):
        """The fields of the ``index``-th body, ``seq`` apart, and that seq."""
        pairs = parse_qsl(self.bodies[index], keep_blank_values=True)
        seq = [int(value) for name, value in pairs if name == "seq"]
        return sorted((name, value) for name, value in pairs if name != "seq"), seq[0]


def unexpected(problems):
    """Console errors other than the aborted requests' own (Chromium's and htmx's)."""
    expected = ("htmx:", "Failed to load resource")
    return [problem for problem in problems if not any(part in problem for part in expected)]


def answer(page, mode, kind, snapshot, network):
    """Choose an answer on screen (the network going down before the last step) and return
    the answer the server should store. In a mock every change saves: the earlier steps of
    a multi-step answer are saved, so the failed save carries the whole answer."""
    options = snapshot["options"]
    if kind == "single":
        network.down = True
        option(page, 3).click()
        return [options[2]["id"]]
    if kind == "multiple":
        option(page, 1).click()
        if mode == "exam":
            expect(page.locator("[data-save-status]")).to_contain_text("Saved")
        network.down = True
        option(page, 3).click()
        expected = sorted([options[0]["id"], options[2]["id"]])
    elif kind == "ordering":
        network.down = True
        option(page, 1).locator("[data-move=down]").click()
        expected = [options[1]["id"], options[0]["id"], *(row["id"] for row in options[2:])]
    else:
        matches = snapshot["matches"]
        for index in range(len(options)):
            if index == len(options) - 1:
                network.down = True
            option(page, index + 1).locator("select").select_option(index=index + 1)
            if mode == "exam" and not network.down:
                expect(page.locator("[data-save-status]")).to_contain_text("Saved")
        expected = {str(row["id"]): matches[index]["id"] for index, row in enumerate(options)}
    if mode == "practice":
        page.get_by_role("button", name="Check answer").click()
    return expected


def stored(item):
    response = Response.objects.filter(item=item).first()
    return response.answer if response else None


def expect_outcome(page, mode):
    expect(page.locator("[data-save-error]")).to_have_count(0 if mode == "practice" else 1)
    if mode == "practice":
        expect(page.locator("#verdict")).to_have_text(re.compile("Correct|Incorrect"))
        expect(page.locator("#verdict")).to_be_focused()
        expect(page.locator("[data-answered-count]")).to_have_text("1")
    else:
        expect(page.locator("[data-save-status]")).to_contain_text("Saved")
        expect(page.locator("[data-save-error]")).to_be_hidden()
        expect(page.locator("#nav-1")).to_have_class(re.compile(r"\bis-answered\b"))
        expect(page.locator("#nav-1")).not_to_have_class(re.compile("is-failed|is-pending"))


@pytest.mark.parametrize("mode", ["practice", "exam"])
@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("retries_while_down", [0, 1])
def test_retry_resends_the_failed_answer_and_shows_its_outcome(
    live_server, page, console_problems, mode, kind, retries_while_down
):
    item = open_question(page, live_server, mode, kind)
    network = Network(page, "**/answer/")
    expected = answer(page, mode, kind, item.snapshot, network)
    expect(page.locator("[data-save-error]")).to_be_visible()
    expect(page.locator("[data-save-error-text]")).to_have_text("Not saved — retry")
    failed = len(network.bodies) - 1
    before = stored(item)
    assert before != expected

    for _ in range(retries_while_down):
        page.get_by_role("button", name="Retry").click()
        expect(page.locator("[data-save-error]")).to_be_visible()
        page.wait_for_timeout(200)
        assert stored(item) == before
    network.down = False
    page.get_by_role("button", name="Retry").click()

    expect_outcome(page, mode)
    assert stored(item) == expected
    fields, seq = network.fields(failed)
    retried_fields, retried_seq = network.fields(-1)
    assert retried_fields == fields
    assert retried_seq > seq
    assert len(network.bodies) == failed + 2 + retries_while_down
    assert unexpected(console_problems) == []


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_retry_resends_a_failed_toggle(live_server, page, console_problems, mode):
    item = open_question(page, live_server, mode, "single")
    name, pattern = ("Bookmark", "**/bookmarks/**") if mode == "practice" else ("Flag for review", "**/flag/")
    network = Network(page, pattern)
    network.down = True
    toggle = page.get_by_role("button", name=name)

    toggle.click()

    status = page.locator("[data-toggle-status]").first
    expect(status).to_contain_text("Not saved — retry")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    page.locator("[data-toggle-retry]").click()
    expect(status).to_contain_text("Not saved — retry")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    network.down = False
    page.locator("[data-toggle-retry]").click()

    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("form[data-optimistic-toggle]")).not_to_have_class(re.compile("is-pending"))
    expect(status).to_have_text("")
    if mode == "practice":
        assert Bookmark.objects.get().question_uid == item.snapshot["uid"]
    else:
        expect(page.locator("#nav-1")).to_have_class(re.compile("is-flagged"))
        item.refresh_from_db()
        assert item.flagged is True
    (fields, seq), (retried, retried_seq) = network.fields(0), network.fields(-1)
    assert retried == fields and ("state", "1") in fields
    assert retried_seq > seq
    assert unexpected(console_problems) == []
