"""Big imports from the admin page run beside the request, so no gunicorn worker is held.

A 10 MB Moodle file of short questions takes longer than gunicorn's 30-second timeout
(the ORM writes each of its tens of thousands of rows). Uploads larger than
``QUESTION_IMPORT_BACKGROUND_BYTES`` are therefore imported in a thread of the worker
that received them: the request returns at once with a status page, which reloads
itself until the result is there. The import is one transaction as always, so a job cut
short by a restart wrote nothing; its status file then says so after
``STALE_SECONDS``. Status files live in the default storage (``imports/<token>.json``),
so every worker (and process) on the same ``MEDIA_ROOT`` sees them; the token is random
and the status page is for staff who may import.
"""

import json
import logging
import re
import secrets
import threading
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from .transfer import ImportResult, Source, import_sources

logger = logging.getLogger(__name__)

FOLDER = "imports"
STALE_SECONDS = 30 * 60
TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
# Running jobs of this process, by token (tests wait for them).
threads: dict[str, threading.Thread] = {}


def start(sources: list[Source], **options) -> str:
    """Start importing ``sources`` (``import_sources`` options) and return the job's token."""
    _prune()
    token = secrets.token_urlsafe(16)
    _write(token, {"state": "running", "started": time.time()})
    thread = threading.Thread(target=_run, args=(token, sources, options), name=f"import-{token}", daemon=True)
    threads[token] = thread
    thread.start()
    return token


def _run(token: str, sources: list[Source], options: dict) -> None:
    try:
        result = import_sources(sources, **options)
        _write(token, {"state": "done", "result": _as_dict(result)})
    except Exception:
        logger.exception("Background question import %s failed", token)
        _write(token, {"state": "failed"})
    finally:
        connection.close()
        threads.pop(token, None)


def _as_dict(result: ImportResult) -> dict:
    return {
        "summary": result.summary(),
        "ok": result.ok,
        "dry_run": result.dry_run,
        "errors": result.errors,
        "warnings": result.warnings,
        "skipped": result.skipped,
        "updates": result.updates,
    }


def status(token: str) -> dict | None:
    """The job's state ("running", "done" with its result, "failed", "interrupted"), or None."""
    if not TOKEN.match(token):
        return None
    try:
        with default_storage.open(_path(token), "rb") as file:
            job = json.load(file)
    except FileNotFoundError:
        return None
    if job["state"] == "running" and time.time() - job["started"] > STALE_SECONDS:
        job["state"] = "interrupted"
    return job


def _prune() -> None:
    """Remove the status files of jobs started more than a day ago."""
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    cutoff = time.time() - 24 * 60 * 60
    for name in names:
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path).timestamp() < cutoff:
            default_storage.delete(path)


def _path(token: str) -> str:
    return f"{FOLDER}/{token}.json"


def _write(token: str, job: dict) -> None:
    path = _path(token)
    default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(job).encode()))
