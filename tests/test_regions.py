import pytest

from ektp_metrics.regions import (
    RegionIndex,
    normalise_code,
    normalise_name,
    read_region_list,
)

OFFICIAL_AND_SEEN = [
    # official Kemendagri spelling, spellings seen in real sources
    ("Pucangsawit", ["Pucang Sawit", "PUCANG SAWIT", "pucang  sawit", "Kel. Pucang Sawit", "Kelurahan Pucangsawit"]),
    ("Setabelan", ["Stabelan", "STABELAN", "Setabelan ", "Kel Stabelan"]),
    ("Pasarkliwon", ["Pasar Kliwon", "pasar kliwon", "PASARKLIWON", "Pasar-Kliwon"]),
    ("Kampungbaru", ["Kampung Baru", "kampung baru", "KAMPUNGBARU"]),
    ("Kedunglumbu", ["Kedung Lumbu", "kedung lumbu", "Kedung  Lumbu"]),
    ("Kepatihan Kulon", ["Kepatihan kulon", "KEPATIHANKULON", "kepatihan-kulon"]),
]


@pytest.fixture
def index(fresh_db):
    with fresh_db.cursor() as cur:
        return RegionIndex.from_db(cur)


def test_default_region_list_is_solo_2013():
    frame = read_region_list()
    assert len(frame) == 51
    assert frame["kode_kecamatan"].nunique() == 5
    assert frame["kode_kelurahan"].is_unique
    assert set(frame["kota"]) == {"Kota Surakarta"}


@pytest.mark.parametrize("official,variants", OFFICIAL_AND_SEEN)
def test_every_spelling_resolves_to_the_same_kelurahan(index, official, variants):
    expected = index.resolve(nama=official).kelurahan
    assert expected is not None and expected.nama == official
    for variant in variants:
        assert index.resolve(nama=variant).kelurahan == expected, variant


def test_all_51_official_names_and_codes_resolve(index):
    for kel in index.kelurahan:
        assert index.resolve(nama=kel.nama).kelurahan == kel
        assert index.resolve(kode=kel.kode).kelurahan == kel
        assert index.resolve(kode=kel.kode.replace(".", "")).kelurahan == kel


@pytest.mark.parametrize("name,kode_kelurahan,kode_kecamatan", [
    ("Laweyan", "33.72.01.1002", "33.72.01"),
    ("Serengan", "33.72.02.1003", "33.72.02"),
    ("Pasar Kliwon", "33.72.03.1003", "33.72.03"),
    ("Jebres", "33.72.04.1010", "33.72.04"),
])
def test_names_shared_by_kelurahan_and_kecamatan(index, name, kode_kelurahan, kode_kecamatan):
    # As a kelurahan name it means the kelurahan; as a kecamatan name, the kecamatan.
    assert index.resolve(nama=name).kelurahan.kode == kode_kelurahan
    assert index.kecamatan_codes(name) == {kode_kecamatan}
    # The kelurahan of that name lies in the kecamatan of that name.
    assert index.resolve(nama=name, kecamatan=name).kelurahan.kode == kode_kelurahan


@pytest.mark.parametrize("written", ["Kec. Jebres", "KECAMATAN JEBRES", "kec jebres", "Jebres", "33.72.04"])
def test_kecamatan_as_people_write_it(index, written):
    assert index.kecamatan_codes(written) == {"33.72.04"}
    assert index.resolve(nama="Jebres", kecamatan=written).kelurahan.kode == "33.72.04.1010"


def test_banjarsari_is_only_a_kecamatan_in_2013(index):
    result = index.resolve(nama="Banjarsari")
    assert result.kelurahan is None and result.problem == "unknown"
    assert index.kecamatan_codes("Banjarsari") == {"33.72.05"}


def test_kelurahan_outside_stated_kecamatan(index):
    result = index.resolve(nama="Pajang", kecamatan="Jebres")
    assert result.kelurahan is None and result.problem == "outside_kecamatan"
    assert result.suggestions == ("Laweyan",)
    assert index.resolve(nama="Pajang", kecamatan="33.72.01").kelurahan.nama == "Pajang"


def test_code_and_name_that_disagree(index):
    result = index.resolve(kode="33.72.01.1001", nama="Sriwedari")
    assert result.kelurahan is None and result.problem == "code_name_mismatch"
    assert result.suggestions == ("Pajang",)
    assert index.resolve(kode="33.72.01.1001", nama="PAJANG").kelurahan.nama == "Pajang"


def test_unknown_name_gets_the_closest_suggestion(index):
    result = index.resolve(nama="Pucangsawi")
    assert result.kelurahan is None and result.problem == "unknown"
    assert result.suggestions[0] == "Pucangsawit"
    assert index.resolve(nama="Mojosngo").suggestions[0] == "Mojosongo"


def test_unknown_code(index):
    assert index.resolve(kode="33.72.09.9999").problem == "unknown_code"


def test_normalisers():
    assert normalise_name("  Kel. Kampung-Baru ") == "kampungbaru"
    assert normalise_name("Kelurahan Kedung Lumbu") == "kedunglumbu"
    assert normalise_code(" 33.72.01.1001 ") == normalise_code("3372011001") == "3372011001"
