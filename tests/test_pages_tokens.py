"""Pengguna's "Token API" section through AppTest: an admin makes a token (its secret shown once), sees it
listed, revokes it."""

from __future__ import annotations

from ektp_metrics import tokens
from ektp_metrics.db import Database
from tests.apptest import page_app


def _secrets_shown(at) -> list[str]:
    return [c.value for c in at.code if tokens.PREFIX in c.value]


def _token_table(at):
    return next(d.value for d in at.dataframe if "Nama token" in d.value.columns)


def _check(db_path, secret: str) -> tokens.Checked:
    with Database(db_path, create=False) as db:
        return tokens.check(db, secret)


def test_an_admin_makes_a_token_sees_it_once_and_revokes_it(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin")
    assert any("Belum ada token API" in i.value for i in at.info) and not _secrets_shown(at)
    assert at.text_input(key="token_nama").max_chars == 80
    assert at.number_input(key="token_hari").value == tokens.DEFAULT_DAYS

    at.selectbox(key="token_user").select("operator")
    at.text_input(key="token_nama").input("SIAK malam")
    at.number_input(key="token_hari").set_value(30)
    at.button(key="token_make_submit").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])

    shown = _secrets_shown(at)
    assert len(shown) == 2                                  # the secret, and how to use it
    secret = shown[0]
    assert secret.startswith(tokens.PREFIX) and "\n" not in secret
    assert f"Authorization: Bearer {secret}" in shown[1]
    assert f"EKTP_TOKEN={secret} python -m ektp_metrics import --url http://" in shown[1]
    assert any("hanya ditampilkan sekali" in w.value for w in at.warning)
    assert any("SIAK malam" in s.value and "operator" in s.value for s in at.success)
    table = _token_table(at)
    assert table[["Pengguna", "Nama token", "Dibuat oleh", "Status"]].values.tolist() == [
        ["operator", "SIAK malam", "admin", "aktif"]]
    assert table.at[0, "Terakhir dipakai"] == "belum pernah" and table.at[0, "Berlaku sampai"].endswith("WIB")
    assert secret not in table.to_string()
    token_id = int(table.at[0, "ID"])

    checked = _check(demo_path, secret)                     # the shown secret works, for operator
    assert (checked.refused, checked.token_id, checked.user.username) == (None, token_id, "operator")

    at.run()                                                # a rerun (or a reload) never shows it again
    assert not _secrets_shown(at) and not any("hanya ditampilkan sekali" in w.value for w in at.warning)
    assert "token_baru" not in at.session_state
    assert _token_table(at).at[0, "Terakhir dipakai"].endswith("WIB")   # used just now

    # Revoking asks for a confirmation first.
    at.selectbox(key="token_pick").select(token_id)
    at.button(key="token_revoke_submit").click().run()
    assert any("Centang konfirmasi" in e.value for e in at.error)
    assert _check(demo_path, secret).refused is None
    at.selectbox(key="token_pick").select(token_id)
    at.checkbox(key="token_sure").check()
    at.button(key="token_revoke_submit").click().run()
    assert not at.exception and not at.error
    assert any(f"Token {token_id}" in s.value and "dicabut" in s.value for s in at.success)
    assert _token_table(at).at[0, "Status"] == "dicabut"
    assert any("Tidak ada token yang bisa dicabut" in i.value for i in at.info)
    assert _check(demo_path, secret) == tokens.Checked(None, token_id, "dicabut")
    with Database(demo_path, create=False) as db:
        assert db.fetch_all("SELECT action, object FROM audit_log WHERE action LIKE 'token_%' ORDER BY id") == [
            ("token_dibuat", "operator"), ("token_dicabut", "operator")]


def test_a_refused_token_says_why_in_words(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin")
    at.text_input(key="token_nama").input("   ")
    at.button(key="token_make_submit").click().run()
    assert [e.value for e in at.error] == ["Isi nama token (untuk apa token ini, mis. \u201cSIAK malam\u201d)."]
    assert not _secrets_shown(at)
    with Database(demo_path, create=False) as db:
        assert db.fetch_one("SELECT count(*) FROM api_tokens")[0] == 0


def test_only_active_accounts_are_offered_and_the_section_reads_in_english(demo_path, monkeypatch):
    from ektp_metrics.auth import PasswordStore
    with Database(demo_path, create=False) as db:
        PasswordStore(db).set_active("pimpinan", False, by="admin")
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin", EKTP_LANG="en")
    offered = [label.split(" ")[0] for label in at.selectbox(key="token_user").options]
    assert offered == ["admin", "operator"]
    assert any(h.value == "API tokens" for h in at.header)
    assert any("No API tokens yet" in i.value for i in at.info)
