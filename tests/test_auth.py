"""Accounts: hashing, lockout, roles, account changes, the CLI and safe exports."""

import base64
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from ektp_metrics import auth, exports, sessions
from tests.helpers import ADMIN_PASSWORD, run

T0 = dt.datetime(2013, 10, 25, 19, 0)


@pytest.fixture(autouse=True)
def forget_unknown_names(monkeypatch):
    monkeypatch.setattr(auth, "UNKNOWN_NAMES", auth.UnknownNames())


@pytest.fixture
def store(fresh_db):
    s = auth.PasswordStore(fresh_db)
    s.add("sri", "Sri Lestari", "operator", "kata-sandi-sri", by="test")
    return s


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_passwords_are_argon2_hashes(store, fresh_db):
    stored = fresh_db.fetch_one("SELECT password_hash FROM users WHERE username = 'sri'")[0]
    assert stored.startswith("$argon2id$") and "kata-sandi-sri" not in stored
    assert auth.verify_password(stored, "kata-sandi-sri") and not auth.verify_password(stored, "salah")
    assert auth.hash_password("x" * 10) != auth.hash_password("x" * 10)          # salted
    assert not auth.verify_password("not a hash", "x")


def test_the_app_hashes_with_the_librarys_recommended_parameters():
    from argon2 import PasswordHasher, Type

    from tests.conftest import PRODUCTION_HASHER
    recommended = PasswordHasher()
    assert PRODUCTION_HASHER.type == Type.ID
    assert (PRODUCTION_HASHER.time_cost, PRODUCTION_HASHER.memory_cost, PRODUCTION_HASHER.parallelism) == \
        (recommended.time_cost, recommended.memory_cost, recommended.parallelism)
    assert PRODUCTION_HASHER.hash("x" * 10).startswith(f"$argon2id$v=19$m={recommended.memory_cost},")


def test_login_ok_and_wrong(store):
    ok = store.login(" SRI ", "kata-sandi-sri", now=at(0))
    assert ok.reason == "ok" and ok.user == auth.User("sri", "Sri Lestari", "operator")
    assert store.login("sri", "salah", now=at(1)).reason == "wrong"
    assert store.login("tidakada", "apa-saja-123", now=at(1)).reason == "wrong"   # unknown looks the same


def test_five_wrong_passwords_in_fifteen_minutes_lock_the_account(store):
    results = [store.login("sri", "salah", now=at(i)).reason for i in range(5)]
    assert results == ["wrong"] * 4 + ["locked"]
    locked = store.login("sri", "kata-sandi-sri", now=at(10))         # even the right password
    assert locked.reason == "locked" and locked.retry_at == at(4 + 15)
    assert store.login("sri", "kata-sandi-sri", now=at(19.5)).reason == "ok"


def test_failures_spread_out_or_followed_by_success_do_not_lock(store):
    for i in range(8):
        assert store.login("sri", "salah", now=at(i * 4)).reason == "wrong"   # never 5 within 15 minutes
    store.login("sri", "kata-sandi-sri", now=at(40))
    for i in range(4):
        store.login("sri", "salah", now=at(41 + i))
    assert store.login("sri", "kata-sandi-sri", now=at(46)).reason == "ok"


def test_reset_unlocks_and_disable_blocks(store, fresh_db):
    for i in range(5):
        store.login("sri", "salah", now=dt.datetime.now() - dt.timedelta(minutes=5 - i))
    assert store.login("sri", "kata-sandi-sri").reason == "locked"
    store.reset_password("sri", "sandi-baru-sri", by="admin")
    assert store.login("sri", "sandi-baru-sri").reason == "ok"
    store.set_active("sri", False, by="admin")
    assert store.login("sri", "sandi-baru-sri").reason == "disabled" and store.get("sri") is None
    store.set_active("sri", True, by="admin")
    assert store.get("sri") is not None


