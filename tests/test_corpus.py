"""Every corpus file gives exactly its expected outcome against the demo database."""

import pytest

from ektp_metrics import upload
from ektp_metrics.db import Database
from tests.corpus.make_corpus import CASES, FILES


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "demo.duckdb"
    path.write_bytes(demo_template.read_bytes())
    with Database(path, create=False) as db:
        yield db


def test_corpus_is_large_and_varied():
    assert len(CASES) >= 40
    assert sum(c.accepted for c in CASES) >= 20 and sum(not c.accepted for c in CASES) >= 20
    names = " ".join(c.name for c in CASES)
    assert ".xlsx" in names and ".tsv" in names and ".txt" in names


def test_committed_files_are_what_the_generator_writes():
    for case in CASES:
        assert (FILES / case.name).read_bytes() == case.content, f"run python -m tests.corpus.make_corpus ({case.name})"
    assert sorted(p.name for p in FILES.iterdir()) == sorted(c.name for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_expected_outcome(demo, case):
    before = demo.fetch_one("SELECT count(*) FROM batches")[0]
    result = upload.ingest(demo, (FILES / case.name).read_bytes(), case.name, user="tes", role="admin", dry_run=True,
                           sheet=case.sheet, force=case.force)
    got = sorted((p.code, p.baris, p.kolom) for p in result.problems)
    assert got == sorted(case.problems)
    assert result.accepted == case.accepted
    assert result.kind == case.kind
    assert result.rows == case.rows
    assert tuple(result.ignored_columns) == case.ignored
    if case.accepted:
        assert result.change is not None, "an accepted file says what it will change"
    assert demo.fetch_one("SELECT count(*) FROM batches")[0] == before, "a dry run writes nothing"


def test_a_formula_is_reported_as_text(demo):
    result = upload.ingest(demo, (FILES / "rumus_excel.xlsx").read_bytes(), "rumus_excel.xlsx", user="tes", role="admin",
                           dry_run=True)
    assert result.problems[0].params["nilai"] == "=SUM(C3:C4)"


def test_unknown_name_suggests_the_closest(demo):
    result = upload.ingest(demo, (FILES / "kelurahan_salah_eja.csv").read_bytes(), "x.csv", user="tes", role="admin", dry_run=True)
    assert result.problems[0].params["saran"].split(", ")[0] == "Pucangsawit"
