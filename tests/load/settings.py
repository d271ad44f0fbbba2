"""Settings of the gunicorn servers the load and fault tests start: production settings.

The one difference is the one the whole suite makes (tests/conftest.py): static files are
served as they are, because the hashed manifest names need a ``collectstatic`` run.
"""

from quizapp.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
