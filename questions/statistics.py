"""Item statistics beside questions and problem reports in the admin, if an app provides them.

``questions`` may not import ``insights``, where the statistics are computed from the
response log, so ``insights`` registers a provider here (e.g. in ``AppConfig.ready``):

    register_item_statistics(provider)

``provider(question_ids)`` returns ``{question_id: stats}`` for the questions that have
any; ``stats`` has ``answered``, ``facility`` (0–1 or None) and ``discrimination``
(-1–1 or None), as ``insights.stats.ItemStats`` does. It is called once per admin page.
"""

from collections.abc import Callable, Iterable
from typing import Any

Provider = Callable[[list[int]], dict[int, Any]]
_providers: list[Provider] = []


def register_item_statistics(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def item_statistics_for(question_ids: Iterable[int]) -> dict[int, Any]:
    question_ids = list(question_ids)
    if not _providers or not question_ids:
        return {}
    return _providers[-1](question_ids)
