"""Answers as a candidate's page would post them.

Pages name options by the attempt item's opaque tokens (``exams.tokens``), never by id.
Tests that know an answer in option ids (the stored shape, e.g. ``snapshot["key"]``) turn
it into those form fields here, with the same ``token_for`` the pages are rendered with.
"""

from exams.tokens import MATCH, OPTION, ItemTokens, tokens_for


def snapshot_tokens(snapshot: dict, item_id: int = 1) -> ItemTokens:
    """Tokens for a bare snapshot (no attempt item), as if it were item ``item_id``."""
    return ItemTokens(
        item_id, [row["id"] for row in snapshot["options"]], [row["id"] for row in snapshot.get("matches", [])]
    )


def fields(snapshot: dict, answer, tokens: ItemTokens) -> dict[str, list[str]]:
    """The form fields that post ``answer`` (option ids) to the question of ``snapshot``."""
    if snapshot["type"] == "matching":
        return {
            f"match-{tokens.token_for(int(prompt))}": [tokens.token_for(match, MATCH)]
            for prompt, match in answer.items()
        }
    name = "order" if snapshot["type"] == "ordering" else "choice"
    return {name: [tokens.token_for(option_id) for option_id in answer]}


def item_fields(item, answer) -> dict[str, list[str]]:
    """``fields`` for an attempt item (its own tokens)."""
    return fields(item.snapshot, answer, tokens_for(item))


def token(item, option_id, role: str = OPTION) -> str:
    """The token that names ``option_id`` on ``item``'s page."""
    return tokens_for(item).token_for(option_id, role)