def test_account_changes_are_validated(store):
    for args, code in (((" ", "x", "admin", "panjang-sekali"), "bad_username"),
                       (("ani", "Ani", "raja", "panjang-sekali"), "bad_role"),
                       (("ani", "Ani", "admin", "pendek"), "password_short"),
                       (("sri", "Sri", "admin", "panjang-sekali"), "exists")):
        with pytest.raises(auth.AccountError) as refused:
            store.add(*args, by="admin")
        assert refused.value.code == code
    with pytest.raises(auth.AccountError):
        store.set_active("sri", False, by="sri")                       # not oneself
    with pytest.raises(auth.AccountError):
        store.reset_password("nobody", "panjang-sekali", by="admin")


def test_every_login_and_account_change_is_audited(store, fresh_db):
    store.login("sri", "salah", now=at(0))
    store.login("sri", "kata-sandi-sri", now=at(1))
    store.set_active("sri", False, by="admin")
    actions = list(auth.audit_log(fresh_db, user="sri")["action"])
    assert "login" in actions and "login_gagal" in actions
    assert list(auth.audit_log(fresh_db, action="pengguna_dinonaktifkan")["object"]) == ["sri"]
    assert len(auth.audit_log(fresh_db, since=dt.date(2099, 1, 1))) == 0


@pytest.mark.parametrize("role,page,allowed", [
    (None, "beranda", True), (None, "unggah", False), (None, "riwayat", False), (None, "pengguna", False),
    (None, "layar", True), ("pimpinan", "ringkasan", True), ("pimpinan", "unggah", False),
    ("operator", "unggah", True), ("operator", "riwayat", True), ("operator", "pengguna", False),
    ("admin", "pengguna", True), ("admin", "unggah", True),
])
def test_roles(role, page, allowed):
    assert auth.may_open(role, page) is allowed


def test_dashboards_can_require_a_login(monkeypatch):
    monkeypatch.setenv("EKTP_EXEC_LOGIN", "1")
    assert not auth.may_open(None, "ringkasan") and auth.may_open("pimpinan", "ringkasan")
    assert auth.may_open(None, "layar")                                # the lobby screen never


def test_who_may_revert():
    op = auth.User("sri", "Sri", "operator")
    assert auth.may_revert(op, "sri") and not auth.may_revert(op, "budi")
    assert auth.may_revert(auth.User("a", "A", "admin"), "budi")
    assert not auth.may_revert(auth.User("p", "P", "pimpinan"), "p")


def test_cli_users_read_the_password_from_stdin_or_environment(db_path):
    assert run("init", "--db", str(db_path), env=ADMIN_PASSWORD).returncode == 0
    import subprocess
    import sys

    from tests.conftest import ROOT
    added = subprocess.run([sys.executable, "-m", "ektp_metrics", "users", "add", "kepala", "--role", "admin",
                            "--db", str(db_path)], input="sandi-kepala-dinas\n", text=True, capture_output=True,
                           cwd=ROOT)
    assert added.returncode == 0, added.stderr
    assert run("users", "add", "ani", "--role", "operator", "--db", str(db_path),
               env={"EKTP_PASSWORD": "sandi-ani-12345"}).returncode == 0
    listed = run("users", "list", "--db", str(db_path)).stdout
    assert "kepala" in listed and "ani" in listed and "sandi" not in listed     # no password shown
    assert run("users", "add", "x", "--role", "admin", "--db", str(db_path),
               env={"EKTP_PASSWORD": "pendek"}).returncode == 2


def test_demo_accounts_exist_only_in_the_demo_and_are_printed(demo_path, db_path):
    assert "kata sandi: contoh-operator-2013" in run("users", "list", "--db", str(demo_path)).stdout
    assert run("init", "--db", str(db_path), env=ADMIN_PASSWORD).returncode == 0
    listed = run("users", "list", "--db", str(db_path)).stdout
    assert listed.split() == ["admin", "admin", "aktif", "admin"]          # the first admin, no password shown


def test_exports_neutralise_formulas():
    frame = pd.DataFrame({"detail": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "aman"], "n": [1, 2, 3, 4, 5]})
    csv = exports.to_csv(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'@SUM" in csv and ";aman;" not in csv and "aman;5" in csv
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(frame)))
    cells = [c.value for c in book.active["A"]][1:]
    assert cells[0] == "'=HYPERLINK(\"http://x\")"
    assert all(c.data_type == "s" for c in book.active["A"][1:])        # text, never a formula


