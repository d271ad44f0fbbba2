"""The product's main pages, each with the data it needs to show its real content.

Shared by the browser checks (axe-core, console and CSP: tests/e2e) and the Nu HTML
checker (tests/html). ``build_pages(user)`` gives one candidate a bank, a running mock
(one answer, one flag), a submitted mock, a practice session with some answers and a
bookmark and a note, so the dashboard and the weakness report have figures to show.
"""

import itertools
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import Owner
from exams import attempts
from insights.models import StudyPlan
from tests.factories import (
    BlueprintFactory,
    BookmarkFactory,
    NoteFactory,
    _task,
    make_matching_question,
    make_multiple_question,
    make_ordering_question,
    make_single_question,
)

MAKERS = (make_single_question, make_multiple_question, make_ordering_question, make_matching_question)
TYPES = ("single", "multiple", "ordering", "matching")
DOMAIN_TASK = {1: "1.1", 2: "2.1", 3: "3.1", 4: "4.1", 5: "5.1"}


@dataclass(frozen=True)
class MainPage:
    name: str
    url: str
    who: str  # "candidate" (logged in, owns the data), "anonymous" or "staff"


def make_bank(per_domain: int = 4) -> list:
    """``per_domain`` published questions in each domain, cycling through the four types."""
    makers = itertools.cycle(MAKERS)
    return [next(makers)(task=_task(DOMAIN_TASK[domain])) for domain in DOMAIN_TASK for _ in range(per_domain)]


def right_answer(snapshot: dict):
    """The key in the shape the grader stores (see questions.snapshots)."""
    return snapshot["key"]


def wrong_answer(snapshot: dict):
    """A complete answer that is not the key."""
    ids = [row["id"] for row in snapshot["options"]]
    if snapshot["type"] == "matching":
        matches = [match["id"] for match in snapshot["matches"]]
        return {str(prompt): matches[(index + 1) % len(matches)] for index, prompt in enumerate(ids)}
    if snapshot["type"] == "ordering":
        return list(reversed(snapshot["key"]))
    wrong = [pk for pk in ids if pk not in snapshot["key"]]
    return wrong[: len(snapshot["key"])]


def answer_item(item, *, correct: bool, now, seq: int = 1):
    answer = right_answer(item.snapshot) if correct else wrong_answer(item.snapshot)
    return attempts.record_answer(item, answer=answer, seq=seq, confidence="sure", now=now, time_spent_ms=42_000)


@dataclass
class Scene:
    owner: Owner
    exam: object  # the running mock
    finished: object  # the submitted mock
    practice: object  # practice: 1-4 answered (single, multiple, ordering, matching), 5-8 open (same)
    japanese: object  # practice in Japanese: one translated question, open
    pages: list[MainPage]

    def url(self, name: str) -> str:
        return next(page.url for page in self.pages if page.name == name)


def build_pages(user, *, staff=None) -> Scene:
    """Give ``user`` a history and return the main pages (``staff`` sees the admin form)."""
    now = timezone.now()
    owner, _ = Owner.objects.get_or_create(user=user)
    bank = make_bank()
    blueprint = BlueprintFactory(name="Short mock", question_count=10, unscored_count=2, minutes=15)

    finished = attempts.start_exam(owner.pk, blueprint, now=now)
    for item in finished.items.order_by("position")[:6]:
        answer_item(item, correct=item.position % 2 == 1, now=now)
    attempts.submit_attempt(finished, now=now)

    exam = attempts.start_exam(owner.pk, blueprint, now=now)
    items = list(exam.items.order_by("position"))
    items[0].attempt = exam
    answer_item(items[0], correct=True, now=now)
    attempts.set_flag(items[1], flagged=True, now=now)

    # One question of each type answered (feedback), then one of each type open (controls).
    by_type = {kind: [q.pk for q in bank if q.type == kind] for kind in TYPES}
    ordered = [by_type[kind][0] for kind in TYPES] + [by_type[kind][1] for kind in TYPES]
    practice = attempts.start_practice(
        owner.pk, scope={"kind": "all"}, count=len(ordered), language="en", question_ids=ordered, now=now
    )
    for item in practice.items.order_by("position")[: len(TYPES)]:
        item.attempt = practice
        answer_item(item, correct=item.position != 2, now=now)
    BookmarkFactory(owner=owner, question_uid=practice.items.get(position=1).snapshot["uid"])
    # A note shows under the first question's feedback, in the mock's review and on its list.
    NoteFactory(
        owner=owner, question_uid=practice.items.get(position=1).snapshot["uid"], text="Check the <key> words."
    )
    # An exam date: the dashboard's study plan shows days left and the date form filled in.
    StudyPlan.objects.create(owner=owner, exam_date=timezone.localdate() + timedelta(days=40))

    # A Japanese session on a translated question: the "Show original" toggle and its page.
    english = bank[0]
    translation = make_single_question(
        uid=english.uid, language="ja", task=english.task, stem="顧客の問い合わせを要約するサービスはどれですか。"
    )
    japanese = attempts.start_practice(
        owner.pk, scope={"kind": "all"}, count=1, language="ja", question_ids=[translation.pk], now=now
    )

    candidate = [
        ("dashboard", reverse("dashboard")),
        ("practice picker", reverse("practice:picker")),
        *(
            (f"practice question {kind}", reverse("practice:question", args=[practice.pk, 5 + n]))
            for n, kind in enumerate(TYPES)
        ),
        *(
            (f"practice feedback {kind}", reverse("practice:question", args=[practice.pk, 1 + n]))
            for n, kind in enumerate(TYPES)
        ),
        ("practice question in Japanese", reverse("practice:question", args=[japanese.pk, 1])),
        ("practice original", reverse("practice:original", args=[japanese.pk, 1])),
        ("bookmarks", reverse("practice:bookmarks")),
        ("notes", reverse("notes:list")),
        ("search", f"{reverse('search')}?q=solution"),
        ("exam list", reverse("exams:list")),
        ("exam start", reverse("exams:start", args=[blueprint.slug])),
        ("exam question", reverse("exams:question", args=[exam.pk, 1])),
        ("exam review", reverse("exams:review", args=[exam.pk])),
        ("exam submit confirm", reverse("exams:submit", args=[exam.pk])),
        ("exam results", reverse("exams:results", args=[finished.pk])),
        ("weakness report", reverse("insights:report")),
        ("delete account", reverse("accounts:delete_account")),
    ]
    pages = [MainPage(name, url, "candidate") for name, url in candidate]
    pages += [
        MainPage("sign up", reverse("accounts:signup"), "anonymous"),
        MainPage("log in", reverse("accounts:login"), "anonymous"),
        MainPage("password reset", reverse("accounts:password_reset"), "anonymous"),
        MainPage("admin question form", reverse("admin:questions_question_add"), "staff"),
    ]
    return Scene(owner=owner, exam=exam, finished=finished, practice=practice, japanese=japanese, pages=pages)


PAGE_NAMES = [
    "dashboard",
    "practice picker",
    *(f"practice question {kind}" for kind in TYPES),
    *(f"practice feedback {kind}" for kind in TYPES),
    "practice question in Japanese",
    "practice original",
    "bookmarks",
    "notes",
    "search",
    "exam list",
    "exam start",
    "exam question",
    "exam review",
    "exam submit confirm",
    "exam results",
    "weakness report",
    "delete account",
    "sign up",
    "log in",
    "password reset",
    "admin question form",
]
