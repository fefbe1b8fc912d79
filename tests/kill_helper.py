"""Run one import and say on stdout when it starts writing (for tests/test_ingest_kill.py)."""

import sys
from pathlib import Path

from ektp_metrics import upload
from ektp_metrics.db import Database


def main() -> None:
    db_path, file_path = sys.argv[1], Path(sys.argv[2])

    def progress(fraction: float, step: str) -> None:
        print(step, flush=True)

    with Database(db_path, create=False) as db:
        # force: the file's 800 days reach far past the demo's last date (EKTP_MAX_JUMP_DAYS), confirmed
        result = upload.ingest(db, file_path.read_bytes(), file_path.name, user="kill", role="admin", progress=progress,
                               force=True)
    print("committed" if result.committed else "refused", flush=True)


if __name__ == "__main__":
    main()
