"""The bundled AIF-C01 bank (questions/data/*.json) against the rules of issues 4 and 19 a program can check."""

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


@pytest.fixture(scope="module")
def japanese(bank):
    questions, _errors = bank
    return [q for q in questions if q.language == "ja" and q.status == "published"]


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


def test_at_least_450_published_english_questions_each_with_a_japanese_edition(english, japanese):
    # Seven full 65-question mocks without repeating a scored question (issue 19).
    assert len(english) >= 450
    assert sorted(q.uid for q in japanese) == sorted(q.uid for q in english)


def test_domain_shares_follow_the_exam_weights(english):
    counts = Counter(domain_of(q) for q in english)

    shares = {domain: round(100 * counts[domain] / len(english), 1) for domain in WEIGHTS}

    assert {d: abs(shares[d] - weight) <= 3 for d, weight in WEIGHTS.items()} == dict.fromkeys(WEIGHTS, True), shares


def test_domain_given_in_a_file_matches_its_task(english):
    assert [q.uid for q in english if q.domain and q.domain != domain_of(q)] == []


def test_every_task_statement_has_at_least_25_questions(english):
    counts = Counter(q.task for q in english)

    assert {task: counts[task] >= 25 for task in TASKS} == dict.fromkeys(TASKS, True), counts


def test_at_least_18_percent_multiple_response_with_5_options(english):
    multiple = [q for q in english if q.type == "multiple" and len(q.options) >= 5]

    assert len(multiple) / len(english) >= 0.18


def test_at_least_25_ordering_questions_with_3_to_5_items(english):
    ordering = [q for q in english if q.type == "ordering"]

    assert len(ordering) >= 25
    assert [q.uid for q in ordering if not 3 <= len(q.options) <= 5] == []


def test_at_least_30_matching_questions_with_3_to_7_prompts(english):
    matching = [q for q in english if q.type == "matching"]

    assert len(matching) >= 30
    assert [q.uid for q in matching if not 3 <= len(q.prompts) <= 7] == []


def test_single_answer_questions_have_four_options(english):
    assert [q.uid for q in english if q.type == "single" and len(q.options) != 4] == []


def test_at_least_10_case_studies_with_2_to_4_questions_each(english):
    cases = defaultdict(list)
    for question in english:
        if question.case_study:
            cases[question.case_study.uid].append(question)

    assert len(cases) >= 10
    assert {uid: len(qs) for uid, qs in cases.items() if not 2 <= len(qs) <= 4} == {}
    assert [uid for uid, qs in cases.items() if len({q.case_study.scenario for q in qs}) != 1] == []


def test_every_seed_concept_is_tagged_on_at_least_3_questions(english):
    counts = Counter(tag for q in english for tag in q.tags or [])

    assert {tag: counts[tag] for tag in concept_tags() if counts[tag] < 3} == {}


def test_at_least_60_questions_cover_the_2026_guide_only(english):
    assert sum(1 for q in english if q.guides == ["2026"]) >= 60


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


# --- Concepts counted in the text a candidate reads (issue 19 §2) --------------------------------

