from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Owner
from exams.models import Attempt, Response
from insights.report import WeaknessReport
from tests.factories import make_multiple_question, make_single_question

from .helpers import NOW


@pytest.fixture
def bank():
    for _ in range(60):
        make_single_question()
    for _ in range(6):
        make_multiple_question()


@pytest.mark.django_db
def test_generate_responses_fills_the_log_in_bulk(bank):
    out = StringIO()

    call_command("generate_responses", responses=400, owners=4, days=10, stdout=out)

    assert Response.objects.count() == 400
    assert Owner.objects.filter(user__isnull=True).count() == 4
    assert "400 answers" in out.getvalue()
    scored = Attempt.objects.filter(mode="exam")
    assert all(100 <= attempt.scaled_score <= 1000 for attempt in scored)
    owner = Owner.objects.first()
    assert WeaknessReport(owner.pk, now=NOW).answers == 100


@pytest.mark.django_db
def test_generate_responses_needs_a_bank():
    make_single_question()

    with pytest.raises(CommandError, match="run load_bank first"):
        call_command("generate_responses", responses=10, owners=1)


@pytest.mark.django_db
def test_bench_report_times_the_report_for_the_busiest_owner(bank):
    call_command("generate_responses", responses=120, owners=2, days=5, stdout=StringIO())
    out = StringIO()

    call_command("bench_report", runs=1, stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].endswith("with 60 answers, 1 runs")
    assert [line.split("median")[0].strip() for line in lines[1:]] == [
        "report, warm",
        "dashboard, warm",
        "report, cold",
        "planning figures",
    ]
