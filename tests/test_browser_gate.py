"""Browser tests skip without Chromium locally, and fail in CI (EKTP_REQUIRE_BROWSER=1)."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def run_e2e(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_e2e.py",
         "-k", "test_ringkasan_url_path_and_language_switch"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "EKTP_CHROMIUM": "/nonexistent/chromium", **env})


def test_without_chromium_browser_tests_skip_locally():
    result = run_e2e(EKTP_REQUIRE_BROWSER="0")
    assert result.returncode == 0 and "1 skipped" in result.stdout, result.stdout
    assert "Chromium tidak ditemukan" in result.stdout


def test_without_chromium_browser_tests_fail_in_ci():
    result = run_e2e(EKTP_REQUIRE_BROWSER="1")
    assert result.returncode == 1 and "EKTP_REQUIRE_BROWSER=1" in result.stdout, result.stdout
