"""Creating a database: schema, the region list, the published reference figures, optionally the demo."""

from __future__ import annotations

import os
from pathlib import Path

from ektp_metrics import auth, demo, reference, regions
from ektp_metrics.db import Database, audit


class AlreadyInitialised(Exception):
    pass


def check_target(path: Path, *, force: bool = False) -> None:
    """Refuse an existing database unless force=True (AlreadyInitialised), and one in use by another
    process (DatabaseUnavailable): `init` asks this before it asks for a password."""
    path = Path(path)
    if path.exists():
        if not force:
            raise AlreadyInitialised(f"Database {path} sudah ada; pakai --force untuk membuat ulang "
                                     f"(isinya akan hilang).")
        Database(path, create=False).close()   # raises DatabaseUnavailable when in use


def init_database(path: Path, *, with_demo: bool = False, force: bool = False,
                  region_list: Path = regions.DEFAULT_REGION_LIST, with_reference: bool | None = None,
                  admin: tuple[str, str] | None = None) -> Database:
    """Create (or with force=True re-create) the database at `path` and return it open.

    The new database is built beside the target and moved into place only when complete, so an
    interrupted init leaves no half-built file. An existing database is never replaced without
    force=True, nor while another process (the running app) holds it.

    admin: (user name, password) of the first admin account, created with the database (`init` without
    --demo: a production database never has a known password); check it first (auth.check_new_account).
    """
    path = Path(path)
    check_target(path, force=force)
    building = path.with_name(path.name + ".dibangun")
    for stale in (building, building.with_name(building.name + ".wal")):
        if stale.exists():
            stale.unlink()
    db = Database(building)
    try:
        # The published figures are Solo's: they come with the Solo list only (unless asked for).
        _fill(db, region_list, with_demo,
              region_list == regions.DEFAULT_REGION_LIST if with_reference is None else with_reference)
        if admin is not None:
            auth.PasswordStore(db).add(admin[0], admin[0], "admin", admin[1], by="sistem")
    except BaseException:
        db.close()
        building.unlink(missing_ok=True)
        raise
    db.close()   # closing checkpoints: the file is complete, with no WAL beside it
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        wal.unlink()
    os.replace(building, path)
    return Database(path, create=False)


def _fill(db: Database, region_list: Path, with_demo: bool, with_reference: bool = True) -> None:
    """Regions, published figures and optionally the demo, each in its own transaction."""
    frame = regions.read_region_list(region_list)
    with db.transaction() as cur:
        count = regions.install_regions(cur, frame)
        audit(cur, "sistem", "wilayah_dimuat", str(region_list.name), f"{count} kelurahan")
    if with_reference:
        reference.install_reference_figures(db)
    if with_demo:
        solo = frame[["kode_kelurahan", "kelurahan", "kode_kecamatan", "kecamatan"]]
        demo.install(db, demo.generate(solo))
        store = auth.PasswordStore(db)
        for username, name, role, password in demo.DEMO_ACCOUNTS:
            store.add(username, name, role, password, by=demo.DEMO_USER)