# Per concept of seed-concepts.md, the phrases that show a question really is about it; tags alone
# do not count. Case-insensitive unless the pattern starts with (?-i) (metric abbreviations).
CONCEPT_TEXT = {
    "aws-ai-services": r"Amazon (Rekognition|Personalize|Textract|Comprehend|Polly|Lex|Translate|Transcribe|Macie)",
    "a2i": r"Augmented AI|\bA2I\b",
    "feature-store": r"Feature Store|feature group",
    "sagemaker-inference": r"(real-time|serverless|asynchronous) (inference|endpoint)|batch transform",
    "sagemaker-tiers": r"SageMaker (Canvas|JumpStart|Studio)|\bJumpStart\b",
    "provisioned-throughput": r"Provisioned Throughput",
    "bedrock-agents": (
        r"Bedrock Agents|\bagents?\b.{0,80}\b(tools?|APIs?|action groups?)\b|AgentCore|Model Context Protocol"
    ),
    "bedrock-customization": r"fine-tun|continued pre-?training|distillation",
    "rag": r"retrieval[- ]augmented generation|\bRAG\b|knowledge bases?",
    "prompt-engineering": r"(zero|one|few)-shot|chain[- ]of[- ]thought|prompt template|negative prompt|system prompt",
    "genai-metrics": r"\bROUGE\b|\bBLEU\b|BERTScore|LLM-as-a-judge|human evaluation",
    "tokens": r"\btokens?\b|context window|\bchunk",
    "inference-parameters": r"temperature|\btop[- ][kp]\b|stop sequence|max(imum)? (output )?tokens",
    "llm-limitations": r"hallucinat|nondetermin|non-determin|arithmetic|next[- ]token",
    "regression-metrics": r"(?-i:\bMAE\b|\bMSE\b|\bRMSE\b|R²)|mean (absolute|squared) error",
    "classification-metrics": r"\bprecision\b|\brecall\b|(?-i:\bF1\b|\bAUC\b)|log loss|confusion matrix",
    "inference-latency": r"latency",
    "sagemaker-builtin-algorithms": r"IP Insights|K-Means|(?-i:\bPCA\b)|Random Cut Forest|XGBoost|LightGBM|CatBoost",
    "kmeans-vs-knn": r"k-means|k-NN|k-nearest|nearest neighbo",
    "learning-types": r"(un|self-|semi-)?supervised learning|reinforcement learning|(?-i:\bRLHF\b)",
    "gradient-descent": r"gradient descent|learning rate",
    "overfitting": r"overfit|underfit|early stopping|validation (set|data|split)",
    "sagemaker-responsible-ai": r"Clarify|Model Monitor|Model Cards?",
    "bedrock-guardrails": r"guardrail",
    "ai-security": r"(?-i:\bIAM\b|\bKMS\b)|PrivateLink|VPC endpoint|shared responsibility|prompt injection",
    "ai-governance": (
        r"CloudTrail|AWS Config|Inspector|Audit Manager|AWS Artifact|Trusted Advisor|data residency|retention|lineage"
    ),
}
# Parts of a concept that were thin before issue 19 and that the notes single out.
CONCEPT_FACETS = {
    "one-shot prompting": r"one-shot",
    "few-shot prompting": r"few-shot",
    "MSE": r"(?-i:\bMSE\b)|mean squared error",
    "RMSE": r"(?-i:\bRMSE\b)",
    "R²": r"R²",
    "log loss": r"log loss",
    "F1": r"(?-i:\bF1\b)",
    "serverless inference": r"serverless inference|serverless endpoint",
    "asynchronous inference": r"asynchronous inference|asynchronous endpoint",
    "batch transform": r"batch transform",
    "IP Insights": r"IP Insights",
    "Random Cut Forest": r"Random Cut Forest",
    "continued pre-training": r"continued pre-?training",
    "distillation": r"distillation|distill",
    "ROUGE": r"\bROUGE\b",
    "BLEU": r"\bBLEU\b",
    "BERTScore": r"BERTScore",
    "LLM-as-a-judge": r"LLM-as-a-judge",
    "top-p": r"\btop[- ]p\b",
    "Kendra": r"Kendra",
    "Macie": r"Macie",
    "Model Context Protocol": r"Model Context Protocol|\bMCP\b",
}


def question_text(question) -> str:
    """What a candidate reads: stem, options (both sides of a pair) and the explanation."""
    parts = [question.stem, question.explanation]
    parts += [part for option in question.options for part in (option.text, option.match)]
    return "\n".join(parts)


def questions_mentioning(pattern: str, questions) -> int:
    compiled = re.compile(pattern, re.IGNORECASE)
    return sum(1 for q in questions if compiled.search(question_text(q)))


def test_every_seed_concept_has_text_patterns():
    assert [tag for tag in concept_tags() if tag not in CONCEPT_TEXT] == []


def test_every_seed_concept_is_in_the_text_of_at_least_3_questions(english):
    counts = {tag: questions_mentioning(pattern, english) for tag, pattern in CONCEPT_TEXT.items()}

    assert {tag: count for tag, count in counts.items() if count < 3} == {}


def test_every_singled_out_facet_is_in_the_text_of_at_least_3_questions(english):
    counts = {facet: questions_mentioning(pattern, english) for facet, pattern in CONCEPT_FACETS.items()}

    assert {facet: count for facet, count in counts.items() if count < 3} == {}


# --- No test-taking cues (issue 19 §3) -------------------------------------------------------------


def choices(question):
    return [option for option in question.options if option.text]


def key_is_strictly_longest(question) -> bool:
    keys = [len(o.text) for o in choices(question) if o.correct]
    others = [len(o.text) for o in choices(question) if not o.correct]
    return min(keys) > max(others)


def longest_key_share(questions, kind: str) -> float:
    """Share of ``kind`` items whose correct options are exactly the longest ones."""
    items = [q for q in questions if q.type == kind]
    return sum(1 for q in items if key_is_strictly_longest(q)) / len(items)


