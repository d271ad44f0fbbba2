"""Benchmark settings: production settings plus one trivial view to compare against."""

from quizapp.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
