import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from ektp_metrics import cli
from tests.conftest import ROOT
from tests.helpers import ADMIN_PASSWORD, run


def test_init_demo_then_summary_json(db_path: Path):
    result = run("init", "--db", str(db_path), "--demo")
    assert result.returncode == 0, result.stderr
    assert "92,26%" in result.stdout
    summary = run("summary", "--db", str(db_path), "--json")
    assert summary.returncode == 0, summary.stderr
    data = json.loads(summary.stdout)
    assert data["as_of"] == "2013-10-25"
    assert data["persen_rekam"] == "92,26"
    assert (data["wajib_ktp"], data["sudah_rekam"], data["belum_rekam"]) == (415549, 383427, 32122)
    assert (data["sudah_distribusi"], data["backlog_distribusi"]) == (345679, 37748)
    assert (data["kelurahan"], data["kecamatan"]) == (51, 5)


def test_summary_by_level_and_as_of(demo_path: Path):
    result = run("summary", "--db", str(demo_path), "--json", "--by", "kecamatan", "--as-of", "2013-05-07")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["nama"] for r in rows] == ["Laweyan", "Serengan", "Pasar Kliwon", "Jebres", "Banjarsari"]
    assert all({"kode", "nama", "persen_rekam"} <= r.keys() for r in rows)
    assert sum(r["sudah_rekam"] for r in rows) == 361404
    assert {r["as_of"] for r in rows} == {"2013-05-07"}
    kel = json.loads(run("summary", "--db", str(demo_path), "--json", "--by", "kelurahan").stdout)
    assert len(kel) == 51