def test_a_stranger_cannot_lock_the_owner_out(store, fresh_db):
    # OWASP's device cookies: the owner's browser signed in before and carries a signed cookie for "sri".
    owner = sessions.device_cookie(fresh_db, None, "sri")
    for i in range(5):   # a stranger, from any address (the same one as the owner's, too)
        store.login("sri", "salah", client="10.0.0.7", now=at(i))
    assert store.login("sri", "kata-sandi-sri", client="10.0.0.7", now=at(6)).reason == "locked"
    assert store.login("sri", "kata-sandi-sri", client="10.0.0.7", device_cookie=owner, now=at(6)).reason == "ok"
    # ... and the stranger stays locked out after the owner's success
    assert store.login("sri", "kata-sandi-sri", client="10.0.0.99", now=at(7)).reason == "locked"


def test_a_forged_or_foreign_device_cookie_is_no_key(store, fresh_db):
    store.add("budi", "Budi", "operator", "kata-sandi-budi", by="test")
    budis = sessions.device_cookie(fresh_db, None, "budi")
    _name, device, signature = budis.split(".")
    sris_name = base64.urlsafe_b64encode(b"sri").rstrip(b"=").decode()
    forged = [f"{sris_name}.{device}.{signature}",                  # budi's signature under sri's name
              f"{sris_name}.{device}.{'A' * len(signature)}", "sampah", "a.b.c.d~~", budis]
    for i in range(5):
        store.login("sri", "salah", now=at(i))
    for cookie in forged:
        assert store.login("sri", "kata-sandi-sri", device_cookie=cookie, now=at(6)).reason == "locked", cookie


def test_a_trusted_device_locks_only_itself(store, fresh_db):
    owner = sessions.device_cookie(fresh_db, None, "sri")
    for i in range(5):
        store.login("sri", "salah", device_cookie=owner, now=at(i))
    assert store.login("sri", "kata-sandi-sri", device_cookie=owner, now=at(6)).reason == "locked"
    assert store.login("sri", "kata-sandi-sri", now=at(6)).reason == "ok"    # other clients are not locked
    attempts = fresh_db.fetch_all("SELECT device IS NULL, success FROM login_attempts ORDER BY attempted_at")
    assert attempts == [(False, False)] * 5 + [(True, True)]


def test_one_browser_keeps_device_cookies_for_several_accounts(store, fresh_db):
    store.add("budi", "Budi", "operator", "kata-sandi-budi", by="test")
    both = sessions.device_cookie(fresh_db, sessions.device_cookie(fresh_db, None, "sri"), "budi")
    assert sessions.trusted_device(fresh_db, both, "sri") and sessions.trusted_device(fresh_db, both, "budi")
    assert sessions.trusted_device(fresh_db, both, "ani") is None
    many = None
    for i in range(sessions.MAX_DEVICES + 3):
        many = sessions.device_cookie(fresh_db, many, f"akun{i}")
    assert len(many.split("~")) == sessions.MAX_DEVICES     # bounded: the oldest accounts drop out
    assert sessions.trusted_device(fresh_db, many, f"akun{sessions.MAX_DEVICES + 2}")
    assert sessions.trusted_device(fresh_db, many, "akun0") is None


def test_unknown_names_are_counted_per_day_never_a_row_each(store, fresh_db):
    before = fresh_db.fetch_value("SELECT count(*) FROM login_attempts")
    for i in range(8):
        assert store.login(f"tamu{i}", "apa-saja-123", now=at(i)).reason == "wrong"
    store.login("tamu-lain", "apa-saja-123", now=at(60 * 24))   # the next day
    assert fresh_db.fetch_value("SELECT count(*) FROM login_attempts") == before
    assert auth.audit_log(fresh_db).query("action.str.startswith('login')").empty
    assert fresh_db.fetch_all("SELECT day, attempts FROM login_unknown ORDER BY day") == [
        (T0.date(), 8), (T0.date() + dt.timedelta(days=1), 1)]


