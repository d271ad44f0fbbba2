"""Keyboard-only use with a visible focus ring at every stop.

Tab reaches every control of each main page, each showing a focus indicator (an outline
or a ring under :focus-visible); on the exam page the candidate flags, answers and moves
between questions with Tab, Space, arrows and the shortcuts. (A whole mock by shortcuts,
submit included, is tests/e2e/test_exam.py.)
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Owner
from exams import attempts
from tests.answers import token
from tests.e2e.test_accessibility import CSP_LISTENER, axe_violations, csp_violations, log_in
from tests.factories import BlueprintFactory, UserFactory, _task, make_single_question
from tests.main_pages import DOMAIN_TASK, build_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    vendor: Boolean(element.closest(".select2-container")),
    text: (element.innerText || element.value || element.getAttribute("aria-label") || "").trim().slice(0, 40),
    focusVisible: element.matches(":focus-visible"),
    outline: style.outlineStyle === "auto" || (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2),
    ring: style.boxShadow !== "none",
    style: `${style.outlineStyle} ${style.outlineWidth} ${style.boxShadow}`,
    shown: element.getClientRects().length > 0,
  };
}"""


@pytest.fixture
def exam_page(live_server, page, console_problems):
    """A candidate on question 1 of a 10-question mock of single-answer questions."""
    user = UserFactory()
    for task in DOMAIN_TASK.values():
        for _ in range(3):
            make_single_question(task=_task(task))
    blueprint = BlueprintFactory(question_count=10, unscored_count=2, minutes=15)
    owner = Owner.objects.create(user=user)
    exam = attempts.start_exam(owner.pk, blueprint, now=timezone.now())
    page.add_init_script(CSP_LISTENER)
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/exams/attempts/{exam.pk}/1/")
    return page, exam


def tab_to(page, predicate, limit=80):
    """Press Tab until the focused element matches ``predicate`` (a dict test); return it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if predicate(focused):
            return focused
    raise AssertionError("Tab never reached the control")


def test_exam_page_tab_order_reaches_every_control_with_focus_shown(exam_page):
    page, _exam = exam_page
    stops = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body" or (stops and focused == stops[0]):
            break
        stops.append(focused)

    labels = [stop["text"] for stop in stops]
    assert labels[0] == "Skip to content"
    for needed in ("Flag for review", "Next", "Review"):
        assert any(needed in label for label in labels), (needed, labels)
    assert sum(stop["tag"] == "input" for stop in stops) == 1  # a radio group is one stop
    assert sum(stop["text"][:2].strip().isdigit() for stop in stops) >= 10, labels  # the navigator's cells
    invisible = [stop for stop in stops if not (stop["focusVisible"] and (stop["outline"] or stop["ring"]))]
    assert invisible == []
    assert all(stop["shown"] for stop in stops)


def press_and_confirm(page, key, path_part):
    """Press ``key`` and wait for the request it sends (``path_part`` in its URL) to succeed."""
    with page.expect_response(lambda response: path_part in response.url) as sent:
        page.keyboard.press(key)
    assert sent.value.status == 200, (key, sent.value.status)


def test_exam_question_page_by_keyboard_alone(exam_page, console_problems):
    page, exam = exam_page
    base = page.url.rsplit("/", 2)[0]

    # Flag question 1: Tab to the button, Enter.
    tab_to(page, lambda focused: "Flag for review" in focused["text"])
    press_and_confirm(page, "Enter", "/flag/")
    expect(page.locator("#flag-button")).to_have_attribute("aria-pressed", "true")

    # Answer it: Tab into the radio group, Space picks the focused option, an arrow changes it.
    tab_to(page, lambda focused: focused["tag"] == "input")
    press_and_confirm(page, "Space", "/answer/")
    press_and_confirm(page, "ArrowDown", "/answer/")
    first_item = exam.items.get(position=1)
    second = token(first_item, first_item.snapshot["options"][1]["id"])
    expect(page.locator(f"#choice-{second}")).to_be_checked()
    expect(page.locator("#save-status")).to_contain_text("Saved")

    # N: the next question; there, 2 chooses the second option, M flags, P goes back.
    page.keyboard.press("n")
    expect(page).to_have_url(f"{base}/2/")
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    press_and_confirm(page, "2", "/answer/")
    press_and_confirm(page, "m", "/flag/")
    expect(page.locator("#flag-button")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("p")
    expect(page).to_have_url(f"{base}/1/")
    expect(page.locator(f"#choice-{second}")).to_be_checked()

    # Review with Tab and Enter (submitting by keyboard: tests/e2e/test_exam.py).
    tab_to(page, lambda focused: focused["tag"] == "a" and focused["text"] == "Review")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="2 flagged")).to_be_visible()
    assert axe_violations(page) == []

    assert console_problems == []
    assert csp_violations(page) == []
    items = {item.position: item for item in exam.items.select_related("response")}
    assert items[1].flagged and items[2].flagged
    assert items[1].response.answer == [items[1].snapshot["options"][1]["id"]]
    assert items[2].response.answer == [items[2].snapshot["options"][1]["id"]]


def test_every_tab_stop_of_every_main_page_shows_focus(live_server, page):
    """Tab through each main page (up to 150 stops): every stop is visible and ringed."""
    user = UserFactory(is_staff=True, is_superuser=True)
    scene = build_pages(user)

    unringed = {}
    for target in scene.pages:
        page.context.clear_cookies()
        if target.who != "anonymous":
            log_in(page, live_server, user)
        page.goto(f"{live_server.url}{target.url}")
        seen = []
        for _ in range(150):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["tag"] == "body" or focused in seen[:1]:
                break
            seen.append(focused)
            if focused["vendor"]:
                continue  # the admin's select2 widget, left out as in test_accessibility.VENDOR_WIDGETS
            if not (focused["focusVisible"] and (focused["outline"] or focused["ring"]) and focused["shown"]):
                unringed.setdefault(target.name, []).append(focused)
        assert len(seen) >= 3, target.name

    assert unringed == {}
