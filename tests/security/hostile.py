"""Questions whose every author field is hostile, and the pages that show them.

Each field holds ``"``, ``'``, ``<``, ``>``, ``&``, an htmx element and an attribute
break-out (``PAYLOAD``) after a label saying which field it is, so a test can check that
each one is shown exactly as written (escaped once) and that nothing in it acts.
Used by tests/security/test_author_content.py and tests/e2e/test_author_content.py.
"""

from dataclasses import dataclass

from django.utils import timezone

from exams.attempts import record_answer, start_exam, start_practice, submit_attempt
from questions.models import CaseStudy
from tests.factories import BlueprintFactory, OptionFactory, QuestionFactory, _task

PAYLOAD = """Tom's "A" & <b>B</b> <div hx-post="/x" hx-trigger="load">x</div> " hx-get="/y" hx-trigger="load"""
# Where the payload's htmx attributes would send a request if they were ever processed.
TRAPS = ("/x", "/y")


def hostile(label: str) -> str:
    return f"{label} {PAYLOAD}"


def make_hostile_questions(language: str = "en", uid_prefix: str = "hostile") -> list:
    """One question of each type, every field (stem, scenario, options, rationales, prompts,
    matches, the extra match, explanation) hostile, all on task 1.1."""
    made = []
    for kind in ("single", "multiple", "ordering", "matching"):
        case_study, _ = CaseStudy.objects.get_or_create(
            uid=f"{uid_prefix}-case-{kind}", language=language, defaults={"scenario": hostile(f"Scenario {kind}")}
        )
        question = QuestionFactory(
            uid=f"{uid_prefix}-{kind}",
            language=language,
            type=kind,
            task=_task("1.1"),
            stem=hostile(f"Stem {kind}"),
            explanation=hostile(f"Explanation {kind}"),
            case_study=case_study,
            select=2 if kind == "multiple" else None,
        )
        for index in range(4 if kind != "matching" else 3):
            OptionFactory(
                question=question,
                position=index,
                text=hostile(f"{'Prompt' if kind == 'matching' else 'Option'} {kind} {index}"),
                match=hostile(f"Match {kind} {index}") if kind == "matching" else "",
                rationale=hostile(f"Rationale {kind} {index}"),
                is_correct=kind in ("ordering", "matching") or index in ((0,) if kind == "single" else (0, 2)),
            )
        if kind == "matching":
            OptionFactory(question=question, position=3, text="", match=hostile("Extra match"), rationale="")
        made.append(question)
    return made


def expected_texts(question) -> list[str]:
    """Every author text of ``question`` as a reader must see it."""
    texts = [question.stem, question.explanation, question.case_study.scenario]
    for option in question.options.all():
        texts += [text for text in (option.text, option.match, option.rationale) if text]
    return texts


@dataclass
class HostileScene:
    questions: list
    practice: object  # an open practice session of the four, nothing answered
    answered: object  # a practice session of the four, every one answered (feedback pages)
    exam: object  # a running mock of the four
    finished: object  # a submitted mock of the four (results review)

    def pages(self) -> dict[str, str]:
        """Candidate pages by name (the owner's), each showing hostile author text."""
        pages = {}
        for item in self.practice.items.order_by("position"):
            pages[f"practice {item.snapshot['type']}"] = f"/practice/{self.practice.pk}/{item.position}/"
        for item in self.answered.items.order_by("position"):
            pages[f"practice feedback {item.snapshot['type']}"] = f"/practice/{self.answered.pk}/{item.position}/"
        for item in self.exam.items.order_by("position"):
            pages[f"mock {item.snapshot['type']}"] = f"/exams/attempts/{self.exam.pk}/{item.position}/"
        pages["results review"] = f"/exams/attempts/{self.finished.pk}/results/"
        return pages

    def preview_pages(self) -> dict[str, str]:
        """The admin previews (staff)."""
        return {f"preview {q.type}": f"/admin/questions/question/{q.pk}/preview/" for q in self.questions}


def _answer_showing_everything(snapshot: dict):
    """The key, except that matching picks the extra match once: the review then shows it
    ("You chose: …"), so every field is on the page."""
    answer = snapshot["key"]
    if snapshot["type"] == "matching":
        extra = next(row["id"] for row in snapshot["matches"] if row["id"] not in answer.values())
        answer = {**answer, next(iter(answer)): extra}
    return answer


def build_hostile_scene(owner_id: int) -> HostileScene:
    questions = make_hostile_questions()
    now = timezone.now()
    practice = start_practice(owner_id, scope={"kind": "all"}, count=4, language="en", now=now)
    answered = start_practice(owner_id, scope={"kind": "all"}, count=4, language="en", now=now)
    for item in answered.items.select_related("attempt"):
        record_answer(item, answer=_answer_showing_everything(item.snapshot), seq=1, now=now)
    blueprint = BlueprintFactory(question_count=4, unscored_count=0, minutes=30)
    blueprint.domain_weights.create(domain_id=1, weight=100)
    exam = start_exam(owner_id, blueprint, now=now)
    other_blueprint = BlueprintFactory(question_count=4, unscored_count=0, minutes=30)
    other_blueprint.domain_weights.create(domain_id=1, weight=100)
    finished = start_exam(owner_id, other_blueprint, now=now)
    for item in finished.items.select_related("attempt"):
        record_answer(item, answer=_answer_showing_everything(item.snapshot), seq=1, now=now)
    submit_attempt(finished, now=now)
    return HostileScene(questions, practice, answered, exam, finished)
