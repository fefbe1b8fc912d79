"""Plain helpers several test modules use (fixtures live in conftest.py): a rotten database file, a small
national region list with a day of counts, the CLI in a subprocess, a central (SIAK) recap file."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from ektp_metrics import cli, metrics, upload
from ektp_metrics.db import Database
from tests.conftest import ROOT


def rot(path: Path, table: str | None) -> None:
    """Overwrite the file's header (table None) or a data block of `table` with garbage."""
    if table is None:
        offset = 0
    else:
        with duckdb.connect(str(path), read_only=True) as con:
            block = con.execute(f"SELECT min(block_id) FROM pragma_storage_info('{table}') WHERE block_id >= 0").fetchone()[0]
            size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
        offset = 3 * 4096 + int(block) * int(size) + 512   # three file headers, then the blocks
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(os.urandom(4096))


DAY = dt.date(2013, 10, 25)




def make_national(folder, nama: str | None = None):
    """2 provinsi × 2 kabupaten × 2 kecamatan × 30 desa (240), wajib 1.000 each, one day of counts.
    `nama`: the list's name (regions --nama); without it the whole is "Seluruh wilayah"."""
    lines = ["kode_kelurahan,kelurahan,kode_kecamatan,kecamatan,kota,provinsi,wajib_ktp"]
    daily = ["tanggal;kode_kelurahan;rekam;distribusi"]
    for p in (33, 35):
        for k in (1, 2):
            for c in (1, 2):
                for d in range(1, 31):
                    kode = f"{p}.{k:02d}.{c:02d}.{2000 + d}"
                    lines.append(f"{kode},Desa {p}{k}{c}{d},{p}.{k:02d}.{c:02d},Kec {p}{k}{c},Kab {p}{k},Prov {p},1000")
                    daily.append(f"24/10/2013;{kode};{(d * 7 + p) % 100 + 5};{d % 5}")
    src = folder / "nasional.csv"
    src.write_text("\n".join(lines) + "\n")
    path = folder / "nasional.duckdb"
    assert cli.main(["regions", str(src), "--db", str(path), "--berlaku", "2013-01-01",
                     *(["--nama", nama] if nama else [])]) == 0
    with Database(path, create=False) as db:
        result = upload.ingest(db, ("\n".join(daily) + "\n").encode(), "harian.csv", user="bench", role="admin", today=DAY)
        assert result.committed, result.problems
    return path


ADMIN_PASSWORD = {"EKTP_PASSWORD": "sandi-admin-dinas"}   # `init` without --demo creates the first admin




def run(*args: str, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """The CLI in a subprocess; standard input is `input`, else empty (never the terminal: no prompt waits)."""
    return subprocess.run([sys.executable, "-m", "ektp_metrics", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120, input=input,
                          stdin=subprocess.DEVNULL if input is None else None)


REPORT_DAY = dt.date(2013, 10, 25)




def central_csv(db, day=REPORT_DAY, less=lambda i: (i % 4) * 7) -> bytes:
    k = metrics.kelurahan_frame(db, day)
    lines = ["tanggal;kode_kelurahan;kelurahan;wajib_ktp;sudah_rekam"]
    lines += [f"{day:%d/%m/%Y};{r.kode};{r.kelurahan};{r.wajib_ktp};{r.sudah_rekam - less(i)}" for i, r in enumerate(k.itertuples())]
    return "\n".join(lines).encode()


def over_capacity_and_cards_over_recordings_csv(db) -> bytes:
    """Issue 21's daily file: 199 counts above EKTP_MAX_DAILY (500; the confirmation box can accept them) and,
    last, one row that leaves Kauman with more cards delivered than recorded (nothing can accept it)."""
    codes = [k for k in metrics.kelurahan_frame(db, REPORT_DAY)["kode"] if k != KAUMAN]
    lines = ["tanggal;kode_kelurahan;lokasi;rekam;distribusi"]
    lines += [f"{REPORT_DAY + dt.timedelta(days=1 + i // len(codes)):%d/%m/%Y};{codes[i % len(codes)]};kelurahan;600;0"
              for i in range(199)]
    lines.append(f"{REPORT_DAY + dt.timedelta(days=1):%d/%m/%Y};{KAUMAN};sekolah;0;300")   # backlog 212
    return ("\n".join(lines) + "\n").encode()


KAUMAN = "33.72.03.1009"
