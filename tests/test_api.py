"""The HTTP API (/api/v1, ektp_metrics.api) over a real HTTP server (uvicorn in this process, tests/apiserver.py):
every endpoint against the command line's figures, ETag/304, CSV, tokens, uploads and reverts, roles, a fuzz."""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import json
import shutil
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ektp_metrics import api, cli, metrics, tokens
from ektp_metrics.db import Database
from tests.apiserver import api_server, call
from tests.helpers import DAY, make_national

V1 = "/api/v1"
GOOD_DAY = b"tanggal,kode_kelurahan,lokasi,rekam,distribusi\n26/10/2013,33.72.05.1001,kelurahan,50,20\n"


def cli_json(capsys, *args: str) -> object:
    assert cli.main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def served(demo_path: Path, monkeypatch, tmp_path: Path):
    """The demo database served; also a copy of it for the command line (the server owns its file)."""
    monkeypatch.setenv("EKTP_DB", str(demo_path))
    monkeypatch.setenv("EKTP_BACKUP_DIR", str(tmp_path / "cadangan"))
    for name in ("EKTP_TODAY", "EKTP_EXEC_LOGIN", "EKTP_API_RATE", "EKTP_API_BURST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EKTP_API_BURST", "100000")
    copy = tmp_path / "salinan.duckdb"
    shutil.copy(demo_path, copy)
    with Database(demo_path, create=False) as database:
        made = {role: tokens.create(database, role, f"uji {role}", by="admin", role="admin")[1]
                for role in ("admin", "operator", "pimpinan")}
    with api_server() as base:
        yield base, copy, made


# ---------------------------------------------------------------- reads against the command line

def test_every_read_agrees_with_the_command_line(served, capsys):
    base, copy, made = served
    summary = cli_json(capsys, "summary", "--db", str(copy))
    whole = call(base + V1 + "/ringkasan").json()
    assert {k: whole[k] for k in summary} == summary
    assert (whole["persen_rekam"], whole["persen_rekam_angka"], whole["sudah_rekam"]) == ("92,26", 92.26, 383_427)
    assert whole["versi_target"] == summary["target_berlaku_mulai"] and whole["unggahan_terakhir"].endswith("+07:00")

    by_kecamatan = cli_json(capsys, "summary", "--by", "kecamatan", "--db", str(copy))
    page = call(base + V1 + "/wilayah?tingkat=kecamatan").json()
    assert page["jumlah"] == 5 and [{k: r[k] for k in by_kecamatan[0]} for r in page["data"]] == by_kecamatan

    by_kelurahan = cli_json(capsys, "summary", "--by", "kelurahan", "--db", str(copy))
    pages = [call(base + V1 + f"/wilayah?tingkat=kelurahan&per_halaman=20&halaman={n}").json() for n in (1, 2, 3)]
    assert [p["halaman_terakhir"] for p in pages] == [3, 3, 3] and pages[0]["jumlah"] == 51
    assert [{k: r[k] for k in by_kelurahan[0]} for p in pages for r in p["data"]] == by_kelurahan
    inside = call(base + V1 + "/wilayah?tingkat=kelurahan&induk=33.72.01&per_halaman=1000").json()
    assert inside["induk"]["nama"] == "Laweyan" and inside["jumlah"] == 11
    assert sum(r["sudah_rekam"] for r in inside["data"]) == by_kecamatan[0]["sudah_rekam"]

    series = call(base + V1 + "/seri").json()
    last = series["data"][-1]
    assert (series["kode"], last["tanggal"], last["sudah_rekam"], last["persen_rekam"]) == (
        "33.72", "2013-10-25", 383_427, "92,26")
    assert series["data"][0]["versi_baru"] and sum(r["versi_baru"] for r in series["data"]) == len(
        {r["wajib_ktp"] for r in series["data"] if r["wajib_ktp"] > 0})
    one = call(base + V1 + "/seri?kode=33.72.01&dari=2013-10-20&sampai=2013-10-25").json()
    assert len(one["data"]) == 6 and one["data"][-1]["sudah_rekam"] == by_kecamatan[0]["sudah_rekam"]

    planner = cli_json(capsys, "jadwal", "--db", str(copy))
    assert call(base + V1 + "/rencana").json() == planner
    visits = call(base + V1 + "/jadwal").json()["data"]
    assert [(v["kelurahan"], v["tanggal_mulai"], v["status"]) for v in visits] == [
        (v["kelurahan"], v["tanggal_mulai"], v["status"]) for v in planner["jadwal"]]
    on_the_day = call(base + V1 + "/jadwal?dari=2013-10-25&sampai=2013-10-25").json()["data"]
    assert on_the_day and all(v["tanggal_mulai"] <= "2013-10-25" <= v["tanggal_selesai"] for v in on_the_day)
    assert on_the_day[0]["tempat"] and on_the_day[0]["jam_mulai"] == "15:00"

    checked = cli_json(capsys, "cek", "--db", str(copy))
    assert call(base + V1 + "/publikasi").json()["data"] == checked["angka_publikasi"]
    assert call(base + V1 + "/cek", token=made["operator"]).json() == checked
    assert call(base + V1 + "/batch", token=made["operator"]).json()["data"] == cli_json(
        capsys, "batches", "--db", str(copy))


