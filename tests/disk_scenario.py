"""Runs inside a private mount namespace on a small tmpfs (tests/test_disk_full.py): fills the disk, tries a
write, and reports on stdout, as JSON, what happened and what the database holds afterwards. The tmpfs
vanishes with the process, so every check of the files is made here.

    python -m tests.disk_scenario SCENARIO DISK DEMO_TEMPLATE
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ektp_metrics import upload_templates
from ektp_metrics.db import Database, WriteRefused


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk, then give `leave` bytes back."""
    filler = disk / "pengisi"
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
        try:
            while True:
                out.write(b"\0" * 512)
        except OSError:
            pass
    os.truncate(filler, max(filler.stat().st_size - leave, 0))
    return filler


def state(path: Path) -> dict:
    with Database(path, create=False) as db:
        return {"batches": db.fetch_one("SELECT count(*) FROM batches")[0],
                "audit": db.fetch_one("SELECT count(*) FROM audit_log")[0]}


def main() -> None:
    scenario, disk, template = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    path = disk / "ektp.duckdb"
    shutil.copyfile(template, path)
    report: dict = {"before": state(path)}
    if scenario in ("cli_precheck", "cli_enospc"):
        # `import` of a small schedule, as in the issue: the real CLI in its own process
        fill(disk, leave=0 if scenario == "cli_enospc" else 2 * 1024 * 1024)
        env = {**os.environ, "EKTP_DB": str(path)}
        if scenario == "cli_enospc":
            env["EKTP_MIN_FREE_MB"] = "0"   # no check beforehand: the commit itself meets the full disk
        run = subprocess.run([sys.executable, "-m", "ektp_metrics", "import", str(upload_templates.example_path("jadwal")),
                              "--user", "uji"], capture_output=True, text=True, env=env)
        report |= {"exit": run.returncode, "stdout": run.stdout, "stderr": run.stderr}
        (disk / "pengisi").unlink()
        report["after"] = state(path)
        env["EKTP_MIN_FREE_MB"] = "1"   # the tmpfs is small: room enough for a schedule
        ok = subprocess.run([sys.executable, "-m", "ektp_metrics", "import", str(upload_templates.example_path("jadwal")),
                             "--user", "uji"], capture_output=True, text=True, env=env)
        report["again_exit"] = ok.returncode
        report["again"] = state(path)
    elif scenario == "checkpoint":
        # The commit goes into the WAL; then the disk fills (another program writing, say) before the
        # checkpoint moves the change into the file: not confirmed, and the message says where it is.
        os.environ["EKTP_MIN_FREE_MB"] = "0"
        db = Database(path, create=False)

        class FillAfterCommit:
            def __init__(self, real):
                self.real = real

            def __getattr__(self, name):
                return getattr(self.real, name)

            def commit(self):
                self.real.commit()
                fill(disk, leave=0)

        real = db.cursor()
        try:
            with db.transaction(FillAfterCommit(real)) as cur:   # ≈ 4 MB: more than the file's free blocks
                cur.execute("""INSERT INTO audit_log (user_name, action, object, detail)
                               SELECT 'uji', 'isi', 'x', md5(i::VARCHAR) || md5((i + 1)::VARCHAR)
                                      || md5((i + 2)::VARCHAR) || md5((i + 3)::VARCHAR)
                               FROM range(32000) t(i)""")
            report["outcome"] = "confirmed"
        except WriteRefused as exc:
            report |= {"outcome": "refused", "reason": exc.reason, "committed": exc.committed,
                       "message": exc.message(), "invalid": db.invalid}
        real.close()
        db.close()
        (disk / "pengisi").unlink()
        report["after"] = state(path)   # reopened with room: the WAL is read back in
    print(json.dumps(report))


if __name__ == "__main__":
    main()
