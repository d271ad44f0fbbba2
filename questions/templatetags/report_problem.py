from django import template

from questions.models import ProblemReport

register = template.Library()


@register.simple_tag
def report_reasons():
    """The reasons a candidate can give, for the report form include (which gets only a uid)."""
    return ProblemReport.Reason.choices
