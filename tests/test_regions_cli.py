"""`regions`: another region list (kabupaten, province, nation) into a database without data."""

import json

from ektp_metrics import cli
from ektp_metrics.db import Database

KAB = """kode_kelurahan,kelurahan,kode_kecamatan,kecamatan,kota,provinsi,wajib_ktp
33.11.01.2001,Desa Satu,33.11.01,Kec A,Kabupaten Sukoharjo,Jawa Tengah,1.200
33.11.01.2002,Desa Dua,33.11.01,Kec A,Kabupaten Sukoharjo,Jawa Tengah,900
33.11.02.2001,Desa Tiga,33.11.02,Kec B,Kabupaten Sukoharjo,Jawa Tengah,1500
"""


def test_a_kabupaten_list_with_targets(tmp_path, capsys):
    src = tmp_path / "kab.csv"
    src.write_text(KAB)
    db = tmp_path / "kab.duckdb"
    assert cli.main(["regions", str(src), "--db", str(db)]) == 2            # wajib_ktp needs --berlaku
    assert not db.exists()
    assert cli.main(["regions", str(src), "--db", str(db), "--berlaku", "2013-01-01"]) == 0
    assert "1 provinsi, 1 kota, 2 kecamatan, 3 kelurahan" in capsys.readouterr().out
    assert cli.main(["summary", "--db", str(db), "--as-of", "2013-02-01", "--json", "--by", "kecamatan"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["nama"], r["wajib_ktp"]) for r in rows] == [("Kec A", 2100), ("Kec B", 1500)]
    with Database(db, create=False) as con:   # Solo's published figures do not come with another list
        assert con.fetch_one("SELECT count(*) FROM reference_figures")[0] == 0
        assert con.fetch_one("SELECT induk FROM regions WHERE kode = '33.11'")[0] == "33"


def test_a_list_without_kota_or_provinsi_and_a_bad_list(tmp_path, capsys):
    src = tmp_path / "plain.csv"
    src.write_text("kode_kelurahan,kelurahan,kode_kecamatan,kecamatan\nA1,Satu,A,Kec A\nA2,Dua,A,Kec A\n")
    db = tmp_path / "plain.duckdb"
    assert cli.main(["regions", str(src), "--db", str(db)]) == 0
    with Database(db, create=False) as con:
        assert con.fetch_df("SELECT tingkat, count(*) AS n FROM regions GROUP BY 1 ORDER BY 1").values.tolist() == \
            [["kecamatan", 1], ["kelurahan", 2]]
    dup = tmp_path / "dup.csv"
    dup.write_text("kode_kelurahan,kelurahan,kode_kecamatan,kecamatan\nA1,Satu,A,Kec A\nA1,Dua,A,Kec A\n")
    assert cli.main(["regions", str(dup), "--db", str(tmp_path / "dup.duckdb")]) == 2
    assert "baris 3" in capsys.readouterr().err


def test_a_list_without_one_region_holding_all_takes_its_name_from_nama(tmp_path, capsys):
    src = tmp_path / "dua.csv"
    src.write_text("kode_kelurahan,kelurahan,kode_kecamatan,kecamatan\nA1,Satu,A,Kec A\nB1,Dua,B,Kec B\n")
    unnamed, named = tmp_path / "tanpa.duckdb", tmp_path / "nama.duckdb"
    assert cli.main(["regions", str(src), "--db", str(unnamed)]) == 0
    assert cli.main(["regions", str(src), "--db", str(named), "--nama", " Kabupaten Contoh "]) == 0
    capsys.readouterr()
    for db, name in ((unnamed, "Seluruh wilayah"), (named, "Kabupaten Contoh")):
        assert cli.main(["summary", "--db", str(db), "--as-of", "2013-02-01", "--json"]) == 0
        whole = json.loads(capsys.readouterr().out)
        assert (whole["nama"], whole["tingkat"], whole["kelurahan"]) == (name, "semua", 2)


def test_a_database_with_data_keeps_its_regions(demo_path, tmp_path, capsys):
    src = tmp_path / "kab.csv"
    src.write_text(KAB)
    assert cli.main(["regions", str(src), "--db", str(demo_path), "--berlaku", "2013-01-01"]) == 2
    assert "sudah berisi data" in capsys.readouterr().err
    with Database(demo_path, create=False) as con:
        assert con.fetch_one("SELECT count(*) FROM v_wilayah")[0] == 51
