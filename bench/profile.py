"""Profile the hot requests in-process: ``python -m bench.profile [name ...] [--top N]``.

Runs inside the bench's environment (bench/run.py's variables; DATABASE_URL of a migrated
database with the bank loaded): creates one benchmark candidate (bench.fixtures), then sends
each request through Django's test client with the full middleware stack, and prints the
time per request (the quickest batch: the machine is shared, and it is the figure least
disturbed by others), this process's CPU time per request, the queries one request made,
and (with --top) cProfile's costliest calls. Names: trivial, save, page, fragment, results,
start.
"""

import argparse
import cProfile
import itertools
import os
import pstats
import time
from urllib.parse import urlencode

import django

BATCH = 20


class Request:
    """One hot request as bench/*.lua sends it; ``send()`` checks it was served."""

    def __init__(self, name: str, path: str, *, cookies: dict, form=None, headers: dict | None = None):
        from django.test import Client

        self.name, self.path, self.form = name, path, form
        self.cookies = cookies
        self.client = Client(enforce_csrf_checks=True, headers=headers or {})
        self.client.cookies.load(cookies)

    def send(self):
        if "sessionid" not in self.cookies:  # a new guest every time (bench/start.lua)
            self.client.cookies.pop("sessionid", None)
        if self.form is None:
            response = self.client.get(self.path)
        else:  # a form post as browsers send it
            body = urlencode(self.form())
            response = self.client.post(self.path, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code in (200, 302), (self.name, response.status_code, response.content[:300])


def hot_requests(session: dict) -> list[Request]:
    cookies = dict(part.split("=", 1) for part in session["cookie"].split("; "))
    answer = session["answers"][0]
    seq = itertools.count(1)

    def save_form():
        number = next(seq)
        return {"seq": number, "spent": 1000, "choice": answer["options"][number % len(answer["options"])]}

    htmx = {"HX-Request": "true"}
    csrf = {"X-CSRFToken": session["csrf"]}
    return [
        Request("trivial", "/bench/trivial", cookies=cookies),
        Request("save", answer["path"], cookies=cookies, form=save_form, headers=htmx | csrf),
        Request("page", session["question_path"], cookies=cookies),
        Request("fragment", session["question_path"], cookies=cookies, headers=htmx | {"HX-Target": "question-card"}),
        Request("results", session["results_path"], cookies=cookies),
        Request(
            "start",
            "/exams/aif-c01-full/start/",
            cookies={"csrftoken": cookies["csrftoken"]},
            form=lambda: {"language": "en"},
            headers=csrf,
        ),
    ]


def measure(request: Request, count: int, top: int, only: str) -> None:
    from django.db import connection

    for _ in range(5):
        request.send()
    queries = []

    def log(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Python function calls per request: a count, which other jobs on the machine cannot skew.
    counter = cProfile.Profile()
    with connection.execute_wrapper(log):
        counter.runcall(request.send)
    calls = pstats.Stats(counter).total_calls
    profile = cProfile.Profile() if top else None
    if profile:
        profile.enable()
    batches, cpu = [], time.process_time()
    for _ in range(max(count // BATCH, 1)):
        started = time.perf_counter()
        for _ in range(BATCH):
            request.send()
        batches.append((time.perf_counter() - started) / BATCH * 1000)
    cpu = (time.process_time() - cpu) / (len(batches) * BATCH) * 1000
    if profile:
        profile.disable()
    batches.sort()
    print(
        f"== {request.name}: {batches[0]:.2f} ms per request (best batch; median {batches[len(batches) // 2]:.2f}),"
        f" {cpu:.2f} ms CPU here, {calls} Python calls, {len(queries)} queries"
    )
    for sql in queries:
        print("   ", " ".join(sql.split())[:200])
    if profile:
        restrictions = [only, top] if only else [top]
        pstats.Stats(profile).sort_stats("cumulative").print_stats(*restrictions)
        if not only:
            pstats.Stats(profile).sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--only", default="", help="a regular expression: list only these functions")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from bench.fixtures import make

    for request in hot_requests(make(1)["sessions"][0]):
        if not args.names or request.name in args.names:
            count = args.count if request.name != "start" else max(args.count // 10, BATCH)
            measure(request, count, args.top, args.only)


if __name__ == "__main__":
    main()
