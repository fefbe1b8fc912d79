"""README's "Struktur" list names every module of ektp_metrics (so a new module gets its line)."""

from tests.conftest import ROOT


def _structure() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Struktur")
    return readme[start:readme.index("```", readme.index("```", start) + 3)]


def test_struktur_names_every_module_and_package():
    listed = _structure()
    package = ROOT / "ektp_metrics"
    names = [p.name for p in package.glob("*.py")]
    names += [p.name + "/" for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    assert names, "no modules found"
    assert [n for n in sorted(names) if n not in listed] == []
