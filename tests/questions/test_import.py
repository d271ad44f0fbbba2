import copy
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.models import CaseStudy, Option, Question, Tag
from questions.transfer import Source, export_questions, import_sources, load_bank
from tests.factories import make_single_question

FIXTURES = Path(__file__).parent / "fixtures"


def choice(text, correct=False):
    return {"text": text, "correct": correct, "rationale": f"Why {text} is {'right' if correct else 'wrong'}."}


SINGLE = {
    "uid": "imp-single",
    "type": "single",
    "language": "en",
    "domain": "1",
    "task": "1.2",
    "tags": ["aws-ai-services"],
    "difficulty": 1,
    "status": "published",
    "guide": ["2024", "2026"],
    "stem": "A retailer needs product recommendations from browsing history. Which service should it use?",
    "choices": [
        choice("Amazon Personalize", True),
        choice("Amazon Comprehend"),
        choice("Amazon Kendra"),
        choice("Amazon Polly"),
    ],
    "explanation": "Personalize is the managed recommendation service.",
    "references": ["https://docs.aws.amazon.com/personalize/latest/dg/what-is-personalize.html"],
}
MULTIPLE = {
    "uid": "imp-multiple",
    "type": "multiple",
    "language": "en",
    "domain": "3",
    "task": "3.4",
    "tags": ["genai-metrics"],
    "difficulty": 2,
    "status": "published",
    "guide": ["2024", "2026"],
    "stem": "Which metrics compare generated text with a reference by n-gram overlap? (Select TWO.)",
    "choices": [choice("ROUGE", True), choice("BLEU", True), choice("RMSE"), choice("AUC"), choice("Log loss")],
    "select": 2,
    "explanation": "ROUGE and BLEU count overlapping n-grams.",
    "references": ["https://docs.aws.amazon.com/bedrock/latest/userguide/model-evaluation.html"],
}
TRUE_FALSE = {
    "uid": "imp-true-false",
    "type": "single",
    "language": "en",
    "domain": "1",
    "task": "1.3",
    "tags": ["regression-metrics"],
    "difficulty": 2,
    "status": "published",
    "guide": ["2024"],
    "stem": "R² can be negative for a model that is worse than predicting the mean.",
    "choices": [choice("True", True), choice("False")],
    "explanation": "R² has no lower bound.",
    "references": ["https://docs.aws.amazon.com/machine-learning/latest/dg/regression-model-insights.html"],
}
ORDERING = {
    "uid": "imp-ordering",
    "type": "ordering",
    "language": "en",
    "domain": "1",
    "task": "1.3",
    "tags": ["ml-lifecycle"],
    "difficulty": 1,
    "status": "published",
    "guide": ["2026"],
    "case_study": {
        "uid": "imp-case",
        "scenario": "A retailer starts its **first** ML project: {braces}, #hash, a: b.",
    },
    "stem": "Put the phases in order.",
    "items": [
        {"text": "Frame the problem", "rationale": "First: know what to predict."},
        {"text": "Prepare the data", "rationale": "Then the data it needs."},
        {"text": "Train the model", "rationale": "Needs prepared data."},
        {"text": "Deploy and monitor", "rationale": "Last: only an evaluated model ships."},
    ],
    "explanation": "The lifecycle runs from framing to monitoring.",
    "references": [
        "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/machine-learning-lifecycle.html"
    ],
}
MATCHING = {
    "uid": "imp-matching",
    "type": "matching",
    "language": "en",
    "domain": "1",
    "task": "1.3",
    "tags": ["classification-metrics"],
    "difficulty": 3,
    "status": "published",
    "guide": ["2024", "2026"],
    "case_study": {
        "uid": "imp-case",
        "scenario": "A retailer starts its **first** ML project: {braces}, #hash, a: b.",
    },
    "stem": "Match each need with a metric.",
    "pairs": [
        {
            "prompt": "Share of predicted positives that are right",
            "match": "Precision",
            "rationale": "TP / (TP + FP).",
        },
        {"prompt": "Share of actual positives found", "match": "Recall", "rationale": "TP / (TP + FN)."},
        {"prompt": "Balance of the two", "match": "F1 score", "rationale": "Their harmonic mean."},
    ],
    "extra_matches": ["R²", {"match": "BLEU", "rationale": "A translation metric."}],
    "explanation": "Precision, recall and F1 summarise a confusion matrix.",
    "references": ["https://docs.aws.amazon.com/machine-learning/latest/dg/binary-model-insights.html"],
}
ALL_TYPES = [SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, MATCHING]


