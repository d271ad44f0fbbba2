"""The unit tests of the answering modules' pure parts (tests/js/*.test.mjs: the key map, the
seq rule, the rollback state), run by Node's own test runner. Node is required, as Chromium is
for the browser tests: .ci/run installs it on a machine that lacks it."""

import shutil
import subprocess

from tests.quizapp.test_settings import ROOT


def test_javascript_unit_tests_pass():
    node = shutil.which("node")
    assert node, "node not found: install Node.js 20 or newer (Debian: apt-get install nodejs)"
    files = sorted(str(path) for path in (ROOT / "tests/js").glob("*.test.mjs"))
    assert len(files) >= 3

    # The modules are plain .js files with no package.json around them: Node tells them
    # apart from CommonJS by their syntax (the default from Node 22; a flag on Node 20).
    result = subprocess.run(
        [node, "--experimental-detect-module", "--test", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
