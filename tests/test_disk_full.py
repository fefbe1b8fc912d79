"""Issue 17: a full disk is a clean refusal, on a real small filesystem.

Each scenario runs in a private mount namespace on a 16 MB tmpfs that the test mounts (`unshare -m` as
root, `unshare -Urm` as an unprivileged user); tests/disk_scenario.py fills it and reports as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def on_small_disk(scenario: str, template, tmp_path) -> dict:
    disk = tmp_path / "disk"
    disk.mkdir()
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) tidak ada: tes disk penuh butuh tmpfs di ruang mount sendiri")
    flags = ["-m"] if os.geteuid() == 0 else ["-Urm"]
    inner = (f"mount -t tmpfs -o size=16m tmpfs '{disk}' && "
             f"exec '{sys.executable}' -m tests.disk_scenario {scenario} '{disk}' '{template}'")
    run = subprocess.run([unshare, *flags, "sh", "-c", inner], cwd=ROOT, capture_output=True, text=True, timeout=300)
    if run.returncode != 0 and "mount" in run.stderr and "permission denied" in run.stderr.lower():
        pytest.skip(f"tmpfs tidak bisa dipasang di sini: {run.stderr.strip()}")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("scenario", ["cli_precheck", "cli_enospc"])
def test_import_on_a_full_disk_is_refused_cleanly(demo_template, tmp_path, scenario):
    report = on_small_disk(scenario, demo_template, tmp_path)
    assert report["exit"] == 3, report                      # database unavailable, not a crash (1)
    assert "Disk server penuh: " in report["stderr"] and " MB tersisa di " in report["stderr"]
    assert "Traceback" not in report["stderr"] and "cannot rollback" not in report["stderr"]
    assert report["after"] == report["before"]              # nothing written, the database opens as before
    assert report["again_exit"] == 0                        # with room again, the same import goes in
    assert report["again"]["batches"] == report["before"]["batches"] + 1


def test_a_checkpoint_that_fails_is_not_confirmed_and_says_where_the_change_is(demo_template, tmp_path):
    report = on_small_disk("checkpoint", demo_template, tmp_path)
    assert report["outcome"] == "refused", report
    assert report["reason"] == "disk_full" and report["committed"] and report["invalid"]
    assert "BELUM dianggap tersimpan" in report["message"] and "Disk server penuh" in report["message"]
    assert "ektp.duckdb.wal" in report["message"]
    # as the message says: the change was in the WAL, and is read back once there is room
    assert report["after"]["audit"] == report["before"]["audit"] + 32000