def test_a_two_province_list(tmp_path, monkeypatch, capsys):
    path = make_national(tmp_path)
    capsys.readouterr()                                   # what building the list printed
    monkeypatch.setenv("EKTP_TODAY", DAY.isoformat())
    monkeypatch.setenv("EKTP_API_BURST", "100000")
    copy = tmp_path / "salinan.duckdb"
    shutil.copy(path, copy)
    monkeypatch.setenv("EKTP_DB", str(path))
    summary = cli_json(capsys, "summary", "--db", str(copy))
    provinces = cli_json(capsys, "summary", "--by", "provinsi", "--db", str(copy))
    with api_server() as base:
        whole = call(base + V1 + "/ringkasan").json()
        assert {k: whole[k] for k in summary} == summary and whole["kelurahan"] == 240
        page = call(base + V1 + "/wilayah?tingkat=provinsi").json()
        assert [{k: r[k] for k in provinces[0]} for r in page["data"]] == provinces
        assert sum(r["sudah_rekam"] for r in page["data"]) == whole["sudah_rekam"]
        kota = call(base + V1 + "/wilayah?tingkat=kota&induk=35").json()
        assert [r["nama"] for r in kota["data"]] == ["Kab 351", "Kab 352"] and kota["induk"]["tingkat"] == "provinsi"
        desa = call(base + V1 + "/wilayah?tingkat=kelurahan&per_halaman=1000").json()
        assert desa["jumlah"] == 240 and len(desa["data"]) == 240
        assert call(base + V1 + "/wilayah?tingkat=provinsi&induk=35").status == 400       # not below 35
        assert call(base + V1 + "/seri?kode=35.01").json()["data"][-1]["sudah_rekam"] == kota["data"][0]["sudah_rekam"]


# ---------------------------------------------------------------- ETag, 304, CSV

