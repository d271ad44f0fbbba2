from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import Owner
from questions import statistics
from questions.models import ProblemReport
from tests.factories import (
    GuestOwnerFactory,
    OwnerFactory,
    ProblemReportFactory,
    UserFactory,
    make_single_question,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("window_start")]

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "report-q-report"}


@pytest.fixture
def question(db):
    return make_single_question(uid="q-report")


def url(uid="q-report"):
    return reverse("questions:report_problem", args=[uid])


def post(client, data=None, **headers):
    return client.post(
        url(), {"reason": "wrong_answer", "comment": "Key looks wrong.", "language": "en"} | (data or {}), **headers
    )


def test_guest_reports_a_problem_with_htmx(client, question):
    response = post(client, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="report-q-report"' in html
    assert "Thanks — reported. An author will look at it." in html
    assert "<html" not in html and "site-header" not in html
    report = ProblemReport.objects.get()
    assert (report.question, report.reason, report.comment, report.status) == (
        question,
        "wrong_answer",
        "Key looks wrong.",
        "open",
    )
    assert report.owner.is_guest
    assert client.session["owner"][0] == report.owner_id


def test_report_without_javascript_redirects_back_with_a_message(client, question):
    response = post(client, {"next": "/practice/"})

    assert response.status_code == 302
    assert response["Location"] == "/practice/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Thanks — reported. An author will look at it."]
    assert ProblemReport.objects.count() == 1


def test_report_never_redirects_off_site(client, question):
    response = post(client, {"next": "https://evil.example/"})

    assert response["Location"] == f"{url()}?language=en"


def test_account_reports_belong_to_its_owner(client, question):
    user = UserFactory()
    client.force_login(user)

    post(client, **HTMX)

    assert ProblemReport.objects.get().owner == Owner.objects.get(user=user)


def test_second_open_report_on_the_same_question_is_refused(client, question):
    post(client, **HTMX)

    response = post(client, {"reason": "typo", "comment": "Another thing"}, **HTMX)

    assert (
        "You have already reported a problem with this question; an author will look at it."
        in response.content.decode()
    )
    assert ProblemReport.objects.count() == 1
    assert ProblemReport.objects.get().reason == "wrong_answer"


def test_second_report_without_javascript_is_refused_with_a_message(client, question):
    post(client)

    response = post(client, {"next": "/"})

    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "You have already reported a problem with this question; an author will look at it."
    )
    assert ProblemReport.objects.count() == 1


def test_a_new_report_is_allowed_once_the_old_one_is_resolved(client, question):
    post(client, **HTMX)
    ProblemReport.objects.update(status="fixed")

    post(client, **HTMX)

    assert list(ProblemReport.objects.order_by("pk").values_list("status", flat=True)) == ["fixed", "open"]


