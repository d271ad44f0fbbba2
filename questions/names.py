"""The exam guide's domain and task-statement names, translatable.

Migration 0002 seeds them in English; pages show them through ``Domain.display_name`` and
``TaskStatement.display_name``, which look them up here by number or code so that they follow
the interface language (the Japanese wording is the Japanese AIF-C01 exam guide's). A domain
or task that is not listed shows its stored name.
"""

from django.utils.translation import gettext_lazy as _

DOMAIN_NAMES = {
    1: _("Fundamentals of AI and ML"),
    2: _("Fundamentals of Generative AI"),
    3: _("Applications of Foundation Models"),
    4: _("Guidelines for Responsible AI"),
    5: _("Security, Compliance, and Governance for AI Solutions"),
}

TASK_NAMES = {
    "1.1": _("Explain basic AI concepts and terminologies"),
    "1.2": _("Identify practical use cases for AI"),
    "1.3": _("Describe the ML development lifecycle"),
    "2.1": _("Explain the basic concepts of generative AI"),
    "2.2": _("Understand the capabilities and limitations of generative AI for solving business problems"),
    "2.3": _("Describe AWS infrastructure and technologies for building generative AI applications"),
    "3.1": _("Describe design considerations for applications that use foundation models"),
    "3.2": _("Choose effective prompt engineering techniques"),
    "3.3": _("Describe the training and fine-tuning process for foundation models"),
    "3.4": _("Describe methods to evaluate foundation model performance"),
    "4.1": _("Explain the development of AI systems that are responsible"),
    "4.2": _("Recognize the importance of transparent and explainable models"),
    "5.1": _("Explain methods to secure AI systems"),
    "5.2": _("Recognize governance and compliance regulations for AI systems"),
}


def domain_name(number: int, stored: str) -> str:
    """The name of domain ``number`` in the active language (``stored`` if it has no translation)."""
    return str(DOMAIN_NAMES.get(number, stored))


def task_name(code: str, stored: str) -> str:
    """The name of task statement ``code`` in the active language (``stored`` if it has no translation)."""
    return str(TASK_NAMES.get(code, stored))
