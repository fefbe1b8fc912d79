"""The command line with --url (issue 20): summary, batches, cek, jadwal, import and backup against a running
app's HTTP API print what they print against the database file, with the same exit codes.

The app's HTTP routes (ektp_metrics.web.routes(), the API among them) run in this process under uvicorn on a
free port, over the demo database; the command runs in-process (cli.main) with --url, and again with --db on an
identical copy of that database. While --url runs, opening any database file from the command line fails the
test: the figures must come from the app."""

from __future__ import annotations

import json
import shutil
import socket
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.routing import Mount

from ektp_metrics import apiclient, auth, cli, opendata, tokens, web
from ektp_metrics.bootstrap import init_database
from ektp_metrics.db import Database
from tests.apiserver import api_server
from tests.conftest import ROOT

NEXT_DAYS = ROOT / "data" / "contoh" / "contoh_laporan_harian.csv"
BAD_ROWS = b"tanggal;kode_kelurahan;rekam\n26/10/2013;33.72.01.1001;5\n26/10/2013;33.72.01.9999;5\n31/02/2013;33.72.01.1002;x\n"


def serving() -> AbstractContextManager[str]:
    """web.routes() at / and again under the prefix /dasbor (a reverse proxy's path), until the block ends."""
    return api_server([*web.routes(), Mount("/dasbor", routes=web.routes())])


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class App:
    base: str
    copy: Path                 # an identical copy of the served database, for the command line's --db
    token: dict[str, str]      # role → a token of the demo account of that role
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def _run(self, argv: list[str]) -> Run:
        self.capsys.readouterr()
        code = cli.main(argv)
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def remote(self, *args: str, role: str | None = "admin", base: str | None = None) -> Run:
        """The command with --url, EKTP_TOKEN of `role` (None: unset); the command line may open no file."""
        with self.monkeypatch.context() as m:
            if role is None:
                m.delenv("EKTP_TOKEN", raising=False)
            else:
                m.setenv("EKTP_TOKEN", self.token.get(role, role))
            m.setattr(cli, "Database", _no_file)
            return self._run([*args, "--url", base or self.base])

    def local(self, *args: str) -> Run:
        return self._run([*args, "--db", str(self.copy)])

    def same(self, *args: str, role: str = "admin") -> Run:
        there, here = self.remote(*args, role=role), self.local(*args)
        assert (there.code, there.out) == (here.code, here.out), args
        return there


def _no_file(*args: object, **kwargs: object) -> Database:
    raise AssertionError("the command line opened the database file despite --url")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tokens(path: Path) -> dict[str, str]:
    with Database(path, create=False) as database:
        return {role: tokens.create(database, role, f"cli {role}", by="admin", role="admin")[1]
                for role in ("admin", "operator", "pimpinan")}


