"""The Nu HTML checker (vnu.jar) finds no errors on the main pages.

CI installs a pinned vnu.jar from npm into node_modules (see .ci/run); without it the
check fails under CI=true and is skipped elsewhere. htmx's ``hx-*`` attributes are not
HTML and are the only messages filtered out.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.main_pages import PAGE_NAMES, build_pages

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"))
INSTALL = "npm install --no-save --no-package-lock --ignore-scripts vnu-jar@26.9.27"
HTMX_ATTRIBUTE = re.compile(r"Attribute “(data-)?hx-[a-z-:]+” not allowed")
# Markup that Django itself writes, not our templates: the admin's autocomplete select
# (select2) starts with an empty placeholder <option>.
DJANGO_ADMIN_MARKUP = {("admin question form", "Element “option” without attribute “label” must not be empty.")}


def _require_checker():
    missing = [what for what, there in (("vnu.jar", VNU_JAR.is_file()), ("java", shutil.which("java"))) if not there]
    if not missing:
        return
    message = f"Nu HTML checker needs {' and '.join(missing)} ({VNU_JAR}); install with: {INSTALL}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def check_html(files: list[Path]) -> list[dict]:
    """vnu's error messages for ``files``, htmx attributes aside."""
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        message
        for message in messages
        if message["type"] in ("error", "non-document-error") and not HTMX_ATTRIBUTE.search(message["message"])
    ]


@pytest.mark.django_db
def test_main_pages_are_valid_html(tmp_path):
    _require_checker()
    user = UserFactory(is_staff=True, is_superuser=True)
    scene = build_pages(user)
    clients = {"candidate": Client(), "staff": Client(), "anonymous": Client()}
    clients["candidate"].force_login(user)
    clients["staff"].force_login(user)
    files = {}

    def save(name, response, status=200):
        assert response.status_code == status, (name, response.status_code)
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[path.as_uri().removeprefix("file://")] = name

    for page in scene.pages:
        save(page.name, clients[page.who].get(page.url))
    assert sorted(files.values()) == sorted(PAGE_NAMES)
    # The account forms again, showing their errors (error lists must not break the markup).
    save("sign up with errors", Client().post(reverse("accounts:signup"), {"username": "", "password1": "1"}))
    save("log in with errors", Client().post(reverse("accounts:login"), {"username": "x", "password": "y"}))
    save("password change", clients["candidate"].get(reverse("accounts:password_change")))

    errors = check_html(list(tmp_path.iterdir()))

    report = []
    for error in errors:
        name = files.get(error["url"].removeprefix("file:"), error["url"])
        if (name, error["message"]) not in DJANGO_ADMIN_MARKUP:
            report.append(f"{name}:{error.get('lastLine')}: {error['message']}")
    assert not report, "\n".join(report)


def test_checker_reports_real_errors_and_ignores_only_htmx_attributes(tmp_path):
    """The filter must not hide real errors: a page with both keeps exactly the real one."""
    _require_checker()
    page = tmp_path / "page.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        '<body><main hx-get="/x" data-hx-post="/y"><p><div>block in p</div></p></main></body></html>'
    )

    errors = check_html([page])

    assert errors and all("hx-" not in error["message"] for error in errors)
