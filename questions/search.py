"""Search over what a candidate may read of a question: its stem, its case study, its options
(and a matching question's answers, all shown beside the prompts), its tags by name and its
task statement and domain by name, in English or Japanese.

Never the key, the rationales or the explanation: a hit on them would tell a candidate
something about the answer before they gave it.

The query is normalized (NFKC, so full-width "ＲＡＧ" finds "RAG"; whitespace, the
ideographic space included, splits it into terms) and every term must match somewhere.
``icontains`` is plain enough for a bank of a few hundred questions on SQLite and PostgreSQL.
"""

import unicodedata

from django.db.models import Exists, OuterRef, Q
from django.utils import translation

from .models import Language, Option, Question, Tag
from .names import DOMAIN_NAMES, TASK_NAMES
from .tag_names import TAG_NAMES

MAX_QUERY_LENGTH = 60
MAX_TERMS = 6


def normalize(text: str) -> str:
    """The query as it is searched and stored in a practice scope: NFKC, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())[:MAX_QUERY_LENGTH].strip()


def search_terms(text: str) -> list[str]:
    return normalize(text).split()[:MAX_TERMS]


def _names(names: dict) -> dict:
    """Each key's name in every language of the bank, casefolded."""
    found: dict = {}
    for language in Language.values:
        with translation.override(language):
            for key, name in names.items():
                found.setdefault(key, set()).add(str(name).casefold())
    return found


def _matching_tags(term: str) -> list[str]:
    folded = term.casefold()
    slugs = []
    for tag in Tag.objects.only("slug", "name", "name_ja"):
        names = {tag.slug, tag.name, tag.name_ja, *TAG_NAMES.get(tag.slug, ())}
        if any(folded in name.casefold() for name in names if name):
            slugs.append(tag.slug)
    return slugs


def _found(folded: str, names: set[str]) -> bool:
    return any(folded in name for name in names)


def search_filter(text: str) -> Q | None:
    """A filter on Question for ``text``; None when the text has no term (matches nothing)."""
    terms = search_terms(text)
    if not terms:
        return None
    tasks, domains = _names(TASK_NAMES), _names(DOMAIN_NAMES)
    condition = Q()
    for term in terms:
        folded = term.casefold()
        options = Option.objects.filter(question=OuterRef("pk")).filter(
            Q(text__icontains=term) | Q(match__icontains=term)
        )
        tagged = Question.tags.through.objects.filter(tag__slug__in=_matching_tags(term)).values("question_id")
        condition &= (
            Q(stem__icontains=term)
            | Q(case_study__scenario__icontains=term)
            | Exists(options)
            | Q(pk__in=tagged)
            | Q(task__code__in=[code for code, names in tasks.items() if _found(folded, names) or code == term])
            | Q(task__domain__number__in=[number for number, names in domains.items() if _found(folded, names)])
        )
    return condition
