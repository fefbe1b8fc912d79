import datetime as dt
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from ektp_metrics import formatting


def test_report_figure_is_floored_not_rounded():
    # 383.427 / 415.549 = 92,2699…%: reported as 92,26%, never 92,27%.
    assert formatting.persen(383_427, 415_549) == "92,26%"
    assert formatting.persen_angka(383_427, 415_549) == "92,26"
    assert formatting.persen(383_427, 415_549, "en") == "92.26%"


def test_almost_complete_is_not_shown_as_complete():
    assert formatting.persen(99_999, 100_000) == "99,99%"
    assert formatting.persen(415_548, 415_549) == "99,99%"
    assert formatting.persen(415_549, 415_549) == "100,00%"


def test_unknown_percentage_without_target():
    assert formatting.persen(10, 0) == "–"
    assert formatting.persen_floor(10, 0) is None


def test_indonesian_numbers_and_dates():
    assert formatting.angka(383_427) == "383.427"
    assert formatting.angka(1_050) == "1.050"
    assert formatting.angka(383_427, "en") == "383,427"
    assert formatting.tanggal(dt.date(2013, 10, 25)) == "25 Oktober 2013"
    assert formatting.tanggal(dt.date(2013, 10, 25), hari=True) == "Jumat, 25 Oktober 2013"
    assert formatting.tanggal(dt.date(2013, 10, 25), singkat=True) == "25 Okt 2013"
    assert formatting.plotly_separators("id") == ",."


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_floor_never_overstates_and_is_within_a_hundredth(num, den):
    shown = formatting.persen_floor(num, den)
    true = Decimal(num) * 100 / Decimal(den)
    assert shown <= true < shown + Decimal("0.01")
    assert shown == shown.quantize(Decimal("0.01"))


@given(st.integers(min_value=-10**12, max_value=10**12), st.sampled_from(["id", "en"]))
def test_fast_integer_grouping_matches_babel(n, lang):
    from babel.numbers import format_decimal

    from ektp_metrics.formatting import _locale, angka
    assert angka(n, lang) == format_decimal(n, format="#,##0", locale=_locale(lang))


@given(st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, allow_infinity=False,
                   places=5),
       st.integers(0, 4), st.sampled_from(["id", "en"]))
@example(Decimal("0.125"), 2, "id")      # a tie: half to even, 0,12
@example(Decimal("-0.001"), 2, "id")     # rounds to a negative zero
@example(Decimal("1234567.5"), 0, "en")
def test_desimal_lays_out_numbers_as_babel_does(value, digits, lang):
    # desimal formats with Python and takes only the symbols from Babel; the result is Babel's own.
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    expected = format_decimal(value, format=pattern, locale=formatting.LOCALES[lang], decimal_quantization=True)
    assert formatting.desimal(value, digits, lang) == expected
