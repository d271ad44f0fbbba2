"""The answering modules in production (static/js/answering/, loaded as <script type="module">).

collectstatic, run as the Docker build runs it, must give every module a hashed name and
rewrite each relative import to the hashed name of the module it means; whitenoise must serve
each of them as JavaScript, cached for good. A browser resolves an import against the URL of
the file importing it, so following the imports from main.js's URL is what a browser does.
"""

import json
import posixpath
import re
from urllib.parse import urljoin

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage

from tests.quizapp.test_settings import PRODUCTION_ENV, ROOT, run_manage

IMPORT = re.compile(r'^import\s[^;]*?\sfrom\s+"([^"]+)";', re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    result = run_manage("collectstatic", "--no-input", env={**PRODUCTION_ENV, "STATIC_ROOT": str(root)})
    assert result.returncode == 0, result.stderr
    return root


def test_every_module_import_names_the_hashed_module_it_means(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    sources = sorted(f"js/answering/{path.name}" for path in (ROOT / "static/js/answering").glob("*.js"))
    assert "js/answering/main.js" in sources

    for name in sources:
        hashed = manifest[name]
        assert re.fullmatch(re.escape(name[: -len(".js")]) + r"\.[0-9a-f]{12}\.js", hashed), hashed
        wanted = IMPORT.findall((ROOT / "static" / name).read_text())
        served = IMPORT.findall((collected / hashed).read_text())
        assert len(served) == len(wanted), name
        for module, url in zip(wanted, served, strict=True):
            meant = posixpath.normpath(posixpath.join(posixpath.dirname(name), module))
            assert posixpath.normpath(posixpath.join(posixpath.dirname(hashed), url)) == manifest[meant], (name, url)


def test_whitenoise_serves_main_and_everything_it_imports_as_javascript_cached_for_good(collected, settings, client):
    settings.STATIC_ROOT = collected
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "quizapp.storage.StaticFilesStorage"}}
    entry = staticfiles_storage.url("js/answering/main.js")
    assert re.fullmatch(r"/static/js/answering/main\.[0-9a-f]{12}\.js", entry)

    pending, served = [entry], set()
    while pending:
        url = pending.pop()
        if url in served:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"].split(";")[0] == "text/javascript", url
        assert "immutable" in response.headers["Cache-Control"], url
        served.add(url)
        pending += [urljoin(url, module) for module in IMPORT.findall(b"".join(response.streaming_content).decode())]

    modules = {path.name for path in (ROOT / "static/js/answering").glob("*.js")}
    assert {re.sub(r"\.[0-9a-f]{12}\.js$", ".js", posixpath.basename(url)) for url in served} == modules
