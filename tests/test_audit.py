"""Issue 19, item 4: an audit log a person reads: Indonesian (or English) headers, actions in words (also in the
filter), the batch of a row one click from Riwayat with that batch open (?batch=N)."""

from __future__ import annotations

import json
import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from ektp_metrics import i18n, screen_tables, upload_templates
from ektp_metrics.db import Database, audit
from ektp_metrics.upload import ingest
from tests.apptest import _framed_page, page_app, sign_in
from tests.conftest import ROOT

HEADERS = {"id": ["Waktu", "Pengguna", "Tindakan", "Objek", "Keterangan", "Batch"],
           "en": ["Time", "User", "Action", "Object", "Details", "Batch"]}


def _written_actions() -> set[str]:
    """Every action code the code writes: the third argument of each audit(cur, user, ACTION, …) call."""
    codes: set[str] = set()
    for path in [*ROOT.glob("ektp_metrics/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py", ROOT / "serve.py"]:
        for call in re.findall(r"\baudit\(\s*\w+,\s*[^,()]+,\s*([^,)]+)", path.read_text()):
            codes.update(re.findall(r"""["']([a-z_]+)["']""", call))
    return codes


def test_every_action_the_code_writes_has_words_in_both_languages():
    codes = _written_actions()
    assert {"unggah", "batal", "pengguna_ditambah", "login", "cadangan_dibuat", "pengguna_dinonaktifkan"} <= codes
    assert len(codes) >= 15, codes   # the scan finds the calls (it is not vacuous)
    missing = sorted(c for c in codes if f"audit_act_{c}" not in i18n.TEXTS)
    assert missing == []
    for code in codes:
        words = {lang: screen_tables.audit_action(code, lang) for lang in ("id", "en")}
        assert words["id"] != code and words["en"] != code and words["id"] != words["en"], (code, words)
    assert screen_tables.audit_action("unggah") == "mengunggah"
    assert screen_tables.audit_action("batal") == "membatalkan batch"
    assert screen_tables.audit_action("pengguna_ditambah") == "menambah pengguna"
    assert screen_tables.audit_action("kode_lama") == "kode_lama"   # an older version's code: shown as it is


def test_the_audit_table_has_words_headers_and_links_to_riwayat():
    log = pd.DataFrame({"id": [3, 2, 1], "logged_at": pd.to_datetime(["2026-12-04 16:43", "2026-12-04 16:40", None]),
                        "user_name": ["admin", "sri", "sistem"], "action": ["batal", "unggah", "pengguna_ditambah"],
                        "object": ["batch 12", "batch 7", "sri"], "detail": ["salah", None, "operator"]})
    for lang, headers in HEADERS.items():
        table = screen_tables.audit_table(log, lang)
        assert list(table.columns) == headers
    table = screen_tables.audit_table(log, "id")
    assert list(table["Tindakan"]) == ["membatalkan batch", "mengunggah", "menambah pengguna"]
    assert list(table["Batch"].fillna("")) == ["riwayat?batch=12", "riwayat?batch=7", ""]
    assert table["Waktu"].tolist()[:2] == ["4 Desember 2026 23.43 WIB", "4 Desember 2026 23.40 WIB"]
    english = screen_tables.audit_table(log, "en")
    assert list(english["Action"]) == ["reverted a batch", "uploaded", "added a user"]
    download = screen_tables.audit_table(log, "id", download=True)
    assert list(download["Batch"]) == [12, 7, pd.NA] and download.columns[0] == "Waktu (WIB)"


def _with_upload(demo_path) -> int:
    with Database(demo_path, create=False) as db:
        saved = ingest(db, upload_templates.example_path("harian").read_bytes(), "contoh.csv", user="admin",
                       role="admin")
        assert saved.committed, saved.problems
        with db.transaction() as cur:
            audit(cur, "admin", "pengguna_ditambah", "sri", "operator")
        return int(saved.batch_id)


def test_pengguna_shows_the_audit_log_in_words_with_batch_links(demo_path, monkeypatch):
    batch = _with_upload(demo_path)
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin")
    log = at.dataframe[-1].value
    assert list(log.columns) == HEADERS["id"]
    row = log[log["Batch"] == f"riwayat?batch={batch}"].iloc[0]
    assert (row["Tindakan"], row["Pengguna"], row["Objek"]) == ("mengunggah", "admin", f"batch {batch}")
    assert "menambah pengguna" in set(log["Tindakan"])
    assert not any(code in set(log["Tindakan"]) for code in ("unggah", "pengguna_ditambah", "demo_dibuat"))
    # the Batch column is a link (shown as its number), not text
    config = json.loads(at.dataframe[-1].proto.columns)
    assert config["Batch"]["type_config"]["type"] == "link"

    # the action filter shows words and still filters by the action
    choice = next(s for s in at.selectbox if s.label == "Tindakan")
    assert "mengunggah" in choice.options and "unggah" not in choice.options
    choice.select("unggah").run()
    log = at.dataframe[-1].value
    assert set(log["Tindakan"]) == {"mengunggah"} and f"riwayat?batch={batch}" in set(log["Batch"])

    at.session_state["lang"] = "en"
    at.run()
    log = at.dataframe[-1].value
    assert list(log.columns) == HEADERS["en"] and set(log["Action"]) == {"uploaded"}
    assert "uploaded" in next(s for s in at.selectbox if s.label == "Action").options


def _riwayat(monkeypatch, demo_path, query: dict[str, str]) -> AppTest:
    """Riwayat opened afresh at a URL with these query parameters (a link from the audit log, a bookmark)."""
    monkeypatch.setenv("EKTP_DB", str(demo_path))
    for name in ("EKTP_TODAY", "EKTP_LANG"):
        monkeypatch.delenv(name, raising=False)
    at = AppTest.from_function(_framed_page, args=("pages.riwayat",), default_timeout=60)
    sign_in(at, "admin")
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_batch_link_opens_riwayat_on_that_batch(demo_path, monkeypatch):
    batch = _with_upload(demo_path)
    with Database(demo_path, create=False) as db:
        older = int(db.fetch_value("SELECT min(id) FROM batches"))
    assert older != batch
    at = _riwayat(monkeypatch, demo_path, {"batch": str(older)})
    assert at.selectbox[0].value == older
    assert any(f"Batch {older}" in m.value for m in at.markdown)
    # the URL follows the person's choice, so it can be bookmarked
    at.selectbox[0].select(batch).run()
    assert at.selectbox[0].value == batch and at.query_params["batch"] == str(batch)
    # a new link in the same session opens its batch again
    at.query_params["batch"] = str(older)
    at.run()
    assert at.selectbox[0].value == older


def test_riwayat_without_or_with_a_wrong_batch_opens_the_newest(demo_path, monkeypatch):
    batch = _with_upload(demo_path)
    for query in ({}, {"batch": "abc"}, {"batch": "999999"}, {"batch": "-1"}):
        at = _riwayat(monkeypatch, demo_path, query)
        assert at.selectbox[0].value == batch, query
        assert at.query_params["batch"] == str(batch), query


def test_riwayat_names_a_batch_without_a_fingerprint_with_a_dash(demo_path, monkeypatch):
    # batches written by the system (the published figures of the demo) have no file hash: "–", never "nan"
    at = page_app(monkeypatch, demo_path, "riwayat.py", user="admin")
    at.selectbox(key="riwayat_batch").set_value(2).run()
    line = next(m.value for m in at.markdown if m.value.startswith("Batch 2 ·"))
    assert line.endswith("sha256 –") and "nan" not in line
