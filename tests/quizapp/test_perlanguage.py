"""{% perlanguage %} (quizapp/templatetags/perlanguage.py): markup rendered once per process
and language, then served from memory. What it serves must never depend on anything but the
language and the values given to it: not on the request, the user or the CSRF token."""

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def engine():
    """A fresh engine per test: the memory lives on the compiled template."""
    return Engine(libraries={"perlanguage": "quizapp.templatetags.perlanguage"}, builtins=["django.templatetags.i18n"])


def test_kept_per_language():
    body = '{% translate "Next" %}'
    template = engine().from_string(f"{{% load perlanguage %}}{{% perlanguage %}}{body}{{% endperlanguage %}}")

    with translation.override("en"):
        english = template.render(Context())
    with translation.override("ja"):
        japanese = template.render(Context())
    with translation.override("en"):
        again = template.render(Context())

    assert english == again == "Next"
    assert japanese != english and japanese


def test_kept_per_value_and_nothing_else_reaches_the_body():
    template = engine().from_string(
        "{% load perlanguage %}{% perlanguage mode=mode %}{{ mode }}|{{ secret }}|{{ user }}{% endperlanguage %}"
    )

    first = template.render(Context({"mode": "exam", "secret": "alice's", "user": "alice"}))
    second = template.render(Context({"mode": "practice", "secret": "bob's", "user": "bob"}))
    third = template.render(Context({"mode": "exam", "secret": "bob's", "user": "bob"}))

    assert (first, second, third) == ("exam||", "practice||", "exam||")


def test_values_must_be_plain():
    template = engine().from_string("{% load perlanguage %}{% perlanguage who=user %}x{% endperlanguage %}")

    with pytest.raises(TypeError):
        template.render(Context({"user": UserFactory.build()}))


@pytest.mark.parametrize(
    "body", ["{% csrf_token %}", "{% block x %}{% endblock %}", "{% if 1 %}{% csrf_token %}{% endif %}"]
)
def test_per_person_content_is_refused_at_load(body):
    with pytest.raises(TemplateSyntaxError):
        engine().from_string(f"{{% load perlanguage %}}{{% perlanguage %}}{body}{{% endperlanguage %}}")


def test_only_name_value_arguments():
    with pytest.raises(TemplateSyntaxError):
        engine().from_string("{% load perlanguage %}{% perlanguage mode %}x{% endperlanguage %}")


def test_the_layout_marks_each_section_and_the_staff_link_per_request(client, django_user_model):
    """The header comes from memory, keyed by the section: each page still marks its own."""
    exams, practice = client.get(reverse("exams:list")).text, client.get(reverse("practice:picker")).text

    assert f'<a href="{reverse("exams:list")}" aria-current="page">' in exams
    assert f'<a href="{reverse("practice:picker")}" aria-current="page">' in practice
    assert f'<a href="{reverse("exams:list")}" aria-current="page">' not in practice
    assert reverse("admin:index") not in exams

    client.force_login(UserFactory(is_staff=True))
    assert reverse("admin:index") in client.get(reverse("exams:list")).text


def test_the_layout_in_two_languages_one_after_the_other(client):
    english = client.get(reverse("exams:list")).text
    client.cookies["django_language"] = "ja"
    japanese = client.get(reverse("exams:list")).text
    client.cookies["django_language"] = "en"

    assert "Skip to content" in english and "Skip to content" not in japanese
    assert "Weakness report" in english and "Weakness report" not in japanese
    assert "Skip to content" in client.get(reverse("exams:list")).text


def test_the_request_is_not_in_the_body():
    """Not even for {% url %}: what the body renders cannot depend on who asked."""
    template = engine().from_string("{% load perlanguage %}{% perlanguage %}{{ request.path }}{% endperlanguage %}")
    request = RequestFactory().get("/secret-path/")

    from django.template import RequestContext

    assert template.render(RequestContext(request, {"request": request})) == ""


def test_kept_per_localize_setting(settings):
    """One node renders in a partial alone and under {% localize off %}: both are kept apart."""
    settings.USE_THOUSAND_SEPARATOR = True
    template = engine().from_string("{% load perlanguage %}{% perlanguage n=n %}{{ n }}{% endperlanguage %}")

    with translation.override("en"):
        localized = template.render(Context({"n": 1234}))
        plain = template.render(Context({"n": 1234}, use_l10n=False))
        again = template.render(Context({"n": 1234}))

    assert (localized, plain, again) == ("1,234", "1234", "1,234")