def test_an_unknown_name_locks_like_an_account(store):
    # The same answers, in the same order, for a name that exists and one that does not.
    known = [store.login("sri", "salah", now=at(i)).reason for i in range(6)]
    unknown = [store.login("tidakada", "salah", now=at(i)).reason for i in range(6)]
    assert known == unknown == ["wrong"] * 4 + ["locked"] * 2
    assert store.login("tidakada", "salah", now=at(40)).reason == "wrong"   # the lock ends as an account's


def test_the_memory_of_unknown_names_is_bounded():
    names = auth.UnknownNames(limit=3)
    for i in range(10):
        names.fail(f"n{i}", at(0))
    assert list(names._failed) == ["n7", "n8", "n9"]


def test_names_that_cannot_be_accounts_are_never_stored(store, fresh_db):
    before = fresh_db.fetch_one("SELECT count(*) FROM login_attempts")[0]
    for name in ("x" * 100_000, "<script>", "a b", ""):
        assert store.login(name, "apa-saja-123").reason == "wrong"
    assert fresh_db.fetch_one("SELECT count(*) FROM login_attempts")[0] == before
    assert auth.audit_log(fresh_db, action="login_gagal").empty


def test_unknown_and_known_names_both_pay_for_an_argon2_verification(store, monkeypatch):
    # Behaviour, not timing: an unknown name is checked against a dummy hash, so it costs what a wrong
    # password costs and does not reveal which accounts exist.
    checked = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda h, p: checked.append(h) or real(h, p))
    store.login("tidakada", "salah-sekali")
    store.login("sri", "salah-sekali")
    store.login("nama dengan spasi", "salah-sekali")
    assert len(checked) == 3 and checked[0] == checked[2] == auth._dummy_hash() and checked[1] != auth._dummy_hash()


def test_revert_permission_is_enforced_below_the_page(demo_db):
    from ektp_metrics import history, upload
    saved = upload.ingest(demo_db, b"tanggal;kelurahan;rekam\n28/10/2013;Pajang;5\n", "x.csv", user="sri", role="operator")
    with pytest.raises(history.RevertRefused) as refused:
        history.revert(demo_db, saved.batch_id, user="budi", reason="x", role="operator")
    assert refused.value.code == "not_allowed"
    with pytest.raises(history.RevertRefused):
        history.revert(demo_db, saved.batch_id, user="p", reason="x", role="pimpinan")
    history.revert(demo_db, saved.batch_id, user="sri", reason="salah", role="operator")


# ---------------------------------------------------------------- who may do what: one table

# What each role may do, as the pages and domain functions did before the table (issue 18): a change to
# auth.PERMISSIONS must change this too.
EXPECTED_PERMISSIONS = {
    "admin": set(auth.ACTIONS),
    "operator": {"view_dashboards", "view_quality", "upload", "edit_schedule", "view_history", "revert_own",
                 "reconcile", "change_own_password"},
    "pimpinan": {"view_dashboards", "view_quality", "change_own_password"},
}


def test_the_permission_table_decides_every_action_for_every_role():
    assert set(auth.PERMISSIONS) == set(auth.ACTIONS) == set(auth.ACTION_TEXT)
    for action, row in auth.PERMISSIONS.items():
        assert len(row) == len(auth.ROLES) and all(isinstance(cell, bool) for cell in row), action
    assert set(auth.PAGE_ACTIONS.values()) <= set(auth.ACTIONS)
    for role in auth.ROLES:
        assert {a for a in auth.ACTIONS if auth.can(role, a)} == EXPECTED_PERMISSIONS[role], role


@pytest.mark.parametrize("role", [None, "", "superadmin", "Admin", "ADMIN", " admin", "operator ", "root"])
def test_unknown_roles_and_no_role_may_do_nothing(role, monkeypatch):
    assert not any(auth.can(role, action) for action in auth.ACTIONS)
    assert not auth.may_open(role, "unggah") and not auth.may_open(role, "pengguna")
    assert not auth.may_revert(auth.User("x", "X", role), "x")
    if role is not None:   # a role nobody has does not open the dashboards either, login or not
        assert not auth.may_open(role, "ringkasan")
        monkeypatch.setenv("EKTP_EXEC_LOGIN", "1")
        assert not auth.may_open(role, "ringkasan")