def bank(*questions) -> bytes:
    return json.dumps({"format": "quizapp-bank", "version": 1, "questions": list(questions)}).encode()


def write(tmp_path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def run_import(*paths, **options):
    return call_command("import_questions", *map(str, paths), **options)


def database_state():
    return (
        sorted(Question.objects.values_list("uid", "language", "type", "status", "stem", "updated_at")),
        sorted(
            Option.objects.values_list("pk", "question_id", "position", "text", "match", "is_correct", "rationale")
        ),
        sorted(Tag.objects.values_list("slug", flat=True)),
        sorted(CaseStudy.objects.values_list("uid", "scenario")),
    )


@pytest.mark.django_db
def test_import_json_creates_questions_with_everything(tmp_path, capsys):
    path = write(tmp_path, "bank.json", bank(*ALL_TYPES))

    run_import(path)

    assert capsys.readouterr().out.strip() == "Imported: 5 created, 0 updated, 0 unchanged."  # published, no drafts
    question = Question.objects.get(uid="imp-matching", language="en")
    assert question.task.code == "1.3"
    assert question.case_study.scenario.startswith("A retailer starts")
    assert sorted(question.guides.values_list("code", flat=True)) == ["2024", "2026"]
    assert list(question.tags.values_list("slug", flat=True)) == ["classification-metrics"]
    assert list(question.options.values_list("position", "text", "match", "rationale")) == [
        (1, "Share of predicted positives that are right", "Precision", "TP / (TP + FP)."),
        (2, "Share of actual positives found", "Recall", "TP / (TP + FN)."),
        (3, "Balance of the two", "F1 score", "Their harmonic mean."),
        (4, "", "R²", ""),
        (5, "", "BLEU", "A translation metric."),
    ]


@pytest.mark.django_db
def test_reimport_is_idempotent(tmp_path, capsys):
    path = write(tmp_path, "bank.json", bank(*ALL_TYPES))
    run_import(path)
    before = database_state()
    capsys.readouterr()

    run_import(path)

    assert capsys.readouterr().out.strip() == "Imported: 0 created, 0 updated, 5 unchanged."
    assert database_state() == before


@pytest.mark.django_db
def test_reimport_updates_by_uid_and_removes_options_no_longer_present(tmp_path, capsys):
    run_import(write(tmp_path, "bank.json", bank(SINGLE, MULTIPLE)))
    kept = Option.objects.get(question__uid="imp-single", text="Amazon Personalize").pk
    changed = copy.deepcopy(SINGLE)
    changed["choices"] = changed["choices"][:2] + [choice("Amazon Lex")]
    changed["stem"] += " It has no ML team."
    capsys.readouterr()

    bank2 = write(tmp_path, "bank2.json", bank(changed, MULTIPLE))
    run_import(bank2)

    assert capsys.readouterr().out.strip().split("\n") == [
        f"updated: imp-single (en) from {bank2}, question 1 (imp-single)",
        "Imported: 0 created, 1 updated, 1 unchanged (updated: imp-single (en)).",
    ]
    question = Question.objects.get(uid="imp-single")
    assert question.stem.endswith("It has no ML team.")
    assert list(question.options.values_list("text", flat=True)) == [
        "Amazon Personalize",
        "Amazon Comprehend",
        "Amazon Lex",
    ]
    assert question.options.get(text="Amazon Personalize").pk == kept
    assert Question.objects.count() == 2


@pytest.mark.django_db
def test_translation_shares_the_uid(tmp_path):
    japanese = copy.deepcopy(SINGLE) | {
        "language": "ja",
        "stem": "ある小売業者は閲覧履歴から商品を推薦したいと考えています。どのサービスを使うべきですか。",
    }

    run_import(write(tmp_path, "bank.json", bank(SINGLE, japanese)))

    assert sorted(Question.objects.filter(uid="imp-single").values_list("language", flat=True)) == ["en", "ja"]


@pytest.mark.django_db
def test_dry_run_checks_and_writes_nothing(tmp_path, capsys):
    path = write(tmp_path, "bank.json", bank(*ALL_TYPES))

    run_import(path, dry_run=True)

    assert capsys.readouterr().out.strip() == "Dry run, nothing written: 5 created, 0 updated, 0 unchanged."
    assert Question.objects.count() == 0
    assert CaseStudy.objects.count() == 0


@pytest.mark.django_db
def test_task_option_sets_the_task_when_the_file_names_none(tmp_path):
    path = write(
        tmp_path, "q.gift", "::gift-task::Which service transcribes calls?{=Amazon Transcribe ~Amazon Polly}\n"
    )

    run_import(path, task="1.2")

    assert Question.objects.get(uid__startswith="gift-task-").task.code == "1.2"


@pytest.mark.django_db
def test_unknown_task_option_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"--task '9\.9' is not a task statement"):
        run_import(write(tmp_path, "q.gift", "x{=a ~b}\n"), task="9.9")


