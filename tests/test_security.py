"""Standing hardening rules: checked over the code and the configuration."""

import re
import tomllib

from ektp_metrics import settings, upload
from tests.apptest import page_app
from tests.conftest import ROOT


def test_no_page_renders_raw_html():
    # The one st.html: app.py's style sheet (ektp_metrics.a11y.style_sheet: the package's CSS files, every
    # text in it escaped as a CSS string; tests/test_a11y_texts.py).
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ektp_metrics/*.py")]:
        text = path.read_text()
        assert "unsafe_allow_html" not in text, path
        allowed = ["st.html(a11y.style_sheet"] if path.name == "app.py" and path.parent == ROOT else []
        assert [m.group(0) for m in re.finditer(r"\bst\.html\([\w.]*", text)] == allowed, path


def test_the_lobby_screen_trusts_only_html_built_by_kiosk():
    # The lobby screen (ektp_metrics/web.py) is a Jinja template with autoescape on; the only HTML it
    # passes through as it is comes from ektp_metrics.kiosk, which escapes every value (tests/test_kiosk.py).
    import ast

    from ektp_metrics import web
    assert web._ENV.autoescape is True
    tree = ast.parse((ROOT / "ektp_metrics" / "web.py").read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
             and n.func.id == "Markup"]
    assert calls

    def from_kiosk(node) -> bool:   # kiosk.CSS or kiosk.waiting(...) with no arguments from outside
        if isinstance(node, ast.Call):
            return not node.args and not node.keywords and from_kiosk(node.func)
        return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "kiosk"

    assert all(len(c.args) == 1 and not c.keywords and from_kiosk(c.args[0]) for c in calls)
    template = (ROOT / "ektp_metrics" / "html" / "layar.html").read_text()
    assert "|safe" not in template.replace(" ", "") and "autoescape false" not in template


def test_streamlit_config_hides_errors_sends_nothing_and_checks_xsrf():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["enableXsrfProtection"] is True
    # the server enforces the upload limit; ingest checks the same limit again
    assert config["server"]["maxUploadSize"] == int(settings.number("EKTP_MAX_UPLOAD_MB"))


def test_no_credentials_outside_the_demo():
    from ektp_metrics import demo
    passwords = [p for *_, p in demo.DEMO_ACCOUNTS]
    for path in [*ROOT.glob("ektp_metrics/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py", ROOT / "Makefile"]:
        if path.name in ("demo.py", "i18n.py"):   # the demo accounts, and the login form's demo note
            continue
        assert not any(p in path.read_text() for p in passwords), path


def test_an_operator_may_not_change_targets(demo_db):
    rekap = b"tanggal;kelurahan;wajib_ktp;sudah_rekam\n31/10/2013;Pajang;20.000;15.000\n"
    refused = upload.ingest(demo_db, rekap, "r.csv", user="operator", role="operator")
    assert [p.code for p in refused.problems] == ["targets_admin_only"]
    without = b"tanggal;kelurahan;sudah_rekam\n31/10/2013;Pajang;9.500\n"
    assert upload.ingest(demo_db, without, "r2.csv", user="operator", role="operator", force=True).committed


def test_admin_manages_users_on_the_pengguna_page(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin")
    assert set(at.dataframe[0].value["Nama pengguna"]) == {"admin", "operator", "pimpinan"}
    at.text_input(key="add_username").input("sri")
    at.text_input(key="add_name").input("Sri Lestari")
    at.text_input(key="add_password").input("kata-sandi-sri")
    at.text_input(key="add_password_again").input("kata-sandi-sri")
    next(b for b in at.button if b.label == "Tambah pengguna").click().run()
    assert not at.exception
    assert any("Akun sri dibuat" in s.value for s in at.success)
    assert "sri" in set(at.dataframe[0].value["Nama pengguna"])
    at.selectbox(key="manage_user").select("sri").run()
    at.button(key="toggle_active").click().run()
    log = at.dataframe[1].value
    assert {"menambah pengguna", "menonaktifkan pengguna"} <= set(log["Tindakan"])   # in words
    assert [b for b in at.get("download_button")]


def test_mismatched_passwords_create_nothing(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin")
    at.text_input(key="add_username").input("ani")
    at.text_input(key="add_password").input("kata-sandi-ani-1")
    at.text_input(key="add_password_again").input("kata-sandi-ani-2")
    next(b for b in at.button if b.label == "Tambah pengguna").click().run()
    assert any("tidak sama" in e.value for e in at.error)
    assert "ani" not in set(at.dataframe[0].value["Nama pengguna"])


def test_an_operator_sees_the_admin_only_message_on_the_page(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "unggah.py", user="operator")
    rekap = b"tanggal;kelurahan;wajib_ktp;sudah_rekam\n31/10/2013;Pajang;20.000;15.000\n"
    at.file_uploader[0].upload("r.csv", rekap, "text/csv").run()
    assert any("Hanya admin yang boleh mengubah angka wajib KTP" in m for m in at.table[0].value.iloc[:, 2])


def test_admin_edits_the_public_screen_texts(demo_path, monkeypatch):
    from ektp_metrics.db import Database
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin")
    assert "Achmad Purnomo" in next(i for i in at.text_input if i.label == "Nama dan jabatan").value
    next(i for i in at.text_input if i.label == "Nama dan jabatan").input("Achmad Purnomo, Wakil Wali Kota")
    at.text_area[0].input("Ayo rekam e-KTP di kelurahan!")
    next(b for b in at.button if b.label == "Simpan teks layar").click().run()
    assert any("Teks layar publik disimpan" in s.value for s in at.success)
    with Database(demo_path, create=False) as db:
        assert db.get_setting("wawali_ajakan") == "Ayo rekam e-KTP di kelurahan!"
        log = db.fetch_df("SELECT * FROM audit_log WHERE action = 'teks_layar_diubah'")
    assert set(log["user_name"]) == {"admin"} and len(log) == 2      # the unchanged card text is not logged
    next(i for i in at.text_input if i.label.startswith("Tempat pengambilan")).input("Di kantor kecamatan.")
    next(b for b in at.button if b.label == "Simpan teks layar").click().run()
    with Database(demo_path, create=False) as db:
        assert db.get_setting("kartu_tempat") == "Di kantor kecamatan."