def test_an_unknown_action_is_an_error_not_a_permission():
    with pytest.raises(ValueError):
        auth.can("admin", "drop_everything")   # type: ignore[arg-type]


def test_not_allowed_is_the_apps_own_error_with_a_bahasa_message():
    error = auth.NotAllowed("operator", "add_published")
    assert not isinstance(error, OSError)   # PermissionError is an OSError: a file's permission, not a role's
    assert str(error) == "hanya admin yang menambah angka publikasi"
    assert str(auth.NotAllowed("pimpinan", "reconcile")) == "hanya admin dan operator yang mengubah data rekonsiliasi"
    with pytest.raises(auth.NotAllowed):
        auth.require(None, "upload")
    auth.require("operator", "upload")


def _everything(db) -> tuple:
    """Every table a domain call could write to, counted."""
    tables = ("batches", "daily_counts", "rekap", "targets", "jadwal_keliling", "jadwal_dari", "reference_figures",
              "pusat_unggahan", "pusat_rekap", "selisih_catatan", "audit_log")
    return tuple(db.fetch_one(f"SELECT count(*) FROM {t}")[0] for t in tables)


def test_a_domain_call_for_a_role_without_the_action_raises_and_writes_nothing(demo_db):
    from ektp_metrics import quality, schedule, upload
    from tests.helpers import central_csv

    day = dt.date(2013, 10, 25)
    daily = b"tanggal;kelurahan;rekam\n28/10/2013;Pajang;5\n"
    central = quality.import_central(demo_db, central_csv(demo_db), "pusat.csv", user="admin", role="admin")
    first = quality.reconciliation(demo_db, central.unggahan_id).iloc[0]["kode_kelurahan"]
    note = quality.add_reason(demo_db, central.unggahan_id, first, "pindah", 1, "", user="admin", role="admin")
    before = _everything(demo_db)
    calls = {
        "upload": lambda role: upload.ingest(demo_db, daily, "x.csv", user="x", role=role),
        "upload, dry run": lambda role: upload.ingest(demo_db, daily, "x.csv", user="x", role=role, dry_run=True),
        "schedule": lambda role: upload.ingest(demo_db, daily, "x.csv", user="x", role=role, schedule_from=day),
        "clear schedule": lambda role: schedule.clear_from(demo_db, day, user="x", role=role),
        "central recap": lambda role: quality.import_central(demo_db, central_csv(demo_db, less=lambda i: 1),
                                                             "pusat2.csv", user="x", role=role),
        "reason": lambda role: quality.add_reason(demo_db, central.unggahan_id, first, "pindah", 1, "", user="x",
                                                  role=role),
        "resolve": lambda role: quality.resolve_reason(demo_db, note, user="x", role=role),
        "published": lambda role: quality.add_published(demo_db, tanggal=day, indikator="sudah_rekam", nilai="1",
                                                        satuan="", penerbit="x", sumber_url="", catatan="", user="x",
                                                        role=role),
    }
    refused = {"upload": ("pimpinan",), "upload, dry run": ("pimpinan",), "schedule": ("pimpinan",),
               "clear schedule": ("pimpinan",), "central recap": ("pimpinan",), "reason": ("pimpinan",),
               "resolve": ("pimpinan",), "published": ("operator", "pimpinan")}
    for name, call in calls.items():
        for role in refused[name] + (None, "tamu"):
            with pytest.raises(auth.NotAllowed):
                call(role)
            assert _everything(demo_db) == before, (name, role)
    assert upload.ingest(demo_db, daily, "x.csv", user="x", role="operator").committed   # the same call, allowed
    assert _everything(demo_db) != before


def test_pages_and_domain_ask_the_table_not_role_names():
    """No role tuple or role comparison outside auth.PERMISSIONS (they were repeated in eight places)."""
    import re

    from tests.conftest import ROOT

    files = [*sorted((ROOT / "ektp_metrics").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
    pattern = re.compile(r"""role\s*(==|!=|\bin\b|\bnot in\b)\s*[("']|may_set_targets\s*=\s*True|role:\s*str\s*=""")
    found = [f"{path.relative_to(ROOT)}:{n}" for path in files if path.name != "auth.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []
