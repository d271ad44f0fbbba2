"""The bundled AIF-C01 bank (questions/data/*.json) against the rules of issue 4 a program can check."""

import re
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import pytest
from django.conf import settings

from questions.formats import json as json_format
from questions.models import Question
from questions.transfer import BANK_DIR, Source, decode, load_bank
from questions.validation import validate_question

WEIGHTS = {"1": 20, "2": 24, "3": 28, "4": 14, "5": 14}
TASKS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "5.1", "5.2"]
REFERENCE = re.compile(r"^https://(docs\.aws\.amazon\.com|aws\.amazon\.com)/\S+$")
SEED_CONCEPTS = Path(settings.BASE_DIR).parent / "shared" / "seed-concepts.md"
# The first column of seed-concepts.md, used when the shared folder is not beside the checkout.
CONCEPT_TAGS = [
    "aws-ai-services", "a2i", "feature-store", "sagemaker-inference", "sagemaker-tiers", "provisioned-throughput",
    "bedrock-agents", "bedrock-customization", "rag", "prompt-engineering", "genai-metrics", "tokens",
    "inference-parameters", "llm-limitations", "regression-metrics", "classification-metrics", "inference-latency",
    "sagemaker-builtin-algorithms", "kmeans-vs-knn", "learning-types", "gradient-descent", "overfitting",
    "sagemaker-responsible-ai", "bedrock-guardrails", "ai-security", "ai-governance",
]  # fmt: skip


def concept_tags() -> list[str]:
    if not SEED_CONCEPTS.exists():
        return CONCEPT_TAGS
    rows = re.findall(r"^\|\s*([a-z0-9][a-z0-9-]*)\s*\|", SEED_CONCEPTS.read_text(encoding="utf-8"), re.MULTILINE)
    return [tag for tag in rows if tag != "tag"]


@pytest.fixture(scope="module")
def bank():
    questions, errors = [], []
    for path in sorted(BANK_DIR.glob("*.json")):
        text, error = decode(Source.from_path(path))
        result = json_format.parse(text or "", source=path.name) if text else None
        errors += [error] if error else result.errors
        questions += result.questions if result else []
    return questions, errors


@pytest.fixture(scope="module")
def english(bank):
    questions, _errors = bank
    return [q for q in questions if q.language == "en" and q.status == "published"]


def domain_of(question) -> str:
    return question.task.split(".")[0]


def test_bank_files_parse_without_errors(bank):
    questions, errors = bank
    assert errors == []
    assert questions


@pytest.mark.django_db
def test_every_question_loads_and_is_valid_by_the_banks_own_validation(bank):
    questions, _errors = bank

    result = load_bank(strict=True)

    assert result.errors == []
    assert [w for w in result.warnings if "is not a slug" not in w] == []
    assert result.created == len(questions) == Question.objects.count()
    assert [(q.uid, str(p)) for q in questions for p in validate_question(q)] == []


def test_at_least_260_published_english_questions(english):
    assert len(english) >= 260


def test_domain_shares_follow_the_exam_weights(english):
    counts = Counter(domain_of(q) for q in english)

    shares = {domain: round(100 * counts[domain] / len(english), 1) for domain in WEIGHTS}

    assert {d: abs(shares[d] - weight) <= 3 for d, weight in WEIGHTS.items()} == dict.fromkeys(WEIGHTS, True), shares


def test_domain_given_in_a_file_matches_its_task(english):
    assert [q.uid for q in english if q.domain and q.domain != domain_of(q)] == []


def test_every_task_statement_has_at_least_10_questions(english):
    counts = Counter(q.task for q in english)

    assert {task: counts[task] >= 10 for task in TASKS} == dict.fromkeys(TASKS, True), counts


def test_at_least_15_percent_multiple_response_with_5_options(english):
    multiple = [q for q in english if q.type == "multiple" and len(q.options) >= 5]

    assert len(multiple) / len(english) >= 0.15


def test_at_least_15_ordering_questions_with_3_to_5_items(english):
    ordering = [q for q in english if q.type == "ordering"]

    assert len(ordering) >= 15
    assert [q.uid for q in ordering if not 3 <= len(q.options) <= 5] == []