@pytest.mark.django_db
def test_foreign_files_become_drafts_and_reimport_keeps_the_status_set_since(tmp_path):
    path = write(
        tmp_path, "q.gift", "$CATEGORY: top/1.2\n\n::foreign::Which service transcribes calls?{=Transcribe ~Polly}\n"
    )
    run_import(path)
    question = Question.objects.get(uid__startswith="foreign-")
    assert question.status == "draft"
    Question.objects.filter(pk=question.pk).update(status="retired")

    run_import(path)

    assert Question.objects.get(uid__startswith="foreign-").status == "retired"


@pytest.mark.django_db
def test_unsupported_types_are_errors_without_skip(tmp_path, capsys):
    path = FIXTURES / "moodle-sample.gift"

    with pytest.raises(CommandError, match="Nothing imported: 3 error"):
        run_import(path)

    err = capsys.readouterr().err
    assert f"error: {path}, line 61: essay questions are not supported" in err
    assert f"error: {path}, line 63: short answer questions are not supported" in err
    assert f"error: {path}, line 65: numerical questions are not supported" in err
    assert Question.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["moodle-sample.gift", "moodle-sample.xml"])
def test_real_world_samples_import_with_skip_unsupported_and_reimport_unchanged(name, capsys):
    path = FIXTURES / name

    run_import(path, skip_unsupported=True)
    first = capsys.readouterr()
    before = database_state()
    run_import(path, skip_unsupported=True)
    second = capsys.readouterr()

    assert first.out.count("skipped: ") == (3 if name.endswith("gift") else 2)
    assert first.out.strip().endswith("are drafts: candidates see them once published.")
    assert "0 created, 0 updated" in second.out
    assert database_state() == before
    assert Question.objects.filter(status="draft").count() == Question.objects.count() > 0


@pytest.mark.django_db
def test_tag_names_that_are_not_slugs_are_slugified_with_a_warning(capsys):
    run_import(FIXTURES / "moodle-sample.gift", skip_unsupported=True)

    assert "tag 'Computer Vision' is not a slug; using 'computer-vision'." in capsys.readouterr().err
    assert sorted(Question.objects.get(uid="gift-rekognition").tags.values_list("slug", flat=True)) == [
        "aws-ai-services",
        "computer-vision",
    ]


