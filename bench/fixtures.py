"""Create what the HTTP benchmarks need and print it as JSON (run inside the bench's DB env).

For each load thread: a guest session with an in-progress full mock (its single-answer
items and their options, for the answer-save POST), plus one submitted mock for the
results page. Sessions are written straight into the session store, so the load tool
only has to send the cookies.
"""

import json
import os
import sys

import django


def make(threads: int) -> dict:
    """Create ``threads`` benchmark candidates (Django must be set up)."""
    from importlib import import_module

    from django.conf import settings
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import Owner
    from accounts.owners import SESSION_KEY
    from exams import attempts
    from exams.models import Blueprint
    from exams.tokens import tokens_for

    blueprint = Blueprint.objects.get(slug="aif-c01-full")
    now = timezone.now()
    sessions = []
    for index in range(threads):
        owner = Owner.objects.create(guest_token=get_random_string(43))
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = [owner.pk, None]
        store.create()
        csrf = get_random_string(32)
        done = attempts.start_exam(owner.pk, blueprint, now=now)
        for item in done.items.all():
            first = item.snapshot["options"][0]["id"]
            answer = {"single": [first], "multiple": [first], "ordering": [r["id"] for r in item.snapshot["options"]]}
            attempts.record_answer(
                item, answer=answer.get(item.snapshot["type"], {}), seq=1, confidence="", now=now, time_spent_ms=60_000
            )
        attempts.submit_attempt(done, now=now)
        attempt = attempts.start_exam(owner.pk, blueprint, now=now)
        singles = [item for item in attempt.items.order_by("position") if item.snapshot["type"] == "single"]
        sessions.append(
            {
                "cookie": f"sessionid={store.session_key}; csrftoken={csrf}",
                "csrf": csrf,
                "answers": [
                    {
                        "path": f"/exams/attempts/{attempt.pk}/{item.position}/answer/",
                        # What the page names the options by (exams.tokens), as a browser would post.
                        "options": [tokens_for(item).token_for(row["id"]) for row in item.snapshot["options"]],
                    }
                    for item in singles
                ],
                "question_path": f"/exams/attempts/{attempt.pk}/{singles[0].position}/",
                "results_path": f"/exams/attempts/{done.pk}/results/",
            }
        )
        print(f"fixture {index + 1}/{threads} ready", file=sys.stderr)
    return {"sessions": sessions}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    json.dump(make(int(sys.argv[1]) if len(sys.argv) > 1 else 2), sys.stdout)
