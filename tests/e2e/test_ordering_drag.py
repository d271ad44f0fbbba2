"""Ordering by drag (docs/answering-protocol.md §4), with a mouse in Chromium.

The handle is dragged with real pointer moves; a drop is a move like the buttons': the
position is announced, a mock saves at once, practice sends the order with "Check answer".
"""

import re

import pytest
from playwright.sync_api import expect

from exams.models import Attempt, AttemptItem, Response
from exams.tokens import tokens_for
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def drag(page, source, target, *, before: bool):
    """Press on ``source``, move in small steps onto ``target``'s top (``before``) or bottom
    edge, rest there while the list animates (150 ms), then release, as a hand would."""
    start, end = source.bounding_box(), target.bounding_box()
    y = end["y"] + 4 if before else end["y"] + end["height"] - 4
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + 12, y, steps=20)
    page.wait_for_timeout(300)
    page.mouse.move(end["x"] + 14, y)
    page.mouse.up()


def shown_order(page, item) -> list[int]:
    """The option ids of ``item`` in the order the page shows them (the page has only tokens)."""
    tokens = tokens_for(item)
    return [
        tokens.option_for(value)
        for value in page.locator(".ordering-item").evaluate_all("items => items.map(i => i.dataset.id)")
    ]


def test_dragging_an_item_in_a_mock_saves_the_new_order(live_server, page, console_problems):
    make_bank({1: 3, 2: 3, 3: 3, 4: 3, 5: 3}, types=("ordering",))
    BlueprintFactory(name="Mini mock", question_count=5, unscored_count=1)
    page.goto(f"{live_server.url}/exams/")
    page.get_by_role("region", name="Mini mock").get_by_role("link", name="Start mock exam").click()
    page.get_by_role("button", name="Start mock exam").click()
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    attempt = Attempt.objects.get()
    item = AttemptItem.objects.get(attempt=attempt, position=1)
    ids = [row["id"] for row in item.snapshot["options"]]
    expect(page.locator("#ordering-hint")).to_contain_text("drag an item by its handle")
    assert shown_order(page, item) == ids

    items = page.locator(".ordering-item")
    drag(page, items.nth(len(ids) - 1).locator("[data-drag-handle]"), items.nth(0), before=True)

    expected = [ids[-1], *ids[:-1]]
    assert shown_order(page, item) == expected
    expect(page.locator("[data-announcer]")).to_have_text(re.compile("Moved to position 1"))
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    assert Response.objects.get(item=item).answer == expected
    # The buttons follow the new order: the dragged item is first, so it cannot go up.
    expect(items.nth(0).locator("[data-move=up]")).to_have_attribute("aria-disabled", "true")
    expect(items.nth(1).locator("[data-move=up]")).to_have_attribute("aria-disabled", "false")
    assert console_problems == []


def test_dragging_works_in_practice_on_the_next_question_too(live_server, page, console_problems):
    make_bank({1: 3, 2: 3}, types=("ordering",))
    page.goto(f"{live_server.url}/practice/")
    page.get_by_role("button", name="Start practice").click()
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    session = Attempt.objects.get()

    for position in (1, 2):
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"Question {position}\s"))
        expect(page.locator("#ordering-hint")).to_contain_text("drag an item by its handle")
        item = AttemptItem.objects.get(attempt=session, position=position)
        ids = [row["id"] for row in item.snapshot["options"]]
        items = page.locator(".ordering-item")
        drag(page, items.nth(0).locator("[data-drag-handle]"), items.nth(2), before=False)
        moved = shown_order(page, item)
        assert moved == [*ids[1:3], ids[0], *ids[3:]]
        assert not Response.objects.filter(item=item).exists()  # practice waits for "Check answer"

        page.get_by_role("button", name="Check answer").click()

        expect(page.locator("#verdict")).to_have_text(re.compile("Correct|Incorrect"))
        assert Response.objects.get(item=item).answer == moved
        page.get_by_role("link", name=re.compile("Next")).or_(
            page.get_by_role("button", name=re.compile("Next"))
        ).first.click()
    assert console_problems == []