def test_a_poller_gets_304_until_an_upload_or_a_revert(served):
    base, _, made = served
    first = call(base + V1 + "/ringkasan")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert call(base + V1 + "/ringkasan", headers={"If-None-Match": etag}).status == 304
    assert call(base + V1 + "/ringkasan", headers={"If-Modified-Since": modified}).status == 304
    assert call(base + V1 + "/ringkasan?format=csv", headers={"If-None-Match": etag}).status == 200   # another form
    saved = call(base + V1 + "/unggah?nama=harian.csv", method="POST", data=GOOD_DAY, token=made["operator"])
    assert saved.status == 201, saved.body
    after = call(base + V1 + "/ringkasan", headers={"If-None-Match": etag})
    assert after.status == 200 and after.headers["etag"] != etag and after.json()["sudah_rekam"] == 383_477
    assert email.utils.parsedate_to_datetime(after.headers["last-modified"]) >= email.utils.parsedate_to_datetime(modified)
    batch = saved.json()["batch_id"]
    reverted = call(base + V1 + f"/batch/{batch}/batal", method="POST", data=json.dumps({"alasan": "uji"}).encode(),
                    headers={"Content-Type": "application/json"}, token=made["operator"])
    assert reverted.status == 200 and reverted.json()["sesudah"]["sudah_rekam"] == 383_427
    again = call(base + V1 + "/ringkasan", headers={"If-None-Match": after.headers["etag"]})
    assert again.status == 200 and again.json()["sudah_rekam"] == 383_427


def test_every_read_as_csv(served):
    base, _, made = served
    for path, token in (("/ringkasan", None), ("/wilayah?tingkat=kelurahan&per_halaman=7", None), ("/seri", None),
                        ("/jadwal", None), ("/rencana", None), ("/publikasi", None), ("/cek", made["operator"]),
                        ("/batch", made["operator"])):
        as_json = call(base + V1 + path, token=token).json()
        reply = call(base + V1 + path + ("&" if "?" in path else "?") + "format=csv", token=token)
        assert reply.status == 200 and reply.headers["content-type"].startswith("text/csv"), path
        text = reply.body.decode("utf-8")
        assert text.startswith("\ufeff"), path                               # Excel opens it as UTF-8
        lines = text.lstrip("\ufeff").splitlines()
        rows = (as_json["data"] if "data" in as_json else [as_json] if path == "/ringkasan"
                else as_json["rencana"]["blok"] if path == "/rencana"
                else [r for found in as_json["aturan"].values() for r in found])
        assert len(lines) == len(rows) + 1, path
    csv_line = call(base + V1 + "/ringkasan?format=csv").body.decode("utf-8-sig").splitlines()
    header, values = (line.split(";") for line in csv_line)
    assert dict(zip(header, values))["persen_rekam_angka"] == "92,26"        # decimal comma, like the downloads


# ---------------------------------------------------------------- tokens, roles, uploads

def test_token_life_cycle(served, demo_path):
    base, _, made = served
    with_it = call(base + V1 + "/batch", token=made["operator"])
    assert with_it.status == 200 and with_it.headers["cache-control"] == "no-store"
    from ektp_metrics import db as dbmod

    database = dbmod.shared(demo_path)   # the server's own Database (it owns the file)
    token_id = tokens.check(database, made["operator"]).token_id
    listed = tokens.listing(database, "operator")
    assert listed.loc[listed["id"] == token_id, "last_used_at"].notna().all()
    tokens.revoke(database, token_id, by="admin", role="admin")
    refused = call(base + V1 + "/batch", token=made["operator"])
    assert refused.status == 401 and refused.json()["galat"]["pesan"] == "Token sudah dicabut."
    assert refused.headers["www-authenticate"].startswith("Bearer")
    _, old = tokens.create(database, "operator", "lama", 1, by="admin", role="admin",
                          now=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=2))
    assert call(base + V1 + "/batch", token=old).json()["galat"]["message"] == "The token has expired."
    assert call(base + V1 + "/batch", token="ektp_" + "x" * 43).status == 401
    assert call(base + V1 + "/batch", headers={"Authorization": "Basic YWRtaW46eA=="}).status == 401
    from ektp_metrics import auth

    auth.PasswordStore(database).set_active("pimpinan", False, by="admin")
    assert call(base + V1 + "/ringkasan", token=made["pimpinan"]).json()["galat"]["kode"] == "token_tidak_sah"