def test_at_least_15_matching_questions_with_3_to_7_prompts(english):
    matching = [q for q in english if q.type == "matching"]

    assert len(matching) >= 15
    assert [q.uid for q in matching if not 3 <= len(q.prompts) <= 7] == []


def test_single_answer_questions_have_four_options(english):
    assert [q.uid for q in english if q.type == "single" and len(q.options) != 4] == []


def test_at_least_4_case_studies_with_2_to_4_questions_each(english):
    cases = defaultdict(list)
    for question in english:
        if question.case_study:
            cases[question.case_study.uid].append(question)

    assert len(cases) >= 4
    assert {uid: len(qs) for uid, qs in cases.items() if not 2 <= len(qs) <= 4} == {}
    assert [uid for uid, qs in cases.items() if len({q.case_study.scenario for q in qs}) != 1] == []


def test_every_seed_concept_is_tagged_on_at_least_3_questions(english):
    counts = Counter(tag for q in english for tag in q.tags or [])

    assert {tag: counts[tag] for tag in concept_tags() if counts[tag] < 3} == {}


def test_at_least_25_questions_cover_the_2026_guide_only(english):
    assert sum(1 for q in english if q.guides == ["2026"]) >= 25


def test_every_question_names_a_guide_revision(english):
    assert [q.uid for q in english if not q.guides or set(q.guides) - {"2024", "2026"}] == []


def test_difficulty_is_roughly_a_third_each(english):
    counts = Counter(q.difficulty for q in english)

    shares = {level: counts[level] / len(english) for level in (1, 2, 3)}

    assert {level: 0.25 <= share <= 0.42 for level, share in shares.items()} == {1: True, 2: True, 3: True}, shares


def test_no_position_holds_more_than_35_percent_of_single_answer_keys(english):
    positions = Counter(
        next(index for index, option in enumerate(q.options) if option.correct) for q in english if q.type == "single"
    )
    total = sum(positions.values())

    assert {position: count for position, count in positions.items() if count / total > 0.35} == {}


def test_every_option_has_a_rationale(english):
    missing = [
        (q.uid, index + 1)
        for q in english
        for index, option in enumerate(q.options)
        if (option.text or q.type != "matching") and not option.rationale.strip()
    ]

    assert missing == []


def test_every_question_has_an_explanation_and_well_formed_aws_references(english):
    assert [q.uid for q in english if not q.explanation.strip()] == []
    assert [q.uid for q in english if not q.references] == []
    assert [(q.uid, url) for q in english for url in q.references or [] if not REFERENCE.match(url)] == []


def test_uids_are_unique_per_language(bank):
    questions, _errors = bank
    counts = Counter((q.uid, q.language) for q in questions)

    assert {key: count for key, count in counts.items() if count > 1} == {}


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.sub(r"[^a-z0-9 ]", " ", text.lower()).split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def test_no_duplicate_or_near_duplicate_stems(english):
    normalized = Counter(" ".join(re.sub(r"[^a-z0-9 ]", " ", q.stem.lower()).split()) for q in english)
    shingles = [(q.uid, _shingles(q.stem)) for q in english]

    near = [
        (a, b, round(len(x & y) / len(x | y), 2))
        for (a, x), (b, y) in combinations(shingles, 2)
        if x and y and len(x & y) / len(x | y) >= 0.5
    ]

    assert [stem for stem, count in normalized.items() if count > 1] == []
    assert near == []


def test_no_all_or_none_of_the_above(english):
    pattern = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)

    assert [q.uid for q in english for option in q.options if pattern.search(option.text)] == []


def test_translations_keep_the_english_key_and_structure(bank):
    questions, _errors = bank
    english = {q.uid: q for q in questions if q.language == "en"}

    def shape(question):
        return (
            question.type,
            question.task,
            question.select,
            [(option.correct, bool(option.text), bool(option.match)) for option in question.options],
        )

    translated = [q for q in questions if q.language != "en"]
    assert [q.uid for q in translated if q.uid not in english] == []
    assert [q.uid for q in translated if shape(q) != shape(english[q.uid])] == []
