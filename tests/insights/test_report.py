from datetime import timedelta

import pytest

from insights.report import DomainStats, ScopeStats, WeaknessReport, readiness, sort_tags
from tests.factories import AttemptFactory, GuestOwnerFactory, QuestionFactory, TagFactory

from .helpers import NOW, answer

DAY = timedelta(days=1)


def _domains(*results):
    """The five AIF-C01 domains with (correct, answers) in the last 30 days."""
    weights = (20, 24, 28, 14, 14)
    return [
        DomainStats(kind="domain", value=str(n), label=str(n), weight=w, recent_correct=c, recent_answers=a)
        for n, (w, (c, a)) in enumerate(zip(weights, results, strict=True), start=1)
    ]


def test_readiness_weights_domain_estimates_and_propagates_their_uncertainty():
    # Agresti–Coull per domain, p = (c + 1.9208) / (a + 3.8416), var = p(1 - p) / (a + 3.8416):
    # 16/20 → .75166, .007829; 18/24 → .71550, .007311; 21/28 → .71984, .006334;
    # 9/14 → .61210, .013308; 12/14 → .78024, .009610.
    # p = .20·.75166 + .24·.71550 + .28·.71984 + .14·.61210 + .14·.78024 = .718535 → 100 + 900p = 747
    # SE = √(.04·.007829 + .0576·.007311 + .0784·.006334 + .0196·.013308 + .0196·.009610) = .040988
    # range = p ± 1.96·SE = .638198 … .798873 → 674 … 819
    result = readiness(_domains((16, 20), (18, 24), (21, 28), (9, 14), (12, 14)))

    assert (result.score, result.low, result.high) == (747, 674, 819)
    assert result.verdict == "borderline"
    assert result.recent_answers == 100
    assert not result.thin


def test_readiness_counts_an_unpractised_domain_as_unknown():
    # Domain 1: 8/10 → p .716738, var .014668; the others 0/0 → p .5, var .25 / 3.8416 = .065077.
    # p = .2·.716738 + .8·.5 = .543348 → 589; SE = √(.04·.014668 + .1752·.065077) = .109491
    # range .543348 ± .214602 → 396 … 782
    result = readiness(_domains((8, 10), (0, 0), (0, 0), (0, 0), (0, 0)))

    assert (result.score, result.low, result.high) == (589, 396, 782)
    assert result.thin


def test_readiness_clears_700_only_when_the_whole_range_does():
    perfect = readiness(_domains((40, 40), (48, 48), (56, 56), (28, 28), (28, 28)))
    poor = readiness(_domains((4, 20), (5, 24), (6, 28), (3, 14), (3, 14)))

    assert (perfect.score, perfect.low, perfect.high, perfect.verdict) == (961, 937, 985, "pass")
    assert poor.verdict == "fail"


def test_trend_compares_the_last_week_with_before_and_needs_five_answers_each_side():
    rising = ScopeStats(kind="task", value="1.1", label="", answers=15, correct=9, week_answers=5, week_correct=5)
    too_new = ScopeStats(kind="task", value="1.1", label="", answers=8, correct=4, week_answers=4, week_correct=2)

    # last 7 days 5/5 = 100 %, before them 4/10 = 40 % → +60 points
    assert rising.trend == 60
    assert too_new.trend is None


def test_weakest_first_pulls_few_answers_towards_half():
    one_miss = ScopeStats(kind="tag", value="a", label="a", answers=1, recent_answers=1, recent_correct=0)
    steady = ScopeStats(kind="tag", value="b", label="b", answers=30, recent_answers=30, recent_correct=10)
    unseen = ScopeStats(kind="tag", value="c", label="c")

    # 0/1 → (0 + 1.92) / 4.84 = .40; 10/30 → 11.92 / 33.84 = .35
    assert sorted([unseen, one_miss, steady], key=lambda s: s.weakness_key) == [steady, one_miss, unseen]


def test_sort_tags_by_accuracy_both_ways():
    low = ScopeStats(kind="tag", value="low", label="low", answers=4, correct=1)
    high = ScopeStats(kind="tag", value="high", label="high", answers=2, correct=2)

    assert sort_tags([high, low], "accuracy") == [low, high]
    assert sort_tags([low, high], "-accuracy") == [high, low]
    assert sort_tags([high, low], "answers") == [low, high]
    assert sort_tags([high, low], "weakest") == [low, high]


@pytest.fixture
def practised():
    """An owner's answers on task 1.1: 1/4 forty days ago, 3/6 ten days ago, 5/5 two days ago."""
    owner = GuestOwnerFactory()
    tag = TagFactory(slug="sagemaker")
    for days, correct, wrong in ((40, 1, 3), (10, 3, 3), (2, 5, 0)):
        for index in range(correct + wrong):
            question = QuestionFactory(task=_task("1.1"))
            question.tags.add(tag)
            answer(question, owner=owner, correct=index < correct, at=NOW - days * DAY)
    return owner