VALID = bank(SINGLE).decode()
VALID_GIFT = "$CATEGORY: top/1.2\n\n::gift-ok::Which service reads text aloud?{=Amazon Polly ~Amazon Lex}\n\n"
VALID_XML_QUESTION = (
    '<question type="multichoice"><name><text>xml-ok</text></name>'
    '<questiontext format="html"><text>Which service reads text aloud?</text></questiontext>'
    '<answer fraction="100"><text>Amazon Polly</text></answer><answer fraction="0"><text>Amazon Lex</text></answer>'
    "</question>"
)


def with_question(**changes):
    return bank(SINGLE, {**copy.deepcopy(MULTIPLE), **changes})


MALFORMED = [
    # native JSON
    ("broken.json", VALID[:-10], "broken.json: line 1 column"),
    (
        "header.json",
        json.dumps({"questions": []}),
        'header.json: not a quizapp bank file (expected {"format": "quizapp-bank", …}).',
    ),
    (
        "version.json",
        json.dumps({"format": "quizapp-bank", "version": 2, "questions": []}),
        "version 2 is not supported",
    ),
    ("task.json", with_question(task="9.9", domain=None), "question 2 (imp-multiple): unknown task statement '9.9'"),
    (
        "type.json",
        with_question(difficulty="hard"),
        "question 2 (imp-multiple): 'difficulty' must be a whole number 1–3, not 'hard'.",
    ),
    ("kind.json", with_question(type="essay"), "question 2 (imp-multiple): unknown question type 'essay'"),
    (
        "twocorrect.json",
        bank({**SINGLE, "choices": [choice("A", True), choice("B", True), choice("C"), choice("D")]}),
        "question 1 (imp-single): A multiple-choice question has exactly one correct option; 2 are marked correct.",
    ),
    (
        "ordering2.json",
        bank(SINGLE, {**ORDERING, "items": ORDERING["items"][:2]}),
        "question 2 (imp-ordering): Ordering questions need at least 3 items; this one has 2.",
    ),
    ("dupe.json", bank(SINGLE, SINGLE), "question 2 (imp-single): uid 'imp-single' (en) is also used by"),
    ("typo.json", with_question(explaination="x"), "question 2 (imp-multiple): unknown field(s) 'explaination'."),
    ("select.json", with_question(select=3), "“Select” is 3 but 2 options are marked correct"),
    (
        "samematch.json",
        bank({**MATCHING, "pairs": [dict(p, match="Precision") for p in MATCHING["pairs"]]}),
        "these matches are used more than once: Precision.",
    ),
    ("noexpl.json", with_question(explanation=""), "Write an explanation of the principle before publishing."),
    ("domain.json", with_question(domain="1"), "task 3.4 belongs to domain 3, not 1."),
    ("guide.json", with_question(guide=["2030"]), "unknown exam guide revision '2030'"),
    (
        "case.json",
        bank(ORDERING, {**MATCHING, "case_study": {"uid": "imp-case", "scenario": "Another scenario."}}),
        "case study 'imp-case' has a different scenario in",
    ),
    (
        "norationale.json",
        bank({**SINGLE, "choices": [choice("A", True), {"text": "B", "correct": False}]}),
        "Option 2 needs a rationale (why it is right or wrong) before publishing.",
    ),
    ("url.json", with_question(references=["not a url"]), "reference 'not a url' is not an http(s) URL."),
    # GIFT
    ("braces.gift", VALID_GIFT + "::bad::Which one{=a ~b\n", "braces.gift, line 5: unbalanced braces"),
    ("pair.gift", VALID_GIFT + "::m::Match.{=a -> 1 =b -> 2 =c}\n", "line 5: matching pair 3 has no '->'"),
    ("essay.gift", VALID_GIFT + "::e::Describe it.{}\n", "line 5: essay questions are not supported"),
    ("notask.gift", "::t::Which service reads aloud?{=Polly ~Lex}\n", "notask.gift, line 1 (t): no task statement"),
    ("weight.gift", VALID_GIFT + "::w::Pick.{~%150%a ~b}\n", "line 5: answer 1 has weight 150%, outside -100…100%."),
    ("name.gift", VALID_GIFT + "::unclosed Which one?{=a ~b}\n", "line 5: the question name starts with '::'"),
    ("two.gift", VALID_GIFT + "::2::Pick {=a ~b} and {=c ~d}.\n", "line 5: more than one answer block"),
    # Moodle XML
    ("broken.xml", "<quiz>" + VALID_XML_QUESTION + "<question>", "broken.xml: line 1 column"),
    (
        "bomb.xml",
        '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><quiz>&b;</quiz>',
        "bomb.xml: the file declares XML entities",
    ),
    ("root.xml", "<questions/>", "root.xml: not a Moodle XML question file (the root element is <questions>"),
    (
        "tf.xml",
        '<quiz><question type="category"><category><text>top/2.2</text></category></question>'
        '<question type="truefalse"><name><text>t</text></name><questiontext><text>x</text></questiontext>'
        '<answer fraction="100"><text>yes</text></answer></question></quiz>',
        "tf.xml, question 2 (line 1): a true/false answer must be 'true' or 'false', not 'yes'.",
    ),
    (
        "fraction.xml",
        '<quiz><question type="category"><category><text>top/2.2</text></category></question>'
        '<question type="multichoice"><name><text>f</text></name><questiontext><text>x</text></questiontext>'
        '<answer fraction="lots"><text>a</text></answer></question></quiz>',
        "answer 1 has fraction 'lots', which is not a number.",
    ),
    (
        "numerical.xml",
        '<quiz><question type="numerical"><name><text>n</text></name></question></quiz>',
        "numerical questions are not supported",
    ),
    # any file
    (
        "latin1.gift",
        "::é::Qu'est-ce?{=oui ~non}".encode("latin-1"),
        "latin1.gift: line 1 column 3: not UTF-8 text (byte 0xe9)",
    ),
    ("bank.csv", "uid,stem\n", "bank.csv: unknown file type"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "expected"), MALFORMED, ids=[case[0] for case in MALFORMED])
