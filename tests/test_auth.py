"""Accounts: hashing, lockout, roles, account changes, the CLI and safe exports."""

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from ektp_metrics import auth, exports
from tests.test_cli import ADMIN_PASSWORD, run

T0 = dt.datetime(2013, 10, 25, 19, 0)


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


def test_a_stranger_cannot_lock_the_owner_out(store):
    for i in range(5):
        store.login("sri", "salah", client="10.0.0.99", now=at(i))
    assert store.login("sri", "kata-sandi-sri", client="10.0.0.99", now=at(6)).reason == "locked"
    assert store.login("sri", "kata-sandi-sri", client="10.0.0.7", now=at(6)).reason == "ok"


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
    saved = upload.ingest(demo_db, b"tanggal;kelurahan;rekam\n28/10/2013;Pajang;5\n", "x.csv", user="sri", role="admin")
    with pytest.raises(history.RevertRefused) as refused:
        history.revert(demo_db, saved.batch_id, user="budi", reason="x", role="operator")
    assert refused.value.code == "not_allowed"
    with pytest.raises(history.RevertRefused):
        history.revert(demo_db, saved.batch_id, user="p", reason="x", role="pimpinan")
    history.revert(demo_db, saved.batch_id, user="sri", reason="salah", role="operator")