def _task(code):
    from questions.models import TaskStatement

    return TaskStatement.objects.get(code=code)


@pytest.mark.django_db
def test_report_counts_accuracy_recent_accuracy_and_trend_per_task(practised):
    report = WeaknessReport(practised.pk, now=NOW)

    task = report.tasks[0]
    assert (task.value, task.questions, task.answers, task.correct) == ("1.1", 15, 15, 9)
    assert task.accuracy == pytest.approx(9 / 15)
    assert task.recent_accuracy == pytest.approx(8 / 11)
    assert task.trend == 60
    assert not task.thin


@pytest.mark.django_db
def test_report_sums_tasks_into_their_domain_and_lists_unpractised_ones(practised):
    answer(QuestionFactory(task=_task("1.3")), owner=practised, correct=False, at=NOW)

    report = WeaknessReport(practised.pk, now=NOW)

    fundamentals = report.domains[0]
    assert [(t.value, t.answers) for t in fundamentals.tasks] == [("1.1", 15), ("1.2", 0), ("1.3", 1)]
    assert (fundamentals.answers, fundamentals.correct, fundamentals.recent_answers) == (16, 9, 12)
    assert [d.answers for d in report.domains[1:]] == [0, 0, 0, 0]
    assert report.tasks[2].thin


@pytest.mark.django_db
def test_report_counts_a_question_once_across_its_languages():
    owner = GuestOwnerFactory()
    answer(QuestionFactory(uid="shared", language="en"), owner=owner, correct=False, at=NOW - DAY)
    answer(QuestionFactory(uid="shared", language="ja"), owner=owner, correct=True, at=NOW)

    task = WeaknessReport(owner.pk, now=NOW).tasks[0]

    assert (task.questions, task.answers, task.correct) == (1, 2, 1)


@pytest.mark.django_db
def test_report_per_tag(practised):
    other = TagFactory(slug="bedrock")
    question = QuestionFactory()
    question.tags.add(other)
    answer(question, owner=practised, correct=True, at=NOW)

    tags = WeaknessReport(practised.pk, now=NOW, tag_order="accuracy").tags

    assert [(t.value, t.answers, t.correct) for t in tags] == [("sagemaker", 15, 9), ("bedrock", 1, 1)]


@pytest.mark.django_db
def test_report_leaves_out_running_mocks_and_other_owners(practised):
    mock = AttemptFactory(owner=practised, mode="exam", status="in_progress", started_at=NOW)
    answer(QuestionFactory(), owner=practised, correct=False, at=NOW, attempt=mock)
    answer(QuestionFactory(), owner=GuestOwnerFactory(), correct=False, at=NOW)

    report = WeaknessReport(practised.pk, now=NOW)

    assert report.answers == 15


@pytest.mark.django_db
def test_report_readiness_from_the_last_30_days(practised):
    readiness = WeaknessReport(practised.pk, now=NOW).readiness

    # Domain 1: 8/11 recent → p = 9.9208 / 14.8416 = .668445, var .014933; the others .5, var .065077.
    # p = .2·.668445 + .4 = .533689 → 580; SE = √(.04·.014933 + .1752·.065077) = .109539
    # range .533689 ± .214697 → 387 … 774
    assert (readiness.score, readiness.low, readiness.high) == (580, 387, 774)
    assert readiness.recent_answers == 11


@pytest.mark.django_db
def test_report_without_recent_answers_has_no_readiness():
    owner = GuestOwnerFactory()
    answer(QuestionFactory(), owner=owner, correct=True, at=NOW - 31 * DAY)

    assert WeaknessReport(owner.pk, now=NOW).readiness is None


@pytest.mark.django_db
def test_report_mock_history_oldest_first():
    owner = GuestOwnerFactory()
    for days, score in ((9, 640), (5, 700), (1, 760)):
        AttemptFactory(
            owner=owner,
            mode="exam",
            status="submitted",
            started_at=NOW - days * DAY,
            submitted_at=NOW - days * DAY,
            scaled_score=score,
        )
    AttemptFactory(owner=owner, mode="exam", status="in_progress", started_at=NOW)

    mocks = WeaknessReport(owner.pk, now=NOW).mocks

    assert [m.scaled_score for m in mocks] == [640, 700, 760]


@pytest.mark.django_db
def test_report_for_a_visitor_is_empty_and_lists_the_exam_outline(django_assert_num_queries):
    report = WeaknessReport(None, now=NOW)

    with django_assert_num_queries(1):
        assert [len(d.tasks) for d in report.domains] == [3, 3, 4, 2, 2]
        assert (report.answers, report.readiness, report.tags, report.mocks) == (0, None, [], [])
        assert report.queue.today == []