def test_malformed_input_is_reported_and_nothing_is_written(tmp_path, capsys, name, content, expected):
    make_single_question(uid="already-here")
    before = database_state()
    path = write(tmp_path, name, content)

    with pytest.raises(CommandError, match="Nothing imported"):
        run_import(path, task=None)

    err = capsys.readouterr().err
    assert expected in err
    assert f"error: {path}" in err
    assert database_state() == before


@pytest.mark.django_db
def test_files_over_the_size_limit_are_refused_before_reading(tmp_path, capsys, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 100
    path = write(tmp_path, "huge.json", bank(*ALL_TYPES))

    with pytest.raises(CommandError):
        run_import(path)

    assert f"{path}: the file is {path.stat().st_size:,} bytes; files over 100 bytes" in capsys.readouterr().err
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_one_bad_file_stops_the_good_ones(tmp_path):
    good = write(tmp_path, "good.json", bank(*ALL_TYPES))
    bad = write(tmp_path, "bad.gift", "::x::{=a")

    with pytest.raises(CommandError):
        run_import(good, bad)

    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="nope.json: cannot read the file"):
        run_import(tmp_path / "nope.json")


def _import_bytes(name: str, data: bytes):
    result = import_sources([Source(name=name, data=data, size=len(data))])
    assert result.errors == []
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "gift", "xml"])
@pytest.mark.parametrize("question", ALL_TYPES, ids=lambda q: q["uid"])
def test_round_trip_every_type_through_every_format(fmt, question):
    _import_bytes("seed.json", bank(question))
    before = export_questions(Question.objects.all(), "json")
    exported = export_questions(Question.objects.all(), fmt)
    Question.objects.all().delete()
    CaseStudy.objects.all().delete()

    _import_bytes(f"exported.{fmt}", exported.encode())

    assert export_questions(Question.objects.all(), "json") == before


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "gift", "xml"])
def test_round_trip_of_a_draft_without_key_keeps_its_type(fmt):
    draft = {**SINGLE, "status": "draft", "choices": [choice("A"), choice("B")]}
    _import_bytes("seed.json", bank(draft))
    before = export_questions(Question.objects.all(), "json")
    exported = export_questions(Question.objects.all(), fmt)
    Question.objects.all().delete()

    _import_bytes(f"exported.{fmt}", exported.encode())

    assert export_questions(Question.objects.all(), "json") == before


