"""The text table: plural forms (CLDR rules via Babel), the 'baris N' prefix, and no text left unused."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import pytest

from ektp_metrics import formatting, i18n
from tests.conftest import ROOT

COUNTS = (0, 1, 2, 21)


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _counts(text: i18n.Text) -> set[str]:
    """Every placeholder that chooses a form in a (possibly nested) plural text."""
    if not isinstance(text, i18n.Plural):
        return set()
    return {text.count}.union(*(_counts(form) for form in text.forms.values()))


class _Shown(int):
    """A count that prints as N: the texts chosen for two counts compare equal when they are one form."""

    def __format__(self, spec: str) -> str:
        return "N"


PLURALS = sorted(k for k, e in i18n.TEXTS.items() if any(isinstance(v, i18n.Plural) for v in e.values()))


def test_plural_texts_exist_and_indonesian_has_one_form():
    assert len(PLURALS) >= 24
    for key in PLURALS:
        assert isinstance(i18n.TEXTS[key]["id"], str), key    # Indonesian: CLDR "other" only
        assert _counts(i18n.TEXTS[key]["en"]) <= _fields(i18n.TEXTS[key]["id"]), key


@pytest.mark.parametrize("key", PLURALS)
def test_every_plural_text_renders_for_0_1_2_21_in_both_languages(key):
    entry = i18n.TEXTS[key]
    counts = _counts(entry["en"])
    fields = _fields(entry["id"])
    for lang in i18n.LANGUAGES:
        for name in counts:
            for n in COUNTS:
                # the other counts at 2; each count both as a number and as the page formats it
                for shown in (n, formatting.angka(n, lang)):
                    values: dict[str, object] = {f: "X" for f in fields} | {c: 2 for c in counts} | {name: shown}
                    text = i18n.t(key, lang, **values)
                    assert "{" not in text and str(n) in text, (key, lang, name, n, text)
                    if lang == "id":
                        assert text == entry["id"].format(**values)
    # English: the form for 1 differs from the one for 2, and 0, 2 and 21 take the same ("other") form
    for name in counts:
        base = {f: "X" for f in fields} | {c: 2 for c in counts}
        forms = {n: i18n.t(key, "en", **(base | {name: _Shown(n)})) for n in COUNTS}
        assert forms[0] == forms[2] == forms[21] != forms[1], (key, name, forms)


def test_plural_forms_read_right():
    assert i18n.t("as_of_line", "en", tanggal="25 Oct", hari=1, batas="31 Dec") == "As of 25 Oct · 1 day left to 31 Dec"
    assert i18n.t("as_of_line", "en", tanggal="25 Oct", hari=21, batas="31 Dec") == "As of 25 Oct · 21 days left to 31 Dec"
    assert i18n.t("as_of_line", "id", tanggal="25 Okt", hari=1, batas="31 Des") == "Per 25 Okt · 1 hari lagi menuju 31 Des"
    assert i18n.t("unggah_refused", "en", n=1).startswith("Refused: 1 problem. ")
    assert i18n.t("unggah_refused", "en", n=0).startswith("Refused: 0 problems. ")
    assert i18n.t("keliling_edit", "en", n=1) == "Edit the coming schedule (1 visit)"
    assert i18n.t("aturan_n", "en", n="1,050") == "1,050 findings"       # as formatting.angka gives it
    assert i18n.t("aturan_n", "id", n="1.050") == "1.050 temuan"
    assert i18n.t("missing_targets", "en", n="1").startswith("1 kelurahan has no wajib KTP target on this date; its ")
    assert i18n.t("proj_past", "en", batas="31 Dec", sisa="1") == "The 31 Dec deadline has passed; 1 remains."
    # two counts, each choosing its own word
    assert i18n.t("keliling_saved", "en", batch=7, n=1, diganti=2) == (
        "Schedule saved as batch 7: 1 visit, 2 earlier visits replaced. Reversible on History.")
    assert i18n.t("keliling_saved", "en", batch=7, n=21, diganti=1) == (
        "Schedule saved as batch 7: 21 visits, 1 earlier visit replaced. Reversible on History.")


def test_plural_category_follows_cldr_on_the_number_as_shown():
    assert [i18n.plural_category(v, "en") for v in (1, "1", "+1", "−1", 0, 2, 21, 101, "1,000", "1.00", "–")] == [
        "one", "one", "one", "one", "other", "other", "other", "other", "other", "other", "other"]
    assert {i18n.plural_category(v, "id") for v in (0, 1, 2, 21)} == {"other"}


def test_a_plural_text_without_its_count_is_an_error_not_a_wrong_word():
    with pytest.raises(TypeError, match=r"\{n\}"):
        i18n.t("aturan_n", "en")
    with pytest.raises(ValueError):
        i18n.plural("n", one="{n} thing")


def test_no_english_text_puts_a_count_before_a_plural_noun_outside_a_plural():
    nouns = ("days|rows|problems|visits|devices|cards|recordings|findings|entries|batches|blocks|residents|"
             "fields|passwords|characters|versions|kelurahan have|kelurahan hold")
    pattern = re.compile(r"\{[a-z_]+\} (?:[a-z-]+ )?(?:" + nouns + r")\b")
    plain = {k: e["en"] for k, e in i18n.TEXTS.items() if isinstance(e["en"], str)}
    allowed = {"chart_series_title",    # shown only for two versions or more
               "chart_lokasi_title"}    # "{bagian} of recordings": a share
    assert sorted(k for k, text in plain.items() if pattern.search(text) and k not in allowed) == []


@dataclass
class _Problem:
    code: str
    baris: int | None
    kolom: str | None
    params: dict[str, object]


def test_where_a_problem_is_comes_from_the_text_table():
    problem = _Problem("negative", 5, "rekam", {"nilai": "-3"})
    assert i18n.describe_problem(problem, "id") == "Baris 5, kolom rekam: Angka '-3' negatif. Jumlah tidak boleh kurang dari 0."
    assert i18n.describe_problem(problem, "en") == "Row 5, column rekam: '-3' is negative. A count cannot be below 0."
    assert i18n.describe_problem(_Problem("empty_file", None, None, {}), "en") == (
        "The file is empty. Choose a file with a header and data.")
    assert i18n.describe_problem(problem, "id", where=False).startswith("Angka '-3'")


# ---- no text is left unused
_SOURCES = [ROOT / "app.py", ROOT / "serve.py", *ROOT.glob("pages/**/*.py"), *ROOT.glob("ektp_metrics/**/*.py"),
            *ROOT.glob("ektp_metrics/html/*.html")]
# A key built at run time: t(f"problem_{code}") and `key = f"write_{reason}"` (then t(key)).
_DYNAMIC = re.compile(r"""(?:\bt\(\s*|\bkey\s*=\s*)f["']([a-z_]+)\{""")


def _code_outside_the_table() -> str:
    texts = []
    for path in _SOURCES:
        text = path.read_text()
        if path == ROOT / "ektp_metrics" / "i18n.py":
            start = text.index("TEXTS: dict")
            text = text[:start] + text[text.index("\n}\n", start):]
        texts.append(text)
    return "\n".join(texts)


def test_every_text_key_is_used_somewhere():
    code = _code_outside_the_table()
    prefixes = set(_DYNAMIC.findall(code))
    assert {"problem_", "proj_", "write_", "db_file_", "role_", "kind_", "account_"} <= prefixes, prefixes
    unused = [k for k in i18n.TEXTS
              if not re.search(rf"""["']{k}["']""", code) and not any(k.startswith(p) for p in prefixes)]
    assert unused == []


def test_the_unused_key_scan_would_find_one():
    # the scan above is not vacuous: a key no code names is reported
    code = _code_outside_the_table()
    prefixes = set(_DYNAMIC.findall(code))
    key = "petugas_help"
    assert key not in i18n.TEXTS
    assert not re.search(rf"""["']{key}["']""", code) and not any(key.startswith(p) for p in prefixes)