def test_single_choice_key_is_the_longest_option_in_at_most_30_percent(english):
    # Chance is 25 %; a bank where the longest option wins far more often teaches a trick.
    assert longest_key_share(english, "single") <= 0.30


def test_multiple_response_keys_are_not_systematically_the_longest(english):
    # The share of items whose k correct options are exactly the k longest (chance is 10-20 %).
    assert longest_key_share(english, "multiple") <= 0.35


# Absolutes that make a distractor wrong on its face. "always-on" (an instance kind) is no absolute.
ABSOLUTE = re.compile(
    r"100\s?%|\bguarantee[sd]?\b|\balways\b(?!-on)|\bnever\b|\bcompletely\b|\bentirely\b"
    r"|\beliminat\w* (all|every|any)\b|\bfree of (all )?bias\b|\bno (human )?review\b|\bperfect(ly)?\b",
    re.IGNORECASE,
)
# Wrong options that keep such a word because it is not a cue: quoted settings and instructions, or
# the exact misconception the item tests. uid -> (words of the option, reason).
ABSOLUTE_ALLOWED = {
    "d3a-prompt-injection-mitigations": ("never to reveal", "quotes a system-prompt instruction a team would write"),
    "d3a-system-prompt-secret-exposure": ("Never reveal", "quotes a system-prompt instruction a team would write"),
    "d3b-cpt-why-no-labels-needed": ("never change", "describes retrieval correctly; wrong only as an answer"),
    "d4-automated-reasoning-detect-mode-findings": ("never for model", "a precise (false) claim on findings"),
    "d5x-agentcore-identity-scope-credential-provider": ("never to request", "quotes a system-prompt instruction"),
    "d5-case-immutable-prompt-records": ("Never expire", "the name of the CloudWatch Logs retention setting"),
}


def test_no_distractor_is_wrong_because_of_an_absolute(english):
    found = [
        (q.uid, option.text)
        for q in english
        if q.type in ("single", "multiple")
        for option in choices(q)
        if not option.correct and ABSOLUTE.search(option.text)
        if not (q.uid in ABSOLUTE_ALLOWED and ABSOLUTE_ALLOWED[q.uid][0] in option.text)
    ]

    assert found == []


# Words of six letters or more that are too common in this bank to point at an answer.
GENERIC_WORDS = {
    "amazon", "bedrock", "sagemaker", "service", "model", "system", "customer", "company", "companie", "application",
    "prompt", "training", "inference", "should", "without", "within", "between", "because", "before", "during",
    "through", "across", "against", "further", "option", "answer", "question", "following", "select", "choose",
}  # fmt: skip


def distinctive_words(text: str) -> set[str]:
    words = {word.lower() for word in re.findall(r"[A-Za-z]{6,}", text)}
    # A crude singular, so that "instances" in a key matches "instance" in the stem (GENERIC_WORDS is in
    # the same form).
    return {word[:-1] if word.endswith("s") and not word.endswith("ss") else word for word in words} - GENERIC_WORDS


def stem_words_only_in_the_key(question) -> set[str]:
    stem = distinctive_words(question.stem)
    keys = [distinctive_words(o.text) for o in choices(question) if o.correct]
    distractors = set().union(*(distinctive_words(o.text) for o in choices(question) if not o.correct))
    # In multiple response a word is a cue when every correct option repeats it.
    return (stem & set.intersection(*keys)) - distractors


# Items where a stem word shared only with the key is not a cue. uid -> reason.
STEM_KEY_ALLOWED = {
    "d2-q-business-enterprise-assistant": "the stem lists every service the options name; the key is a name",
    "d3a-negative-prompt-sofa-images": "the stem names both prompt fields; the options choose between them",
    "d4-interpretable-model-tax-audit-rules": "the stem names both candidate models; the options choose between them",
    "d3b-case-skyline-choose-distillation": "stem 'response time', key logged 'responses': other meaning",
    "d5-privatelink-bedrock-from-private-subnets": "the endpoint is named after the API the stem calls",
    "d5-model-registry-approval-gate": "every option is a registry practice; 'register' is no hint",
    # Issue 19 §4: an item keyed on a service closed to new customers says the company already uses it.
    "d4-clarify-pretraining-age-imbalance": "names the closed services the firm already uses",
    "d4-model-monitor-bias-drift-credit-limit": "names the closed service the lender already uses (existing customer)",
    "d3b-label-finetune-data-ground-truth": "names the closed services the company already uses",
}