def test_visitors_and_roles_get_401_and_403(served):
    base, _, made = served
    assert call(base + V1 + "/unggah?nama=a.csv", method="POST", data=GOOD_DAY).status == 401
    assert call(base + V1 + "/batch").status == 401 and call(base + V1 + "/cek").status == 401
    assert call(base + V1 + "/cadangan", method="POST").status == 401
    denied = call(base + V1 + "/unggah?nama=a.csv", method="POST", data=GOOD_DAY, token=made["pimpinan"])
    assert denied.status == 403 and "mengunggah data" in denied.json()["galat"]["pesan"]
    assert call(base + V1 + "/batch", token=made["pimpinan"]).status == 403
    assert call(base + V1 + "/cadangan", method="POST", token=made["operator"]).status == 403
    assert call(base + V1 + "/batch/1/batal?alasan=x", method="POST", token=made["pimpinan"]).status == 403
    # the demo's batches are the admin's: an operator reverts only its own
    assert call(base + V1 + "/batch/1/batal?alasan=x", method="POST", token=made["operator"]).status == 403
    assert call(base + V1 + "/batch/1/batal", method="POST", token=made["admin"]).json()["galat"]["parameter"] == "alasan"
    assert call(base + V1 + "/batch/99999/batal?alasan=x", method="POST", token=made["admin"]).status == 404
    assert call(base + V1 + "/batch/abc/batal?alasan=x", method="POST", token=made["admin"]).status == 400
    backup = call(base + V1 + "/cadangan", method="POST", token=made["admin"])
    assert backup.status == 201 and Path(backup.json()["path"]).is_file()


