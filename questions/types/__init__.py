"""The question types, one module each, registered here: the one place that lists them.

``get(value)`` gives the type of a question (``question.type``, ``snapshot["type"]``,
``QuestionData.type``); ``all()`` every registered type in order; ``choices()`` feeds the
``Question.type`` field. Adding a type is its module, a line below, its template partial
(``templates/includes/question_types/<value>.html``) and its translations: README.md,
"Adding a question type".
"""

from .base import Answer, AnswerError, Problem, QuestionType
from .matching import Matching
from .multiple import Multiple
from .ordering import Ordering
from .single import Single

__all__ = [
    "Answer",
    "AnswerError",
    "Problem",
    "QuestionType",
    "UnknownType",
    "all",
    "choices",
    "get",
    "moodle_reader",
    "register",
    "unregister",
    "values",
]

_REGISTRY: dict[str, QuestionType] = {}


class UnknownType(LookupError):
    pass


def register(question_type: QuestionType) -> QuestionType:
    if question_type.value in _REGISTRY:
        raise ValueError(f"question type {question_type.value!r} is registered already")
    _REGISTRY[question_type.value] = question_type
    return question_type


def unregister(value: str) -> None:
    """Remove a type (tests register a toy type and take it away again)."""
    del _REGISTRY[value]


def get(value: str) -> QuestionType:
    try:
        return _REGISTRY[value]
    except KeyError:
        raise UnknownType(value) from None


def all() -> list[QuestionType]:  # noqa: A001 -- the registry's own name, read as types.all()
    return list(_REGISTRY.values())


def values() -> list[str]:
    return list(_REGISTRY)


def moodle_reader(moodle_type: str) -> QuestionType | None:
    """The type that reads Moodle XML questions of ``moodle_type`` ("multichoice"), if any."""
    return next((t for t in _REGISTRY.values() if moodle_type in t.moodle_reads), None)


def choices() -> list[tuple[str, str]]:
    """The ``Question.type`` choices: a callable, so a new type needs no migration."""
    return [(question_type.value, question_type.label) for question_type in _REGISTRY.values()]


register(Single())
register(Multiple())
register(Ordering())
register(Matching())