def test_summary_runs_without_pandas(demo_path: Path):
    # Importing pandas was half of a national `summary --json` (bench/README.md): the command reads its rows
    # as Python values, and the other commands' modules load only when they run.
    probe = ("import sys, runpy; sys.argv = ['ektp_metrics', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('ektp_metrics', run_name='__main__')\n"
             "except SystemExit as exc:\n    print('exit', exc.code, 'pandas' in sys.modules, file=sys.stderr)")
    outputs = []
    for args in (["--json"], ["--by", "kelurahan"], ["--json", "--by", "kecamatan"]):
        done = subprocess.run([sys.executable, "-c", probe, "summary", "--db", str(demo_path), *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.stderr.splitlines()[-1] == "exit 0 False", done.stderr
        outputs.append(done.stdout)
    assert json.loads(outputs[0])["persen_rekam"] == "92,26" and "Pajang" in outputs[1]
    assert len(json.loads(outputs[2])) == 5


def test_summary_table_uses_indonesian_format(demo_path: Path):
    result = run("summary", "--db", str(demo_path))
    assert result.returncode == 0
    assert "383.427" in result.stdout and "92,26%" in result.stdout and "67 hari lagi" in result.stdout


def test_ektp_db_is_the_default_database(demo_path: Path):
    result = run("summary", "--json", env={"EKTP_DB": str(demo_path)})
    assert result.returncode == 0 and json.loads(result.stdout)["sudah_rekam"] == 383427


def test_invalid_input_exits_2_and_writes_nothing(demo_path: Path, tmp_path: Path):
    before = demo_path.read_bytes()
    assert run("summary", "--db", str(demo_path), "--as-of", "31/02/2013").returncode == 2
    assert run("summary", "--db", str(demo_path), "--by", "rt").returncode == 2
    assert run("nonsense").returncode == 2
    refused = run("init", "--db", str(demo_path), "--demo")
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert run("summary", "--db", str(demo_path), env={"EKTP_TODAY": "kemarin"}).returncode == 2
    assert demo_path.read_bytes() == before


def test_missing_database_exits_3(tmp_path: Path):
    result = run("summary", "--db", str(tmp_path / "absent.duckdb"))
    assert result.returncode == 3 and "init" in result.stderr
    assert not (tmp_path / "absent.duckdb").exists()


def test_locked_database_exits_3_naming_the_process(demo_path: Path):
    holder = duckdb.connect(str(demo_path))  # this test process holds the file, as the app would
    try:
        result = run("summary", "--db", str(demo_path))
    finally:
        holder.close()
    assert result.returncode == 3
    assert f"PID {os.getpid()}" in result.stderr


def test_init_force_refuses_a_database_in_use(demo_path: Path):
    holder = duckdb.connect(str(demo_path))
    try:
        result = run("init", "--db", str(demo_path), "--demo", "--force")
    finally:
        holder.close()
    assert result.returncode == 3 and "PID" in result.stderr
    assert demo_path.exists()
    assert run("summary", "--db", str(demo_path)).returncode == 0


def test_unexpected_error_exits_1(demo_path: Path, monkeypatch, capsys):
    def boom(*args, **kwargs):
        raise RuntimeError("bug")
    monkeypatch.setattr(cli.metrics, "summaries", boom)
    assert cli.main(["summary", "--db", str(demo_path)]) == 1
    assert "tak terduga" in capsys.readouterr().err


def test_every_command_and_option_has_help():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    helps = {a.dest: a.help for a in sub._choices_actions}
    assert set(helps) == set(sub.choices) and all(helps.values()), helps
    for name, command in sub.choices.items():
        for action in command._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest}"


def test_init_on_an_impossible_path_exits_3(tmp_path: Path):
    (tmp_path / "a_file").write_text("x")
    result = run("init", "--db", str(tmp_path / "a_file" / "ektp.duckdb"), env=ADMIN_PASSWORD)
    assert result.returncode == 3 and "Traceback" not in result.stderr


def test_newer_database_exits_3(db_path: Path):
    from ektp_metrics import migrations
    from ektp_metrics.db import Database
    newer = migrations.MIGRATIONS + (migrations.Migration(50, "future", "CREATE TABLE future (a INTEGER);"),)
    Database(db_path, migrations_list=newer).close()
    result = run("summary", "--db", str(db_path))
    assert result.returncode == 3 and "lebih baru" in result.stderr and "Traceback" not in result.stderr


def test_bad_setting_exits_2_before_writing(tmp_path: Path):
    target = tmp_path / "x.duckdb"
    result = run("init", "--db", str(target), "--demo", env={"EKTP_TODAY": "besok"})
    assert result.returncode == 2 and "EKTP_TODAY" in result.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_summary_of_a_database_without_data(db_path: Path):
    assert run("init", "--db", str(db_path), env=ADMIN_PASSWORD).returncode == 0
    data = json.loads(run("summary", "--db", str(db_path), "--json").stdout)
    assert data["as_of"] is None and data["sudah_rekam"] == 0 and data["persen_rekam"] is None
    text = run("summary", "--db", str(db_path))
    assert text.returncode == 0 and "Belum ada data" in text.stdout


def test_interrupted_init_leaves_no_database(tmp_path: Path, monkeypatch):
    from ektp_metrics import bootstrap, demo
    target = tmp_path / "ektp.duckdb"

    def boom(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(demo, "install", boom)
    try:
        bootstrap.init_database(target, with_demo=True)
    except KeyboardInterrupt:
        pass
    assert list(tmp_path.iterdir()) == []   # `make run` will simply build it again


def test_import_of_a_mistyped_year_needs_force_and_dry_run_says_the_day_moves(demo_path: Path, tmp_path: Path):
    path = tmp_path / "harian.csv"
    path.write_bytes(b"tanggal;kode_kelurahan;rekam\n01/06/2020;33.72.01.1001;5\n")
    before = demo_path.read_bytes()
    common = ("import", str(path), "--db", str(demo_path), "--user", "sri")
    env = {"EKTP_TODAY": ""}   # empty: the default (the latest data date)
    refused = run(*common, env=env)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert ("Baris 2, kolom tanggal: Tanggal terakhir berkas ini 1 Juni 2020, 2.411 hari sesudah data terakhir "
            "(25 Oktober 2013)") in refused.stderr and "--force" in refused.stderr
    preview = run(*common, "--dry-run", "--force", env=env)
    assert preview.returncode == 0, preview.stderr
    assert "Hari acuan berpindah dari 25 Oktober 2013 ke 1 Juni 2020" in preview.stdout
    assert "Dikonfirmasi (--force)" in preview.stderr and "Ditolak" not in preview.stderr
    assert demo_path.read_bytes() == before
    saved = run(*common, "--force", env=env)
    assert saved.returncode == 0 and "Disimpan sebagai batch" in saved.stdout, saved.stderr
    assert json.loads(run("summary", "--db", str(demo_path), "--json", env=env).stdout)["as_of"] == "2020-06-01"


def test_import_dry_run_of_the_next_day_says_the_day_moves(demo_path: Path):
    done = run("import", str(ROOT / "data" / "contoh" / "contoh_laporan_harian.csv"), "--db", str(demo_path),
               "--dry-run", env={"EKTP_TODAY": ""})
    assert done.returncode == 0, done.stderr
    assert "Hari acuan berpindah dari 25 Oktober 2013 ke 28 Oktober 2013" in done.stdout


def test_init_creates_the_first_admin_with_the_password_given(tmp_path: Path):
    from ektp_metrics import auth
    from ektp_metrics.db import Database

    from_env, from_stdin = tmp_path / "env.duckdb", tmp_path / "stdin.duckdb"
    done = run("init", "--db", str(from_env), env={"EKTP_PASSWORD": "sandi-admin-dinas"})
    assert done.returncode == 0, done.stderr
    assert "Akun admin admin dibuat" in done.stdout and "Masuk petugas" in done.stdout
    typed = run("init", "--db", str(from_stdin), "--admin", "Kepala", input="sandi-kepala-dinas\n",
                env={"EKTP_PASSWORD": ""})
    assert typed.returncode == 0, typed.stderr
    for path, name, password in ((from_env, "admin", "sandi-admin-dinas"), (from_stdin, "kepala", "sandi-kepala-dinas")):
        with Database(path, create=False) as db:
            store = auth.PasswordStore(db)
            assert store.login(name, password).user == auth.User(name, name, "admin")
            assert store.login(name, "contoh-admin-2013").reason == "wrong"
            assert list(store.users()["username"]) == [name]


def test_init_without_a_good_password_exits_2_and_creates_nothing(tmp_path: Path, demo_path: Path):
    target = tmp_path / "baru" / "ektp.duckdb"
    for env, typed in (({"EKTP_PASSWORD": ""}, None), ({"EKTP_PASSWORD": ""}, "\n"), ({"EKTP_PASSWORD": "pendek"}, None)):
        refused = run("init", "--db", str(target), env=env, input=typed)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert "minimal 10 karakter" in refused.stderr and "Database tidak dibuat" in refused.stderr
        assert not target.parent.exists()
    bad_name = run("init", "--db", str(target), "--admin", "Ka Dinas", env=ADMIN_PASSWORD)
    assert bad_name.returncode == 2 and "Nama pengguna" in bad_name.stderr and not target.parent.exists()
    before = demo_path.read_bytes()     # --force on a database: the password is checked before it is replaced
    assert run("init", "--db", str(demo_path), "--force", env={"EKTP_PASSWORD": ""}).returncode == 2
    assert demo_path.read_bytes() == before


def test_init_demo_needs_no_password_and_creates_only_the_demo_accounts(db_path: Path):
    from ektp_metrics import auth, demo
    from ektp_metrics.db import Database

    assert run("init", "--db", str(db_path), "--demo", env={"EKTP_PASSWORD": ""}).returncode == 0
    with Database(db_path, create=False) as db:
        assert sorted(auth.PasswordStore(db).users()["username"]) == sorted(u for u, *_ in demo.DEMO_ACCOUNTS)


def test_init_at_a_terminal_asks_twice_and_refuses_two_different_passwords(tmp_path: Path, monkeypatch, capsys):
    import getpass
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("EKTP_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", Terminal())
    for typed, code in ((["sandi-admin-dinas", "sandi-admin-dinaz"], 2), (["sandi-admin-dinas"] * 2, 0)):
        answers = iter(typed)
        prompts = []
        monkeypatch.setattr(getpass, "getpass", lambda prompt, prompts=prompts, answers=answers: prompts.append(prompt) or next(answers))
        assert cli.main(["init", "--db", str(tmp_path / "ektp.duckdb")]) == code
        assert len(prompts) == 2 and "admin pertama (admin)" in prompts[0]
        assert (tmp_path / "ektp.duckdb").exists() == (code == 0)
    assert "Kedua kata sandi tidak sama" in capsys.readouterr().err


def test_import_dry_run_prints_the_findings_kualitas_would_add(demo_path: Path, tmp_path: Path):
    from ektp_metrics import metrics
    from ektp_metrics.db import Database

    with Database(demo_path, create=False) as db:
        pajang = metrics.kelurahan_frame(db, dt.date(2013, 10, 25)).set_index("kode").loc["33.72.01.1001"]
    path = tmp_path / "rekap.csv"
    path.write_text(f"tanggal;kode_kelurahan;sudah_rekam\n26/10/2013;33.72.01.1001;{pajang.sudah_rekam - 50}\n")
    done = run("import", str(path), "--db", str(demo_path), "--dry-run", env={"EKTP_TODAY": ""})
    assert done.returncode == 0, done.stderr
    assert "Bila disimpan, Kualitas data akan mencatat 1 temuan baru:" in done.stdout
    assert "  baris 2: Kumulatif turun: kelurahan Pajang per 26 Oktober 2013" in done.stdout
    as_json = json.loads(run("import", str(path), "--db", str(demo_path), "--dry-run", "--json",
                             env={"EKTP_TODAY": ""}).stdout)
    assert [(f["rule"], f["kelurahan"], f["baris"]) for f in as_json["findings"]] == [("kumulatif_turun", "Pajang", 2)]


def test_import_names_what_force_cannot_fix_first_and_cuts_long_lists(demo_path: Path, tmp_path: Path):
    from ektp_metrics.db import Database
    from tests.helpers import over_capacity_and_cards_over_recordings_csv

    with Database(demo_path, create=False) as db:
        path = tmp_path / "harian.csv"
        path.write_bytes(over_capacity_and_cards_over_recordings_csv(db))
    done = run("import", str(path), "--db", str(demo_path), "--dry-run", "--force", env={"EKTP_TODAY": ""})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[1] == ("1 masalah tidak bisa dikonfirmasi: perbaiki berkas (--force tidak menolong). "
                        "249 nilai tidak wajar bisa dikonfirmasi dengan --force.")
    assert lines[2].startswith("  Baris 201, kolom distribusi: Setelah unggahan ini, kelurahan Kauman per 26 Oktober 2013")
    assert "  … dan 200 masalah lain (--json memberi daftar lengkap)" in lines and len(lines) == 53
    assert "ulangi dengan --force" not in done.stderr