def test_an_upload_by_api_is_the_upload_path_and_shows_on_pages_and_lobby(served, demo_path, monkeypatch):
    base, _, made = served
    dry = call(base + V1 + "/unggah?nama=harian.csv&dry_run=1", method="POST", data=GOOD_DAY, token=made["operator"])
    assert dry.status == 200 and dry.json()["dry_run"] and not dry.json()["committed"]
    assert dry.json()["change_text"][0] == "+50 rekam, +20 distribusi (Kota Surakarta)"
    form = b"".join([b"--B\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"harian.csv\"\r\n",
                     b"Content-Type: text/csv\r\n\r\n", GOOD_DAY, b"\r\n--B--\r\n"])
    saved = call(base + V1 + "/unggah", method="POST", data=form, token=made["operator"],
                 headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert saved.status == 201, saved.body
    body = saved.json()
    assert body["sesudah"]["sudah_rekam"] == 383_477 and saved.headers["location"] == f"{V1}/batch/{body['batch_id']}"
    again = call(base + V1 + "/unggah?nama=harian.csv", method="POST", data=GOOD_DAY, token=made["operator"])
    assert again.status == 422 and again.json()["problems"][0]["code"] == "duplicate_file"
    from ektp_metrics import db as dbmod

    database = dbmod.shared(demo_path)
    row = database.fetch_one("SELECT user_name, action FROM audit_log WHERE action = 'unggah' ORDER BY id DESC LIMIT 1")
    assert row == ("operator", "unggah")
    lobby = call(base + "/layar/data.json").json()
    assert "383.477" in "".join(s["html"] for s in lobby["slides"])
    # the pages, in this process: their kept figures follow the data's version, no cache cleared by hand
    from tests.apptest import metric, run_app

    at = run_app(monkeypatch, demo_path, EKTP_DB=str(demo_path))
    assert metric(at, "Sudah rekam") == "383.477"


def test_a_refused_upload_writes_nothing(served, demo_path):
    base, _, made = served
    from ektp_metrics import db as dbmod

    database = dbmod.shared(demo_path)
    before = database.fetch_row("SELECT count(*), max(id) FROM batches")
    bad = b"tanggal,kode_kelurahan,lokasi,rekam,distribusi\n26/10/2013,33.72.05.1001,planet,50,20\n31/02/2013,9,pasar,x,1\n"
    refused = call(base + V1 + "/unggah?nama=buruk.csv", method="POST", data=bad, token=made["operator"])
    assert refused.status == 422
    problems = refused.json()["problems"]
    assert {p["baris"] for p in problems} >= {2, 3} and all(p["message"] and p["message_en"] for p in problems)
    assert any(p["kolom"] == "tanggal" and p["message"].startswith("Baris 3") for p in problems)
    assert database.fetch_row("SELECT count(*), max(id) FROM batches") == before
    rekap = b"tanggal,kode_kelurahan,sudah_rekam,sudah_distribusi,wajib_ktp\n26/10/2013,33.72.05.1001,9000,8000,9999\n"
    operator = call(base + V1 + "/unggah?nama=rekap.csv", method="POST", data=rekap, token=made["operator"])
    assert operator.status == 422 and database.fetch_row("SELECT count(*), max(id) FROM batches") == before
    # A declared size over EKTP_MAX_UPLOAD_MB is refused before the body is read: the headers alone get 413
    # (sending the 60 MB would race the server's early answer and reset the connection).
    host, port = urlsplit(base).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.putrequest("POST", V1 + "/unggah?nama=besar.csv")
        connection.putheader("Authorization", f"Bearer {made['operator']}")
        connection.putheader("Content-Length", str(60 * 1024 * 1024))
        connection.endheaders()
        huge = connection.getresponse()
        assert huge.status == 413 and json.loads(huge.read())["galat"]["kode"] == "berkas_terlalu_besar"
    finally:
        connection.close()
    assert database.fetch_row("SELECT count(*), max(id) FROM batches") == before
    assert call(base + V1 + "/unggah", method="POST", data=GOOD_DAY, token=made["operator"]).json()[
        "galat"]["parameter"] == "nama"


# ---------------------------------------------------------------- errors, limits, description

def test_bad_parameters_are_named_in_both_languages(served):
    base, _, _ = served
    cases = {"/ringkasan?tanggal=25-10-2013": "tanggal", "/ringkasan?tanggal=2013-02-30": "tanggal",
             "/wilayah?tingkat=desa": "tingkat", "/wilayah?per_halaman=1001": "per_halaman",
             "/wilayah?halaman=0": "halaman", "/wilayah?induk=%27%3B--": "induk", "/ringkasan?lang=en": "lang",
             "/seri?dari=2013-10-25&sampai=2013-10-01": "dari", "/seri?dari=1990-01-01&sampai=2013-10-01": "dari",
             "/ringkasan?format=xml": "format", "/ringkasan?tanggal=2013-10-01&tanggal=2013-10-02": "tanggal"}
    for path, parameter in cases.items():
        reply = call(base + V1 + path)
        galat = reply.json()["galat"]
        assert reply.status == 400 and galat["parameter"] == parameter, (path, galat)
        assert galat["pesan"] and galat["message"] and galat["pesan"] != galat["message"]
    unknown = call(base + V1 + "/seri?kode=33.72.99")
    assert unknown.status == 404 and unknown.json()["galat"]["kode"] == "wilayah_tidak_ada"
    assert call(base + V1 + "/tidak-ada").status == 404


def test_a_failure_inside_is_a_calm_500_without_a_trace(served, monkeypatch):
    base, _, _ = served

    def broken(*args, **kwargs):
        raise RuntimeError("rahasia internal")

    monkeypatch.setattr(api.opendata, "publikasi", broken)
    reply = call(base + V1 + "/publikasi")
    assert reply.status == 500 and b"rahasia" not in reply.body and b"Traceback" not in reply.body
    assert reply.json()["galat"]["kode"] == "galat_server"


def test_clients_without_a_token_are_rate_limited(served, monkeypatch):
    base, _, made = served
    monkeypatch.setenv("EKTP_API_BURST", "3")
    monkeypatch.setenv("EKTP_API_RATE", "1")      # one a minute: nothing comes back into the bucket meanwhile
    # X-Forwarded-For is the client's word: without EKTP_TRUSTED_PROXY every request counts for 127.0.0.1
    statuses = [call(base + V1 + "/ringkasan", headers={"X-Forwarded-For": f"10.0.0.{n}"}).status for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = call(base + V1 + "/ringkasan")
    assert limited.status == 429 and int(limited.headers["retry-after"]) >= 1
    assert limited.json()["galat"]["kode"] == "terlalu_banyak"
    assert call(base + V1 + "/ringkasan", token=made["pimpinan"]).status == 200         # a token: not limited
    monkeypatch.setenv("EKTP_TRUSTED_PROXY", "127.0.0.1")                                # behind a proxy: per client
    assert [call(base + V1 + "/ringkasan", headers={"X-Forwarded-For": f"10.0.0.{n}"}).status
            for n in range(5)] == [200] * 5


def test_the_bucket_refills_at_the_rate(monkeypatch):
    monkeypatch.setenv("EKTP_API_BURST", "2")
    monkeypatch.setenv("EKTP_API_RATE", "60")     # one a second
    limits = api.RateLimit()
    assert [limits.take("a", now=100.0) for _ in range(2)] == [0.0, 0.0]
    assert limits.take("a", now=100.0) == pytest.approx(1.0)
    assert limits.take("b", now=100.0) == 0.0                          # each client its own bucket
    assert limits.take("a", now=101.0) == 0.0 and limits.take("a", now=101.0) > 0


def test_dashboards_behind_a_login_need_a_token(served, monkeypatch):
    base, _, made = served
    monkeypatch.setenv("EKTP_EXEC_LOGIN", "1")
    assert call(base + V1 + "/ringkasan").status == 401
    assert call(base + V1 + "/ringkasan", token=made["pimpinan"]).json()["persen_rekam"] == "92,26"


def test_openapi_describes_every_endpoint_and_parameter(served):
    base, _, _ = served
    document = call(base + V1 + "/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {V1 + e.path for e in api.ENDPOINTS} | {V1 + "/openapi.json"}
    for endpoint in api.ENDPOINTS:
        operation = document["paths"][V1 + endpoint.path][endpoint.method.lower()]
        named = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
        assert named == {p.name for p in endpoint.params}
        assert ("security" in operation) == (endpoint.action is not None)
    for endpoint in (e for e in api.ENDPOINTS if e.method == "GET" and e.action is None):   # each is accepted
        query = urlencode({p.name: p.schema().get("default", "") for p in endpoint.params if "default" in p.schema()})
        assert call(base + V1 + endpoint.path + "?" + query).status == 200, endpoint.path


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_VALUES = st.one_of(_TEXT, st.sampled_from(["2013-10-25", "2013-13-01", "0000-01-01", "9999-12-31", "-1", "0", "1",
                                            "1000", "1001", "99999999999", "33.72", "33.72.01", "35", "..", "1e3",
                                            "kelurahan", "csv", "json", "NaN", "", "%00"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_parameter_fuzz_never_gives_a_500(served, data):
    base, _, _ = served
    endpoint = data.draw(st.sampled_from([e for e in api.ENDPOINTS if e.method == "GET" and e.action is None]))
    names = [p.name for p in endpoint.params] + ["x", "tanggal", "kode"]
    query = data.draw(st.lists(st.tuples(st.sampled_from(names), _VALUES), max_size=4))
    url = base + V1 + endpoint.path + "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in query)
    reply = call(url)
    assert reply.status in (200, 400, 404), (url, reply.status, reply.body[:300])
    if reply.status != 200:
        assert set(reply.json()["galat"]) >= {"kode", "pesan", "message"}


def test_metrics_page_of_summaries_is_the_whole_list_cut(demo_db):
    rows = metrics.summaries(demo_db, DAY, "kelurahan")
    page, total = metrics.summaries_page(demo_db, DAY, "kelurahan", ("kecamatan", "33.72.01"), 4, 4)
    laweyan = [s for s in rows if s.kode.startswith("33.72.01.")]
    assert total == len(laweyan) == 11 and page == laweyan[4:8]
