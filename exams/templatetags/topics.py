"""Where a question sits in the exam guide, by name: "Domain 3: … · Task 3.1: …".

A snapshot keeps the domain number and task code only; the names come from
``questions.names`` in the interface language, so feedback reads as the exam guide does.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from questions.names import DOMAIN_NAMES, TASK_NAMES

register = template.Library()


@register.simple_tag
def topic(snapshot: dict) -> dict[str, str]:
    """``{"domain": "Domain 3: Applications of Foundation Models", "task": "Task 3.1: …"}``."""
    number, code = snapshot.get("domain"), snapshot.get("task", "")
    domain = _("Domain %(number)s") % {"number": number}
    if number in DOMAIN_NAMES:
        domain = _("Domain %(number)s: %(name)s") % {"number": number, "name": DOMAIN_NAMES[number]}
    task = _("Task %(value)s") % {"value": code}
    if code in TASK_NAMES:
        task = _("Task %(code)s: %(name)s") % {"code": code, "name": TASK_NAMES[code]}
    return {"domain": domain, "task": task}


def topic_html(snapshot: dict) -> str:
    """The topic line (exams/includes/topic.html), escaped: also drawn by ``{% review_heading %}``."""
    where = topic(snapshot)
    return (
        f'<p class="topic muted"><span class="visually-hidden">{escape(_("Exam guide:"))} </span>'
        f'{escape(where["domain"])} <span aria-hidden="true">·</span> {escape(where["task"])}</p>'
    )


@register.simple_tag
def topic_line(snapshot: dict) -> SafeString:
    """``<p class="topic muted">…</p>``: the question's domain and task statement, by name."""
    return mark_safe(topic_html(snapshot))  # noqa: S308 -- escaped in topic_html
