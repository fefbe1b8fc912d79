"""API tokens (issue 20, ektp_metrics.tokens): made by an admin, kept as a hash only, acting with the user's
current role, ended by expiry, revocation or a disabled account; making and revoking audited."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ektp_metrics import auth, fields, screen_tables, tokens
from ektp_metrics.db import Database

T0 = dt.datetime(2026, 12, 4, 16, 43)   # naive UTC, as the database stores moments: 23.43 WIB


def _make(db: Database, user: str = "operator", name: str = "SIAK malam", days: int = tokens.DEFAULT_DAYS,
          now: dt.datetime | None = T0) -> tuple[int, str]:
    return tokens.create(db, user, name, days, by="admin", role="admin", now=now)


def _row(db: Database, token_id: int) -> dict:
    frame = db.fetch_df("SELECT * FROM api_tokens WHERE id = ?", [token_id])
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def _audit(db: Database, action: str) -> list[tuple]:
    return db.fetch_all("SELECT user_name, object, detail FROM audit_log WHERE action = ? ORDER BY id", [action])


def test_life_cycle_create_use_revoke(demo_db):
    token_id, secret = _make(demo_db)
    assert secret.startswith(tokens.PREFIX) and len(secret) >= len(tokens.PREFIX) + 43   # 256 random bits
    assert pd.isna(_row(demo_db, token_id)["last_used_at"])

    checked = tokens.check(demo_db, secret, now=T0 + dt.timedelta(hours=1))
    assert checked.refused is None and checked.token_id == token_id
    assert checked.user == auth.User("operator", checked.user.display_name, "operator")
    assert _row(demo_db, token_id)["last_used_at"] == T0 + dt.timedelta(hours=1)

    tokens.revoke(demo_db, token_id, by="admin", role="admin", now=T0 + dt.timedelta(hours=2))
    row = _row(demo_db, token_id)
    assert (row["revoked_at"], row["revoked_by"]) == (T0 + dt.timedelta(hours=2), "admin")
    refused = tokens.check(demo_db, secret, now=T0 + dt.timedelta(hours=3))
    assert refused == tokens.Checked(None, token_id, "dicabut")
    with pytest.raises(tokens.TokenError) as again:          # revoked once only
        tokens.revoke(demo_db, token_id, by="admin", role="admin")
    assert (again.value.code, again.value.params) == ("unknown_token", {"id": token_id})
    assert tokens.listing(demo_db).set_index("id").at[token_id, "status"] == "dicabut"


def test_unknown_and_malformed_secrets_are_refused(demo_db):
    _, secret = _make(demo_db)
    for presented in ("", "ektp_", "Bearer " + secret, secret[:-1], secret + "x", secret.upper(),
                      secret.removeprefix(tokens.PREFIX), tokens.PREFIX + "x" * 500):
        assert tokens.check(demo_db, presented) == tokens.Checked(None, refused="tidak_ada"), presented
    assert tokens.check(demo_db, secret).user is not None


def test_a_token_expires(demo_db):
    token_id, secret = _make(demo_db, days=1)
    end = T0 + dt.timedelta(days=1)
    assert _row(demo_db, token_id)["expires_at"] == end
    assert tokens.check(demo_db, secret, now=end - dt.timedelta(seconds=1)).user is not None
    assert tokens.check(demo_db, secret, now=end) == tokens.Checked(None, token_id, "kedaluwarsa")
    assert tokens.listing(demo_db, now=end - dt.timedelta(seconds=1)).at[0, "status"] == "aktif"
    assert tokens.listing(demo_db, now=end).at[0, "status"] == "kedaluwarsa"


def test_a_disabled_accounts_token_stops_until_it_is_enabled(demo_db):
    token_id, secret = _make(demo_db)
    store = auth.PasswordStore(demo_db)
    store.set_active("operator", False, by="admin")
    assert tokens.check(demo_db, secret) == tokens.Checked(None, token_id, "nonaktif")
    assert tokens.listing(demo_db).at[0, "status"] == "nonaktif"
    with pytest.raises(tokens.TokenError) as refused:          # and no new one for a disabled account
        _make(demo_db)
    assert refused.value.code == "inactive_user"
    store.set_active("operator", True, by="admin")
    assert tokens.check(demo_db, secret).user.username == "operator"
    assert tokens.listing(demo_db).at[0, "status"] == "aktif"


def test_a_token_acts_with_its_users_current_role(demo_db):
    _, secret = _make(demo_db)
    assert tokens.check(demo_db, secret).user.role == "operator"
    with demo_db.transaction() as cur:
        cur.execute("UPDATE users SET role = 'pimpinan' WHERE username = 'operator'")
    user = tokens.check(demo_db, secret).user
    assert user.role == "pimpinan" and not auth.can(user.role, "upload")


def test_only_the_hash_is_stored(demo_path):
    with Database(demo_path, create=False) as db:
        token_id, secret = _make(db)
        tokens.check(db, secret)
        tokens.revoke(db, token_id, by="admin", role="admin")
        tables = [r[0] for r in db.fetch_all("""SELECT table_name FROM information_schema.tables
                                                WHERE table_schema = 'main' AND table_type = 'BASE TABLE'""")]
        assert "api_tokens" in tables and "audit_log" in tables and len(tables) > 5

        def holding(text: str) -> list[str]:   # the tables with a cell (a whole row as text) containing `text`
            return [name for name in tables
                    if db.fetch_one(f'SELECT count(*) FROM "{name}" AS r WHERE CAST(r AS VARCHAR) LIKE ?',
                                    [f"%{text}%"])[0]]

        assert holding(tokens.token_hash(secret)) == ["api_tokens"]   # the scan finds what is there
        assert holding(secret.removeprefix(tokens.PREFIX)) == []
        assert holding(secret.removeprefix(tokens.PREFIX)[:20]) == []
    assert secret.removeprefix(tokens.PREFIX).encode() not in demo_path.read_bytes()


@pytest.mark.parametrize("role", ["operator", "pimpinan", None, "superadmin"])
def test_only_an_admin_makes_or_revokes_tokens(demo_db, role):
    token_id, secret = _make(demo_db)
    with pytest.raises(auth.NotAllowed):
        tokens.create(demo_db, "operator", "skrip", by="operator", role=role)
    with pytest.raises(auth.NotAllowed):
        tokens.revoke(demo_db, token_id, by="operator", role=role)
    assert demo_db.fetch_all("SELECT id, revoked_at FROM api_tokens") == [(token_id, None)]   # nothing written
    assert tokens.check(demo_db, secret).user is not None


@pytest.mark.parametrize("name,days,code,params", [
    ("", 30, "name_required", {}),
    ("   ", 30, "name_required", {}),
    ("x" * (fields.LIMITS["token_name"] + 1), 30, "name_too_long",
     {"n": fields.LIMITS["token_name"] + 1, "batas": fields.LIMITS["token_name"]}),
    ("SIAK", 0, "bad_days", {"maks": tokens.MAX_DAYS}),
    ("SIAK", -5, "bad_days", {"maks": tokens.MAX_DAYS}),
    ("SIAK", tokens.MAX_DAYS + 1, "bad_days", {"maks": tokens.MAX_DAYS}),
    ("SIAK", 1.5, "bad_days", {"maks": tokens.MAX_DAYS}),
    ("SIAK", True, "bad_days", {"maks": tokens.MAX_DAYS}),
])
def test_bad_names_and_days_are_refused_with_their_message(demo_db, name, days, code, params):
    from ektp_metrics import i18n
    with pytest.raises(tokens.TokenError) as refused:
        tokens.create(demo_db, "operator", name, days, by="admin", role="admin")
    assert (refused.value.code, refused.value.params) == (code, params)
    for lang in ("id", "en"):
        assert i18n.t(f"token_{code}", lang, **refused.value.params)
    assert demo_db.fetch_one("SELECT count(*) FROM api_tokens")[0] == 0
    assert _audit(demo_db, "token_dibuat") == []


def test_the_limits_themselves_are_accepted(demo_db):
    longest = "x" * fields.LIMITS["token_name"]
    first, _ = tokens.create(demo_db, "operator", f"  {longest}  ", 1, by="admin", role="admin", now=T0)
    last, _ = tokens.create(demo_db, "operator", "SIAK", tokens.MAX_DAYS, by="admin", role="admin", now=T0)
    assert _row(demo_db, first)["nama"] == longest
    assert _row(demo_db, last)["expires_at"] == T0 + dt.timedelta(days=tokens.MAX_DAYS)


def test_unknown_user_is_refused(demo_db):
    with pytest.raises(tokens.TokenError) as refused:
        _make(demo_db, user="tidak_ada")
    assert (refused.value.code, refused.value.params) == ("unknown_user", {"user": "tidak_ada"})


def test_making_and_revoking_are_audited_using_is_not(demo_db):
    token_id, secret = _make(demo_db, name="Satu Data", days=30)
    assert _audit(demo_db, "token_dibuat") == [("admin", "operator", f"token {token_id} \u201cSatu Data\u201d, 30 hari")]
    before = demo_db.fetch_one("SELECT count(*) FROM audit_log")[0]
    tokens.check(demo_db, secret)
    assert demo_db.fetch_one("SELECT count(*) FROM audit_log")[0] == before
    tokens.revoke(demo_db, token_id, by="admin", role="admin")
    assert _audit(demo_db, "token_dicabut") == [("admin", "operator", f"token {token_id} \u201cSatu Data\u201d")]
    assert secret not in str(demo_db.fetch_all("SELECT * FROM audit_log"))


def test_last_use_is_written_at_most_once_per_touch_period(demo_db):
    token_id, secret = _make(demo_db)
    step = dt.timedelta(seconds=tokens.TOUCH_SECONDS)
    tokens.check(demo_db, secret, now=T0)
    assert _row(demo_db, token_id)["last_used_at"] == T0
    tokens.check(demo_db, secret, now=T0 + step / 2)
    tokens.check(demo_db, secret, now=T0 + step)
    assert _row(demo_db, token_id)["last_used_at"] == T0          # not written again within the period
    later = T0 + step + dt.timedelta(seconds=1)
    tokens.check(demo_db, secret, now=later)
    assert _row(demo_db, token_id)["last_used_at"] == later


def test_a_read_only_database_still_answers(demo_path):
    with Database(demo_path, create=False) as db:
        _, secret = _make(db)
    with Database(demo_path, create=False, read_only=True) as db:
        checked = tokens.check(db, secret)
    assert checked.user is not None and checked.user.username == "operator"


def test_listing_per_user_newest_first(demo_db):
    first, _ = _make(demo_db, user="operator")
    second, _ = _make(demo_db, user="pimpinan")
    third, _ = _make(demo_db, user="operator", name="cadangan")
    assert list(tokens.listing(demo_db)["id"]) == [third, second, first]
    assert list(tokens.listing(demo_db, "operator")["id"]) == [third, first]
    assert tokens.listing(demo_db, "admin").empty


def test_the_table_for_people(demo_db):
    _make(demo_db, name="SIAK malam", days=1)
    token_id, secret = _make(demo_db, name="Satu Data")
    tokens.check(demo_db, secret, now=T0)
    listing = tokens.listing(demo_db, now=T0 + dt.timedelta(hours=1))
    table = screen_tables.tokens_table(listing, "id")
    assert list(table.columns) == ["ID", "Pengguna", "Nama token", "Dibuat oleh", "Dibuat", "Berlaku sampai",
                                   "Terakhir dipakai", "Status"]
    first = table.iloc[0]
    assert (first["ID"], first["Nama token"], first["Dibuat oleh"]) == (token_id, "Satu Data", "admin")
    assert first["Dibuat"] == "4 Desember 2026 23.43 WIB" and first["Terakhir dipakai"] == "4 Desember 2026 23.43 WIB"
    assert first["Berlaku sampai"] == "4 Maret 2027 23.43 WIB"                      # 90 days
    assert list(table["Status"]) == ["aktif", "aktif"] and table.iloc[1]["Terakhir dipakai"] == "belum pernah"
    english = screen_tables.tokens_table(tokens.listing(demo_db, now=T0 + dt.timedelta(days=2)), "en")
    assert list(english["Status"]) == ["active", "expired"] and english.iloc[1]["Last used"] == "never"
    assert english.iloc[0]["Created"] == "4 December 2026 11:43 PM WIB"
    assert secret not in table.to_string()


def test_usage_lines():
    header, cli = tokens.usage("ektp_abc", "http://10.0.0.5:8501/")
    assert header == "Authorization: Bearer ektp_abc"
    assert cli == "EKTP_TOKEN=ektp_abc python -m ektp_metrics import --url http://10.0.0.5:8501 laporan_harian.csv"