@pytest.mark.django_db
def test_export_command_writes_a_file_that_imports_back(tmp_path, capsys):
    _import_bytes("seed.json", bank(*ALL_TYPES))
    out = tmp_path / "out.gift"

    call_command("export_questions", "--format", "gift", "-o", str(out), "--status", "published")

    assert "Wrote 5 questions" in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "::imp-single::[markdown]" in text
    assert "{>4 ALL VERTICAL ALL_OR_NOTHING" in text


@pytest.mark.django_db
def test_export_command_prints_to_stdout(capsys):
    _import_bytes("seed.json", bank(SINGLE))

    call_command("export_questions", "--format", "xml")

    out = capsys.readouterr().out
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert "<idnumber>imp-single</idnumber>" in out


def _bank_dir(tmp_path, *questions):
    directory = tmp_path / "data"
    directory.mkdir(exist_ok=True)
    (directory / "a.json").write_bytes(bank(*questions))
    return directory


@pytest.mark.django_db
def test_load_bank_is_idempotent_and_removes_options_no_longer_present(tmp_path):
    directory = _bank_dir(tmp_path, *ALL_TYPES)
    first = load_bank(directory)
    again = load_bank(directory)
    shorter = copy.deepcopy(MATCHING)
    shorter["extra_matches"] = []
    (directory / "a.json").write_bytes(bank(SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, shorter))

    third = load_bank(directory)

    assert (first.created, again.created, again.updated, again.unchanged) == (5, 0, 0, 5)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 4)
    assert Question.objects.count() == 5
    assert list(Question.objects.get(uid="imp-matching").options.values_list("match", flat=True)) == [
        "Precision",
        "Recall",
        "F1 score",
    ]


@pytest.mark.django_db
def test_load_bank_skips_invalid_questions_with_a_warning_unless_strict(tmp_path):
    broken = {**SINGLE, "uid": "broken", "choices": [choice("A", True), choice("B", True)]}
    directory = _bank_dir(tmp_path, MULTIPLE, broken)

    lenient = load_bank(directory)
    strict = load_bank(directory, strict=True)

    assert (lenient.created, lenient.errors) == (1, [])
    assert any("(broken): A multiple-choice question has exactly one correct option" in w for w in lenient.skipped)
    assert not strict.ok


@pytest.mark.django_db
def test_load_bank_queries_do_not_grow_with_the_bank(tmp_path):
    """Loading 10 or 40 questions, and loading them again unchanged, costs the same queries."""

    def queries_to_load(count: int) -> tuple[list[int], list[tuple[int, int]]]:
        many = [
            dict(copy.deepcopy(SINGLE), uid=f"imp-{count}-{n}", stem=f"{SINGLE['stem']} Case {n}.")
            for n in range(count)
        ]
        (tmp_path / str(count)).mkdir()
        directory = _bank_dir(tmp_path / str(count), *many)
        counts, results = [], []
        for _run in range(2):
            with CaptureQueriesContext(connection) as queries:
                result = load_bank(directory)
            counts.append(len(queries))
            results.append((result.created, result.unchanged))
        return counts, results

    queries_to_load(1)  # the first load of all also reads what is cached from then on
    small, small_results = queries_to_load(10)
    large, large_results = queries_to_load(40)

    assert (small_results, large_results) == ([(10, 0), (0, 10)], [(40, 0), (0, 40)])
    assert large == small
    assert small[0] <= 30 and small[1] <= 13


@pytest.mark.django_db
def test_load_bank_command_prints_counts(capsys):
    call_command("load_bank")

    out = capsys.readouterr().out
    assert out.startswith("Bank: ")
    assert Question.objects.count() > 0