def test_missing_reason_re_renders_the_form_with_the_error(client, question):
    response = post(client, {"reason": ""}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose what is wrong." in html
    assert "<details open>" in html
    assert not ProblemReport.objects.exists()


def test_html_in_the_comment_is_refused(client, question):
    response = post(client, {"comment": 'Look <a href="x">here</a>'}, **HTMX)

    assert "Write plain text: HTML is not allowed." in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_comment_longer_than_1000_characters_is_refused(client, question):
    response = post(client, {"comment": "x" * 1001}, **HTMX)

    assert "Ensure this value has at most 1000 characters (it has 1001)." in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_unknown_reason_is_refused(client, question):
    response = post(client, {"reason": "spam"}, **HTMX)

    assert "Select a valid choice." in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_reports_are_rate_limited(client, settings, db):
    settings.PROBLEM_REPORT_RATE = (2, 3600)
    uids = [make_single_question().uid for _ in range(3)]
    # From a new address each time: the limit is the reporter's, not the address's.
    for n, uid in enumerate(uids[:2]):
        assert client.post(url(uid), {"reason": "typo"}, REMOTE_ADDR=f"203.0.113.{n}", **HTMX).status_code == 200

    response = client.post(url(uids[2]), {"reason": "typo"}, REMOTE_ADDR="203.0.113.2", **HTMX)
    neighbour = Client().post(url(uids[2]), {"reason": "typo"}, REMOTE_ADDR="203.0.113.2", **HTMX)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many reports from you in the last hour" in response.content.decode()
    assert neighbour.status_code == 200
    assert ProblemReport.objects.count() == 3


def test_unknown_question_is_404(client, db):
    assert client.post(url("no-such-question"), {"reason": "typo"}).status_code == 404


def test_report_uses_the_language_version_the_candidate_saw(client, question):
    japanese = make_single_question(uid="q-report", language="ja")

    post(client, {"language": "ja"}, **HTMX)

    assert ProblemReport.objects.get().question == japanese


def test_get_shows_the_form_page(client, question):
    response = client.get(url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Report a problem</h1>" in html
    assert question.stem in html
    assert "js/report.js" in html
    assert f'action="{url()}"' in html


def test_include_renders_a_closed_disclosure_with_the_form(rf: RequestFactory, question):
    template = engines["django"].from_string(
        '{% include "questions/includes/report_problem.html" with question_uid="q-report" question_language="en" %}'
    )
    request = rf.get("/practice/session/1/")

    html = template.render({}, request)

    assert "<details >" in html or "<details>" in html
    assert '<summary id="report-q-report-summary">Report a problem</summary>' in html
    assert f'hx-post="{url()}"' in html
    assert 'hx-target="#report-q-report"' in html
    assert 'name="next" value="/practice/session/1/"' in html
    assert 'value="outdated"' in html


def test_a_lazy_include_renders_only_the_toggle_which_loads_the_open_form(client, rf: RequestFactory, question):
    template = engines["django"].from_string(
        '{% include "questions/includes/report_problem.html" with question_uid="q-report" question_language="en" '
        "lazy=True %}"
    )
    html = template.render({}, rf.get("/exams/attempts/7/results/"))
    loaded = client.get(url(), {"language": "en", "next": "/exams/attempts/7/results/", "open": "1"}, **HTMX).text

    assert "<form" not in html
    assert f'hx-get="{url()}?language=en&amp;next=/exams/attempts/7/results/&amp;open=1"' in html
    assert 'hx-trigger="toggle once"' in html
    # Without JS the toggle's link opens the report page.
    assert f'<a href="{url()}?language=en&amp;next=/exams/attempts/7/results/">' in html
    # What it loads: the block, open, with the form; the summary keeps its id, so focus stays.
    assert loaded.lstrip().startswith('<div class="report-problem" id="report-q-report">')
    assert "<details open>" in loaded
    assert 'name="next" value="/exams/attempts/7/results/"' in loaded
    assert '<summary id="report-q-report-summary">' in loaded


def test_guest_merge_keeps_one_open_report_per_question(db):
    question = make_single_question()
    other = make_single_question()
    guest = GuestOwnerFactory()
    account = OwnerFactory()
    ProblemReportFactory(question=question, owner=account, comment="Mine.")
    ProblemReportFactory(question=question, owner=guest, comment="From my phone.")
    ProblemReportFactory(question=other, owner=guest, reason="typo")
    ProblemReportFactory(question=question, owner=guest, status="fixed")

    guest.merge_into(account)

    assert sorted(ProblemReport.objects.values_list("question_id", "status", "owner_id")) == sorted(
        [(question.pk, "open", account.pk), (other.pk, "open", account.pk), (question.pk, "fixed", account.pk)]
    )
    assert ProblemReport.objects.get(question=question, status="open").comment == "Mine.\n\nFrom my phone."


def test_guest_report_moves_to_the_account_on_log_in(client, question):
    post(client, **HTMX)
    user = UserFactory(username="ada")

    client.post(reverse("accounts:login"), {"username": "ada", "password": "correct horse battery staple"})

    assert ProblemReport.objects.get().owner.user == user


def test_purged_guest_leaves_the_report_for_the_authors(db):
    report = ProblemReportFactory()

    report.owner.delete()

    report.refresh_from_db()
    assert report.owner is None


# --- admin -----------------------------------------------------------------------------

REPORTS = reverse("admin:questions_problemreport_changelist")


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "open"}, ["typo-open", "wrong-open"]),
        ({"reason__exact": "typo"}, ["typo-fixed", "typo-open"]),
    ],
)
def test_admin_filters_reports_by_status_and_reason(staff_client, query, expected, db):
    for uid, reason, status in [
        ("typo-open", "typo", "open"),
        ("typo-fixed", "typo", "fixed"),
        ("wrong-open", "wrong_answer", "open"),
    ]:
        ProblemReportFactory(question=make_single_question(uid=uid), reason=reason, status=status)

    response = staff_client.get(REPORTS, query)

    assert sorted(report.question.uid for report in response.context["cl"].result_list) == expected


def test_admin_report_list_links_to_the_question(staff_client, db):
    report = ProblemReportFactory(comment="The key is B")

    html = staff_client.get(REPORTS).content.decode()

    assert reverse("admin:questions_question_change", args=[report.question_id]) in html
    assert reverse("admin:questions_question_preview", args=[report.question_id]) in html
    assert "The key is B" in html


def test_admin_bulk_resolves_reports_with_a_note(staff_client, db):
    first, second = ProblemReportFactory(), ProblemReportFactory()
    selected = {"action": "resolve", "_selected_action": [first.pk, second.pk]}

    confirm = staff_client.post(REPORTS, selected)
    response = staff_client.post(
        REPORTS, selected | {"apply": "1", "status": "fixed", "note": "Key corrected."}, follow=True
    )

    assert "Resolve as" in confirm.content.decode()
    assert "Resolved 2 reports." in [str(m) for m in response.context["messages"]]
    assert set(ProblemReport.objects.values_list("status", "resolution")) == {("fixed", "Key corrected.")}
    assert ProblemReport.objects.filter(resolved_at__isnull=False, resolved_by__isnull=False).count() == 2


def test_admin_resolve_needs_a_note(staff_client, db):
    report = ProblemReportFactory()

    response = staff_client.post(
        REPORTS, {"action": "resolve", "_selected_action": [report.pk], "apply": "1", "status": "rejected", "note": ""}
    )

    assert "This field is required." in response.content.decode()
    assert ProblemReport.objects.get().status == "open"


def test_candidates_cannot_see_reports_in_the_admin(client, db):
    ProblemReportFactory()
    client.force_login(UserFactory())

    response = client.get(REPORTS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@dataclass
class Stats:
    answered: int
    facility: float | None
    discrimination: float | None


@pytest.fixture
def statistics_provider():
    saved = list(statistics._providers)
    statistics._providers.clear()
    calls = []

    def provider(question_ids):
        calls.append(sorted(question_ids))
        return {question_id: Stats(40, 0.55, 0.31) for question_id in question_ids}

    statistics.register_item_statistics(provider)
    yield calls
    statistics._providers[:] = saved


def test_item_statistics_are_shown_beside_reports_and_questions(staff_client, statistics_provider, db):
    report = ProblemReportFactory()

    reports_html = staff_client.get(REPORTS).content.decode()
    questions_html = staff_client.get(reverse("admin:questions_question_changelist")).content.decode()

    assert "40 answered · facility 0.55 · discrimination 0.31" in reports_html
    assert "0.55" in questions_html and "0.31" in questions_html
    assert statistics_provider == [[report.question_id], [report.question_id]]