def test_the_stem_shares_no_distinctive_word_with_the_key_alone(english):
    found = {
        q.uid: sorted(words)
        for q in english
        if q.type in ("single", "multiple") and q.uid not in STEM_KEY_ALLOWED
        for words in [stem_words_only_in_the_key(q)]
        if words
    }

    assert found == {}


def test_stem_key_allow_list_names_only_items_that_need_it(english):
    by_uid = {q.uid: q for q in english}

    assert [uid for uid in STEM_KEY_ALLOWED if uid not in by_uid or not stem_words_only_in_the_key(by_uid[uid])] == []


# --- Current facts (issue 19 §4) ---------------------------------------------------------------------

# Services closed to new customers (AWS documentation, checked December 2026).
CLOSED_TO_NEW_CUSTOMERS = {
    "SageMaker Ground Truth": r"Ground Truth",
    "Amazon A2I": r"Augmented AI|\bA2I\b",
    "SageMaker Clarify": r"\bClarify\b",
    "SageMaker Model Monitor": r"Model Monitor",
    "Amazon Q Business": r"Q Business",
    "Amazon Kendra": r"Kendra",
    "Amazon Fraud Detector": r"Fraud Detector",
    "AWS Audit Manager": r"Audit Manager",
    "Amazon Bedrock Agents (Classic)": r"Bedrock Agents|Agents for Amazon Bedrock|\baction groups?\b",
}


def key_text(question) -> str:
    if question.type == "ordering":
        return "\n".join(o.text for o in question.options)
    if question.type == "matching":
        # Extra matches (no prompt) are distractors.
        return "\n".join(o.match for o in question.options if o.text)
    return "\n".join(o.text for o in question.options if o.correct)


def test_items_keyed_on_a_closed_service_say_the_company_is_an_existing_customer(english):
    keyed = [
        q for q in english if any(re.search(pattern, key_text(q)) for pattern in CLOSED_TO_NEW_CUSTOMERS.values())
    ]

    def situation(question):
        # A matching item may say it in the prompt that names the closed service's job.
        prompts = " ".join(o.text for o in question.options) if question.type == "matching" else ""
        return " ".join([question.stem, question.case_study.scenario or "" if question.case_study else "", prompts])

    existing = re.compile(r"\bexisting\b|\balready\b|\bhas used\b", re.IGNORECASE)

    assert [q.uid for q in keyed if not existing.search(situation(q))] == []
    assert [q.uid for q in keyed if "new customers" not in q.explanation] == []


def test_custom_models_are_not_said_to_need_provisioned_throughput(english):
    # Custom models of supported base models (Amazon Nova...) can also be deployed on demand.
    wrong = re.compile(
        r"usually Provisioned Throughput|most custom(ized)? (Bedrock )?models|standard way to serve a custom",
        re.IGNORECASE,
    )

    def text(question):
        return question_text(question) + " ".join(option.rationale for option in question.options)

    assert [q.uid for q in english if wrong.search(text(q))] == []


BRITISH = re.compile(
    r"\b\w*(behaviour|optimis(e|ed|es|ing|ation)|organis(e|ed|es|ing|ation)|labell(ed|ing)|modell(ed|ing)|memoris"
    r"|colour|favour|catalogue|licence|centre|judgement|cancell(ed|ing)|recognis|summaris|minimis|maximis|prioritis"
    r"|utilis|normalis|categoris|standardis|customis|visualis|anonymis|tokenis|neighbour|defence|artefact|practis)\w*",
    re.IGNORECASE,
)


def test_english_items_use_us_spelling(english):
    def text(question):
        return question_text(question) + " ".join(option.rationale for option in question.options)

    found = {q.uid: sorted({m.group(0) for m in BRITISH.finditer(text(q))}) for q in english}

    assert {uid: words for uid, words in found.items() if words} == {}


# --- The Japanese edition's terms (issue 19 §5) ------------------------------------------------------

# 事例 means a case-study scenario, so training examples are サンプル; one term per concept; no あなた
# (AWS Japan's documentation does not address the reader); half-width brackets as in AWS Japan's docs.
JAPANESE_AVOID = re.compile(r"事例|あなた|レビュアー|レビュワー|類似性検索|類似検索|制御性|可制御性|[（）]")


def test_japanese_items_use_the_agreed_terms(japanese):
    def text(question):
        return question_text(question) + " ".join(option.rationale for option in question.options)

    assert {q.uid: JAPANESE_AVOID.findall(text(q)) for q in japanese if JAPANESE_AVOID.search(text(q))} == {}
