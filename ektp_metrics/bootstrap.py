"""Creating a database: schema, the region list, the published reference figures, optionally the demo."""

from __future__ import annotations

from pathlib import Path

from ektp_metrics import demo, reference, regions
from ektp_metrics.db import Database, audit


class AlreadyInitialised(Exception):
    pass


def init_database(path: Path, *, with_demo: bool = False, force: bool = False,
                  region_list: Path = regions.DEFAULT_REGION_LIST) -> Database:
    """Create (or with force=True re-create) the database at `path` and return it open.

    An existing database holding data is never overwritten without force=True.
    """
    path = Path(path)
    if path.exists():
        if not force:
            raise AlreadyInitialised(f"Database {path} sudah ada; pakai --force untuk membuat ulang "
                                     f"(isinya akan hilang).")
        # Open it first: a database held by another process (the running app) raises DatabaseUnavailable
        # here instead of being unlinked under that process's feet.
        Database(path, create=False).close()
        path.unlink()
        wal = path.with_name(path.name + ".wal")
        if wal.exists():
            wal.unlink()
    db = Database(path)
    try:
        frame = regions.read_region_list(region_list)
        with db.transaction() as cur:
            count = regions.install_regions(cur, frame)
            audit(cur, "sistem", "wilayah_dimuat", str(region_list.name), f"{count} kelurahan")
        reference.install_reference_figures(db)
        if with_demo:
            solo = frame[["kode_kelurahan", "kelurahan", "kode_kecamatan", "kecamatan"]]
            demo.install(db, demo.generate(solo))
        with db.cursor() as cur:
            cur.execute("CHECKPOINT")
    except BaseException:
        db.close()
        raise
    return db
