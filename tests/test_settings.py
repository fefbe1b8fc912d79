import re
import string

from ektp_metrics import i18n, settings
from tests.conftest import ROOT


def test_every_setting_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text()
    for s in settings.SETTINGS:
        assert f"`{s.name}`" in readme, s.name


def test_every_text_has_both_languages_with_the_same_placeholders():
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}
    for key, entry in i18n.TEXTS.items():
        assert set(entry) == set(i18n.LANGUAGES), key
        # a plural text: every form of it (tests/test_i18n.py)
        forms = [form for lang in i18n.LANGUAGES for form in i18n.variants(entry[lang])]
        assert all(fields(form) == fields(forms[0]) for form in forms), key


def test_no_text_key_is_defined_twice():
    # A dict literal keeps the last of two equal keys silently; an edit could change a text unnoticed.
    import ast
    import collections
    tree = ast.parse((ROOT / "ektp_metrics" / "i18n.py").read_text())
    table = next(n for n in ast.walk(tree) if isinstance(n, ast.Dict) and len(n.keys) > 100)
    counts = collections.Counter(k.value for k in table.keys if isinstance(k, ast.Constant))
    assert [k for k, n in counts.items() if n > 1] == []


def test_every_text_key_used_in_the_app_exists():
    used = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ektp_metrics/*.py")]:
        used |= set(re.findall(r"\bt\(\s*\"([a-z_]+)\"", path.read_text()))
    assert used, "no text keys found: the pattern is broken"
    assert used <= set(i18n.TEXTS), used - set(i18n.TEXTS)


def test_defaults(monkeypatch):
    monkeypatch.delenv("EKTP_DB", raising=False)
    monkeypatch.delenv("EKTP_DEADLINE", raising=False)
    assert settings.db_path() == ROOT / "data" / "ektp.duckdb"
    assert settings.deadline().isoformat() == "2013-12-31"
    monkeypatch.setenv("EKTP_DB", "/tmp/x.duckdb")
    assert str(settings.db_path()) == "/tmp/x.duckdb"
