import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DEBUG": "false",
    "SECRET_KEY": "x7Kq2mV9pL4nR8sT1wY6zB3cF5hJ0dG-aE_uI7oP9kM2nB4vC6xZ8lQ1",
    "ALLOWED_HOSTS": "quiz.example.com",
    "DATABASE_URL": "sqlite:////tmp/quizapp-deploy-check.sqlite3",
}


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bad_boolean_setting_fails_loudly():
    result = run_manage("check", env={**PRODUCTION_ENV, "DEBUG": "maybe"})

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["dashboard", "accounts:login", "accounts:signup", "exams:list", "practice:picker"]
)
def test_csp_header_forbids_inline_and_eval_scripts(client, url_name):
    response = client.get(reverse(url_name))

    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "'self'" in directives["script-src"]
    assert "'nonce-" in directives["script-src"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.django_db
def test_htmx_script_tag_carries_the_request_nonce(client):
    response = client.get(reverse("dashboard"))

    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


@pytest.mark.django_db
def test_security_headers_present(client):
    response = client.get(reverse("dashboard"))

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_debug_is_off_under_test():
    assert settings.DEBUG is False


def test_the_readme_documents_every_setting_read_from_the_environment():
    """Each variable settings.py reads (env…("NAME", …)) appears in README's configuration table."""
    import re

    names = set(re.findall(r'env\w*\(\s*"([A-Z_]+)"', (ROOT / "quizapp" / "settings.py").read_text()))
    names |= set(re.findall(r'os\.getenv\(\s*"([A-Z_]+)"', (ROOT / "quizapp" / "settings.py").read_text()))
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") : readme.index("## Architecture")]

    assert {name for name in names if f"`{name}`" not in table and f"`{name}`(" not in table} == set()