@pytest.fixture
def app(demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    for name in ("EKTP_TODAY", "EKTP_EXEC_LOGIN", "EKTP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EKTP_API_BURST", "100000")
    monkeypatch.setenv("EKTP_DB", str(demo_path))
    monkeypatch.setenv("EKTP_BACKUP_DIR", str(tmp_path / "cadangan"))
    made = _tokens(demo_path)
    copy = tmp_path / "salinan.duckdb"
    shutil.copy(demo_path, copy)
    with serving() as base:
        yield App(base, copy, made, monkeypatch, capsys)


# ---------------------------------------------------------------- reads

READS = (
    ("summary",), ("summary", "--json"), ("summary", "--as-of", "2013-05-07"),
    ("summary", "--by", "kecamatan"), ("summary", "--by", "kelurahan", "--json"),
    ("summary", "--by", "kecamatan", "--as-of", "2013-05-07", "--json"), ("summary", "--by", "kota"),
    ("jadwal",), ("jadwal", "--as-of", "2013-09-02", "--alat", "6", "--per-blok", "3", "--urutan", "kode"),
    ("jadwal", "--per-blok", "3", "--hari", "2", "--kapasitas", "30", "--json"),
    ("cek", "--json"), ("cek", "--as-of", "2013-08-01", "--hari", "3"),
    ("batches",), ("batches", "--json"),
)


def test_every_read_prints_what_the_file_gives(app: App):
    for args in READS:
        done = app.same(*args)
        assert done.code == 0 and done.out.strip(), args
    assert "383.427" in app.same("summary").out and "Pajang" in app.same("summary", "--by", "kelurahan").out
    assert len(json.loads(app.same("batches", "--json").out)) == 50


def test_summary_by_level_reads_every_page(app: App):
    app.monkeypatch.setattr(cli, "_PAGE", 20)      # 51 kelurahan: three pages of /wilayah
    rows = json.loads(app.same("summary", "--by", "kelurahan", "--json").out)
    assert len(rows) == 51 and len({r["kode"] for r in rows}) == 51


def test_a_base_url_with_a_path_prefix(app: App):
    there = app.remote("summary", "--by", "kecamatan", base=app.base + "/dasbor/")
    assert there.code == 0 and there.out == app.local("summary", "--by", "kecamatan").out
    client = apiclient.Client("https://dasbor.example/ektp/")
    assert client.url("/wilayah", {"tingkat": "kecamatan", "tanggal": None, "x": True}) == (
        "https://dasbor.example/ektp/api/v1/wilayah?tingkat=kecamatan&x=1")


def test_a_database_without_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    path = tmp_path / "kosong.duckdb"
    with init_database(path) as database:   # no figures, and here no account either: one to make tokens with
        auth.PasswordStore(database).add("admin", "Admin", "admin", "sandi-admin-dinas", by="uji")
    for name in ("EKTP_TODAY", "EKTP_EXEC_LOGIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EKTP_DB", str(path))
    with Database(path, create=False) as database:
        made = {"admin": tokens.create(database, "admin", "cli", by="admin", role="admin")[1]}
    copy = tmp_path / "salinan.duckdb"
    shutil.copy(path, copy)
    with serving() as base:
        empty = App(base, copy, made, monkeypatch, capsys)
        for args in (("summary",), ("summary", "--json"), ("summary", "--by", "kecamatan", "--json"), ("jadwal",),
                     ("jadwal", "--json"), ("cek",), ("batches", "--json")):
            assert empty.same(*args).code == 0, args
        assert "Belum ada data" in empty.same("summary").out
        assert {r["as_of"] for r in json.loads(empty.same("summary", "--by", "kecamatan", "--json").out)} == {None}


# ---------------------------------------------------------------- import

def test_a_refused_import_says_the_same_problems_and_writes_nothing(app: App, tmp_path: Path):
    bad = tmp_path / "harian_salah.csv"
    bad.write_bytes(BAD_ROWS)
    before = app.remote("batches", "--json").out
    for args in (("import", str(bad)), ("import", str(bad), "--json"), ("import", str(bad), "--dry-run")):
        there, here = app.remote(*args, role="operator"), app.local(*args)
        assert (there.code, there.out, there.err) == (here.code, here.out, here.err) and there.code == 2, args
    assert "Ditolak, tidak ada yang disimpan" in there.err and "33.72.01.9999" in there.err
    assert json.loads(app.remote("import", str(bad), "--json", role="operator").out)["problems"]
    assert app.remote("batches", "--json").out == before


def test_an_import_that_saves_then_the_summary_shows_it(app: App, tmp_path: Path):
    figures = json.loads(app.same("summary", "--json").out)
    saved = app.remote("import", str(NEXT_DAYS), role="operator")
    here = app.local("import", str(NEXT_DAYS), "--user", "operator")
    assert (saved.code, saved.out, saved.err) == (here.code, here.out, here.err)
    assert saved.code == 0 and "Disimpan sebagai batch 51." in saved.out
    after = json.loads(app.same("summary", "--json").out)
    assert after["as_of"] == "2013-10-28" and after["sudah_rekam"] > figures["sudah_rekam"]
    assert app.same("summary", "--by", "kecamatan").code == 0
    # a dry run (here a correction of the same rows) writes nothing, there as here
    correction = tmp_path / "koreksi.csv"
    correction.write_bytes(b"tanggal,kode_kelurahan,lokasi,rekam,distribusi\n28/10/2013,33.72.05.1001,kelurahan,50,20\n")
    preview = app.same("import", str(correction), "--dry-run", "--replace", role="operator")
    assert preview.code == 0 and "tidak ada yang disimpan" in preview.out
    assert json.loads(app.same("summary", "--json").out) == after
    newest = json.loads(app.remote("batches", "--json").out)[0]
    assert (newest["id"], newest["user"], newest["file"]) == (51, "operator", NEXT_DAYS.name)


def test_import_json_of_a_save_is_the_local_one(app: App):
    there = json.loads(app.remote("import", str(NEXT_DAYS), "--json").out)
    here = json.loads(app.local("import", str(NEXT_DAYS), "--json").out)
    assert there == here and there["committed"] and "sesudah" not in there


# ---------------------------------------------------------------- tokens and roles

def test_a_role_that_may_not_and_no_token_exit_2(app: App, tmp_path: Path):
    before = app.remote("batches", "--json").out
    refused = app.remote("import", str(NEXT_DAYS), role="pimpinan")
    assert refused.code == 2 and refused.out == ""
    assert "Peran pimpinan tidak boleh mengunggah data" in refused.err
    assert app.remote("batches", role="pimpinan").code == 2
    backup_by_operator = app.remote("backup", role="operator")
    assert backup_by_operator.code == 2 and "membuat cadangan" in backup_by_operator.err
    for args in (("import", str(NEXT_DAYS)), ("batches",), ("cek",), ("backup",)):
        none = app.remote(*args, role=None)
        assert none.code == 2 and "EKTP_TOKEN" in none.err and "Pengguna" in none.err, args
        bogus = app.remote(*args, role="ektp_bukan-token")   # the server answers 401
        assert bogus.code == 2 and "Token tidak dikenal" in bogus.err and "EKTP_TOKEN" in bogus.err, args
    assert app.remote("summary", role=None).code == 0   # public reads need no token
    assert app.remote("batches", "--json").out == before
    assert not (tmp_path / "cadangan").exists()


# ---------------------------------------------------------------- backup

def test_backup_through_the_app(app: App, tmp_path: Path):
    made = app.remote("backup")
    assert made.code == 0, made.err
    first, second = made.out.splitlines()
    assert first.startswith("Cadangan dibuat (dibuat oleh aplikasi yang sedang berjalan): " + str(tmp_path / "cadangan"))
    assert Path(first.rsplit(": ", 1)[1]).is_file()
    here = app.local("backup", "--to", str(tmp_path / "lokal"))
    assert here.code == 0
    assert second.split(" MB, ", 1)[1] == here.out.splitlines()[1].split(" MB, ", 1)[1]   # batches, check, figures
    record = json.loads(app.remote("backup", "--json").out)
    local = json.loads(app.local("backup", "--json", "--to", str(tmp_path / "lokal")).out)
    assert {k: record[k] for k in ("batches", "figures", "check")} == {k: local[k] for k in ("batches", "figures", "check")}
    refused = app.remote("backup", "--to", str(tmp_path / "lain"))
    assert refused.code == 2 and "--to" in refused.err and not (tmp_path / "lain").exists()


# ---------------------------------------------------------------- the app's answers as exit codes

def test_a_server_that_is_down_exits_3(app: App, tmp_path: Path):
    down = f"http://127.0.0.1:{_free_port()}"
    for args in (("summary",), ("batches", "--json"), ("import", str(NEXT_DAYS)), ("backup",)):
        done = app.remote(*args, base=down)
        assert done.code == 3 and done.out == "", args
        assert f"aplikasi di {down} tidak menjawab" in done.err and "Traceback" not in done.err


def test_the_database_unavailable_to_the_app_exits_3(app: App, tmp_path: Path):
    app.monkeypatch.setenv("EKTP_DB", str(tmp_path / "tidak_ada.duckdb"))    # the server reads it per request
    for args in (("summary",), ("batches",)):
        done = app.remote(*args)
        assert done.code == 3 and "Database tidak tersedia" in done.err, args


def test_bad_parameters_exit_2_and_a_server_error_exits_1(app: App, monkeypatch: pytest.MonkeyPatch):
    bad = app.remote("jadwal", "--alat", "0")
    assert bad.code == 2 and app.local("jadwal", "--alat", "0").code == 2 and "alat" in bad.err
    assert app.remote("cek", "--hari", "0").code == 2

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("bug")
    monkeypatch.setattr(opendata, "ringkasan", boom)     # the server's handler fails: 500
    failed = app.remote("summary")
    assert failed.code == 1 and "HTTP 500" in failed.err and "Traceback" not in failed.err


def test_url_with_db_and_other_misuse_exit_2(app: App, capsys):
    for argv in (["summary", "--url", app.base, "--db", str(app.copy)], ["batches", "--url", "ftp://x"],
                 ["summary", "--url", "localhost:8501"]):
        with pytest.raises(SystemExit) as exited:
            cli.main(argv)
        assert exited.value.code == 2, argv
    assert "not allowed with argument" in capsys.readouterr().err
    user = app.remote("import", str(NEXT_DAYS), "--user", "sri")
    assert user.code == 2 and "--user" in user.err
