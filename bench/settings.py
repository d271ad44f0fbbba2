"""Benchmark settings: production settings plus one trivial view to compare against."""

import os

from quizapp.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# bench/run.py and bench/profile.py compare session stores: BENCH_SESSION_ENGINE=… overrides it.
SESSION_ENGINE = os.environ.get("BENCH_SESSION_ENGINE", SESSION_ENGINE)  # noqa: F405
