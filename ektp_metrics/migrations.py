"""Numbered schema migrations. Opening a database applies the pending ones, all in one transaction.

Each migration is recorded in `schema_migrations` inside the same transaction that applies it, so a
database is either fully upgraded or left exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


# The service locations of a daily count: the CHECK of daily_counts.lokasi in migration 1 spells them out
# (a released migration is frozen text; tests/test_migrations.py checks the two agree).
LOKASI = ("kelurahan", "kecamatan", "sekolah", "pasar", "lainnya")

# Released migrations are frozen text: never edit one, add the next (tests/test_migrations.py holds each
# one's SHA-256). The ledger (schema_migrations) records a migration by its version.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "skema_inti", """
        CREATE TABLE regions (
            kode     VARCHAR PRIMARY KEY,
            nama     VARCHAR NOT NULL,
            tingkat  VARCHAR NOT NULL CHECK (tingkat IN ('provinsi', 'kota', 'kecamatan', 'kelurahan')),
            induk    VARCHAR,            -- kode of the parent region; NULL at the top
            lat      DOUBLE,
            lon      DOUBLE,
            kode_pos VARCHAR
        );
        -- Other spellings of a region's name, normalised (see regions.normalise_name).
        CREATE TABLE region_aliases (
            kode       VARCHAR NOT NULL,
            alias      VARCHAR NOT NULL,
            alias_norm VARCHAR NOT NULL,
            PRIMARY KEY (kode, alias_norm)
        );
        CREATE VIEW v_wilayah AS
            SELECT kel.kode AS kode_kelurahan, kel.nama AS kelurahan,
                   kec.kode AS kode_kecamatan, kec.nama AS kecamatan,
                   kota.kode AS kode_kota, kota.nama AS kota,
                   prov.kode AS kode_provinsi, prov.nama AS provinsi
            FROM regions kel
            LEFT JOIN regions kec  ON kec.kode = kel.induk
            LEFT JOIN regions kota ON kota.kode = kec.induk
            LEFT JOIN regions prov ON prov.kode = kota.induk
            WHERE kel.tingkat = 'kelurahan';

        CREATE SEQUENCE batch_id_seq START 1;
        -- One upload (or generated load) = one batch. Every data row carries its batch_id.
        CREATE TABLE batches (
            id            BIGINT PRIMARY KEY DEFAULT nextval('batch_id_seq'),
            kind          VARCHAR NOT NULL
                          CHECK (kind IN ('harian', 'rekap', 'jadwal', 'target', 'publikasi')),
            file_name     VARCHAR NOT NULL,
            sha256        VARCHAR,
            user_name     VARCHAR NOT NULL,
            created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
            rows          INTEGER NOT NULL DEFAULT 0,
            status        VARCHAR NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif', 'dibatalkan')),
            reverted_at   TIMESTAMP,
            reverted_by   VARCHAR,
            revert_reason VARCHAR,
            note          VARCHAR
        );
        -- wajib KTP per kelurahan, valid from berlaku_mulai until the next version.
        CREATE TABLE targets (
            batch_id       BIGINT NOT NULL,
            baris          INTEGER,
            kode_kelurahan VARCHAR NOT NULL,
            berlaku_mulai  DATE NOT NULL,
            wajib_ktp      INTEGER NOT NULL CHECK (wajib_ktp >= 0),
            superseded_by  BIGINT
        );
        -- Counts of one day, per kelurahan of residence and per service location.
        CREATE TABLE daily_counts (
            batch_id       BIGINT NOT NULL,
            baris          INTEGER,
            tanggal        DATE NOT NULL,
            kode_kelurahan VARCHAR NOT NULL,
            lokasi         VARCHAR NOT NULL DEFAULT 'kelurahan' CHECK (lokasi IN ('kelurahan', 'kecamatan', 'sekolah', 'pasar', 'lainnya')),
            rekam          INTEGER NOT NULL DEFAULT 0 CHECK (rekam >= 0),
            distribusi     INTEGER NOT NULL DEFAULT 0 CHECK (distribusi >= 0),
            superseded_by  BIGINT
        );
        -- Cumulative snapshot per kelurahan as of tanggal: the new baseline from that date.
        CREATE TABLE rekap (
            batch_id         BIGINT NOT NULL,
            baris            INTEGER,
            tanggal          DATE NOT NULL,
            kode_kelurahan   VARCHAR NOT NULL,
            sudah_rekam      INTEGER CHECK (sudah_rekam >= 0),
            sudah_distribusi INTEGER CHECK (sudah_distribusi >= 0),
            kartu_diterima   INTEGER CHECK (kartu_diterima >= 0),
            superseded_by    BIGINT
        );
        CREATE TABLE jadwal_keliling (
            batch_id        BIGINT NOT NULL,
            baris           INTEGER,
            kode_kelurahan  VARCHAR NOT NULL,
            tanggal_mulai   DATE NOT NULL,
            tanggal_selesai DATE NOT NULL,
            alat            INTEGER NOT NULL CHECK (alat > 0),
            jam_mulai       TIME,
            jam_selesai     TIME,
            tempat          VARCHAR,
            superseded_by   BIGINT,
            CHECK (tanggal_selesai >= tanggal_mulai)
        );
        -- Figures as published (news, official pages), kept with their source.
        CREATE TABLE reference_figures (
            batch_id        BIGINT NOT NULL,
            baris           INTEGER,
            tanggal         DATE NOT NULL,
            presisi_tanggal VARCHAR,
            tingkat         VARCHAR,
            wilayah         VARCHAR,
            kode            VARCHAR,
            indikator       VARCHAR NOT NULL,
            nilai           VARCHAR NOT NULL,  -- as printed
            nilai_angka     DOUBLE,            -- parsed, when it is a number
            satuan          VARCHAR,
            penerbit        VARCHAR,
            sumber_url      VARCHAR,
            catatan         VARCHAR
        );
        CREATE SEQUENCE audit_id_seq START 1;
        CREATE TABLE audit_log (
            id        BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
            logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            user_name VARCHAR NOT NULL,
            action    VARCHAR NOT NULL,
            object    VARCHAR,
            detail    VARCHAR
        );
        CREATE TABLE app_settings (
            key   VARCHAR PRIMARY KEY,
            value VARCHAR
        );
    """),
    Migration(2, "indeks_tanggal", """
        -- Point look-ups by kelurahan and date dominate the metrics queries.
        CREATE INDEX daily_counts_kel_tgl ON daily_counts (kode_kelurahan, tanggal);
        CREATE INDEX rekap_kel_tgl ON rekap (kode_kelurahan, tanggal);
        CREATE INDEX targets_kel_tgl ON targets (kode_kelurahan, berlaku_mulai);
    """),
    Migration(3, "pengguna", """
        -- Staff accounts. Passwords only as argon2 hashes; no account exists until one is created.
        CREATE TABLE users (
            username      VARCHAR PRIMARY KEY,
            display_name  VARCHAR NOT NULL,
            role          VARCHAR NOT NULL CHECK (role IN ('admin', 'operator', 'pimpinan')),
            password_hash VARCHAR NOT NULL,
            active        BOOLEAN NOT NULL DEFAULT true,
            created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
            created_by    VARCHAR NOT NULL,
            password_set_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );
        -- Every login attempt, for lockout (failures within a window) and the audit page.
        CREATE TABLE login_attempts (
            username     VARCHAR NOT NULL,
            attempted_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            success      BOOLEAN NOT NULL
        );
        CREATE INDEX login_attempts_user_at ON login_attempts (username, attempted_at);
    """),
    Migration(4, "login_per_klien", """
        -- Failures count per user and client address: a stranger cannot lock the owner out.
        -- (DuckDB alters no table that has an index: the index is rebuilt around the change.)
        DROP INDEX login_attempts_user_at;
        ALTER TABLE login_attempts ADD COLUMN client VARCHAR DEFAULT '';
        UPDATE login_attempts SET client = '' WHERE client IS NULL;
        CREATE INDEX login_attempts_user_client_at ON login_attempts (username, client, attempted_at);
    """),
    Migration(5, "rekonsiliasi_pusat", """
        -- A recap per kelurahan from the centre (Kemendagri/SIAK), to reconcile with the local figures.
        CREATE SEQUENCE pusat_id_seq START 1;
        CREATE TABLE pusat_unggahan (
            id         BIGINT PRIMARY KEY DEFAULT nextval('pusat_id_seq'),
            file_name  VARCHAR NOT NULL,
            sha256     VARCHAR,
            user_name  VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            tanggal    DATE NOT NULL,
            rows       INTEGER NOT NULL DEFAULT 0,
            status     VARCHAR NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif', 'dibatalkan'))
        );
        CREATE TABLE pusat_rekap (
            unggahan_id    BIGINT NOT NULL,
            baris          INTEGER,
            tanggal        DATE NOT NULL,
            kode_kelurahan VARCHAR NOT NULL,
            wajib_ktp      INTEGER CHECK (wajib_ktp >= 0),
            sudah_rekam    INTEGER CHECK (sudah_rekam >= 0)
        );
        -- Why a kelurahan's figures differ from the centre's, and whether it is resolved.
        CREATE SEQUENCE selisih_id_seq START 1;
        CREATE TABLE selisih_catatan (
            id             BIGINT PRIMARY KEY DEFAULT nextval('selisih_id_seq'),
            unggahan_id    BIGINT NOT NULL,
            kode_kelurahan VARCHAR NOT NULL,
            alasan         VARCHAR NOT NULL CHECK (alasan IN ('pindah', 'luar_negeri', 'meninggal',
                                                              'akta_lahir_kosong', 'rekam_ganda', 'lainnya')),
            jumlah         INTEGER NOT NULL CHECK (jumlah > 0),
            catatan        VARCHAR,
            status         VARCHAR NOT NULL DEFAULT 'terbuka' CHECK (status IN ('terbuka', 'selesai')),
            user_name      VARCHAR NOT NULL,
            created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
            selesai_at     TIMESTAMP,
            selesai_by     VARCHAR
        );
    """),
    Migration(6, "jadwal_dari", """
        -- A jadwal batch that is the whole schedule from a day on (an adopted plan, the editor): that day.
        -- Reverting an earlier batch must not bring back visits such a later batch had replaced.
        CREATE TABLE jadwal_dari (
            batch_id BIGINT PRIMARY KEY,
            mulai    DATE NOT NULL
        );
    """),
    Migration(7, "tanpa_indeks_art", """
        -- The ART indexes of migration 2 served no query: every read is a scan, hash join or window (an
        -- ART index serves point look-ups of under 0,1% of a table), and a whole-list page times the same
        -- without them. Each upload paid for them: a million-row national file spent 0,45 s of its commit
        -- keeping daily_counts_kel_tgl, and the file was 35 MB larger (bench/README.md).
        DROP INDEX daily_counts_kel_tgl;
        DROP INDEX rekap_kel_tgl;
        DROP INDEX targets_kel_tgl;
    """),
    Migration(8, "baris_yang_dihitung", """
        -- The rule of every figure, written once: a row counts when its batch is active (not reverted) and
        -- no correction superseded it. Queries of figures read these views, never the tables with the rule
        -- spelled out again; DuckDB inlines a view into the query that reads it, so filters and joins are
        -- planned through it as through the rule written inline.
        CREATE VIEW active_batches AS
            SELECT * FROM batches WHERE status = 'aktif';
        CREATE VIEW active_targets AS
            SELECT * FROM targets WHERE superseded_by IS NULL AND batch_id IN (SELECT id FROM active_batches);
        CREATE VIEW active_daily_counts AS
            SELECT * FROM daily_counts WHERE superseded_by IS NULL AND batch_id IN (SELECT id FROM active_batches);
        CREATE VIEW active_rekap AS
            SELECT * FROM rekap WHERE superseded_by IS NULL AND batch_id IN (SELECT id FROM active_batches);
        CREATE VIEW active_jadwal_keliling AS
            SELECT * FROM jadwal_keliling
            WHERE superseded_by IS NULL AND batch_id IN (SELECT id FROM active_batches);
        -- Published figures are never superseded row by row: only their batch is reverted.
        CREATE VIEW active_reference_figures AS
            SELECT * FROM reference_figures WHERE batch_id IN (SELECT id FROM active_batches);
    """),
    Migration(9, "sesi_dan_perangkat", """
        -- Signed-in browsers (issue 19). The browser holds a random id of 256 bits in an HttpOnly cookie;
        -- only its SHA-256 is kept here, so a copy of this file (a backup) signs nobody in. A session ends
        -- (ended_at, end_reason) when its user signs out, after EKTP_SESSION_MINUTES idle, when the account is
        -- disabled or its password is reset or changed.
        CREATE TABLE sessions (
            id_hash      VARCHAR PRIMARY KEY,
            username     VARCHAR NOT NULL,
            started_at   TIMESTAMP NOT NULL,
            last_seen_at TIMESTAMP NOT NULL,
            ended_at     TIMESTAMP,
            end_reason   VARCHAR,
            client       VARCHAR
        );
        -- The lockout follows OWASP's device cookies: a failure from a browser that carries the account's
        -- signed device cookie counts against that device (its random id here); a failure from any other
        -- client counts against all clients without one (device NULL). (DuckDB alters no table that has an
        -- index; the table is small and read by user name, so the index is not rebuilt.)
        DROP INDEX login_attempts_user_client_at;
        ALTER TABLE login_attempts ADD COLUMN device VARCHAR;
        -- Attempts with a name that is no account: one counter a day, never a row per attempt.
        CREATE TABLE login_unknown (
            day      DATE PRIMARY KEY,
            attempts BIGINT NOT NULL
        );
    """),
    Migration(10, "token_api", """
        -- API tokens (issue 20): an admin makes one for a user; a script sends it as "Authorization: Bearer …"
        -- and acts with that user's role. Only its SHA-256 is kept (shown once when made); it ends at
        -- expires_at or when revoked, and never works for a disabled account.
        CREATE SEQUENCE api_token_id_seq START 1;
        CREATE TABLE api_tokens (
            id           BIGINT PRIMARY KEY DEFAULT nextval('api_token_id_seq'),
            token_hash   VARCHAR NOT NULL,
            username     VARCHAR NOT NULL,
            nama         VARCHAR NOT NULL,
            created_at   TIMESTAMP NOT NULL,
            created_by   VARCHAR NOT NULL,
            expires_at   TIMESTAMP NOT NULL,
            last_used_at TIMESTAMP,
            revoked_at   TIMESTAMP,
            revoked_by   VARCHAR
        );
    """),
)

class SchemaTooNew(RuntimeError):
    """The database was written by a newer version of this program."""


_LEDGER = """
    CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       VARCHAR NOT NULL,
        applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )
"""


def applied(cur: duckdb.DuckDBPyConnection) -> list[int]:
    """Versions recorded in the database, ascending (empty for a new file)."""
    # duckdb_tables(), not information_schema: the first read of the latter costs 15 ms of every start
    exists = cur.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations'").fetchone()
    if not exists or not exists[0]:
        return []
    return [row[0] for row in cur.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]


def migrate(cur: duckdb.DuckDBPyConnection,
            migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Apply every pending migration in one transaction; return the versions applied.

    A database newer than this code (a version we do not know) is refused rather than guessed at.
    """
    known = {m.version for m in migrations}
    done = set(applied(cur))   # read once: every process start opens the database
    unknown = sorted(v for v in done if v not in known)
    if unknown:
        raise SchemaTooNew(
            f"database has schema version(s) {unknown} unknown to this program: upgrade the program"
        )
    todo = [m for m in migrations if m.version not in done]
    if not todo:
        return []
    cur.begin()
    try:
        cur.execute(_LEDGER)
        for m in sorted(todo, key=lambda m: m.version):
            cur.execute(m.sql)
            cur.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [m.version, m.name])
        cur.commit()
    except BaseException:
        cur.rollback()
        raise
    return [m.version for m in todo]
