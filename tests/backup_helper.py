"""Take one backup and stop at a named point of it, saying so on stdout (tests/test_backup.py kills it there).

    python -m tests.backup_helper DB FOLDER copied|renamed
"""

import sys
import time
from pathlib import Path

from ektp_metrics import backup
from ektp_metrics.db import Database


def main() -> None:
    db_path, folder, stop_at = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

    def pause(point: str) -> None:
        if point == stop_at:
            print(point, flush=True)
            time.sleep(600)   # killed here

    with Database(db_path, create=False) as db:
        backup.take(db, folder, by="uji", pause=pause)
    print("done", flush=True)


if __name__ == "__main__":
    main()
