"""Command line: python -m ektp_metrics COMMAND …

Exit codes: 0 ok; 2 invalid input (nothing written); 3 database unavailable; 1 unexpected.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ektp_metrics import apiclient, formatting, metrics, opendata, settings
from ektp_metrics.backup import RestoreRefused as RestoreRefusedError
from ektp_metrics.db import Database, DatabaseUnavailable, WriteRefused
from ektp_metrics.i18n import describe_ignored, t

# Each command imports what it needs (pandas, the validation and planner modules, argon2) when it runs:
# `summary` and a plain `import` start without pandas, which was half of a national `summary --json`.

EXIT_OK, EXIT_UNEXPECTED, EXIT_INVALID, EXIT_UNAVAILABLE = 0, 1, 2, 3
# Who runs the command line: the server's administrator (whoever can read the database file), with an
# admin's rights in auth.PERMISSIONS; said explicitly at every domain call that checks a role.
SERVER_ROLE = "admin"


class InvalidInput(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in Bahasa Indonesia with exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: masukan tidak valid / invalid input: {message}\n")


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} bukan tanggal YYYY-MM-DD") from None


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None,
                        help="berkas database (default: $EKTP_DB atau data/ektp.duckdb)")


def _base_url(text: str) -> str:
    try:
        return apiclient.check_base(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _source_args(parser: argparse.ArgumentParser) -> None:
    """--db FILE or --url APP (not both): the database file, or the running app through its HTTP API."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--db", type=Path, default=None,
                       help="berkas database (default: $EKTP_DB atau data/ektp.duckdb)")
    group.add_argument("--url", type=_base_url, default=None,
                       help="lewat API aplikasi yang sedang berjalan, mis. http://localhost:8501, alih-alih membuka "
                            "berkas database (token dari $EKTP_TOKEN bila perlu)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m ektp_metrics",
                     description="Dasbor e-KTP Surakarta: perintah baris / command line.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("init", help="buat database baru (wilayah, angka publikasi, akun admin pertama; "
                                    "--demo: data contoh dengan akun contoh)")
    _db_arg(p)
    p.add_argument("--demo", action="store_true", help="isi dengan data contoh laporan 25 Oktober 2013 "
                                                       "(akun contoh dengan kata sandi yang diketahui umum)")
    p.add_argument("--admin", default="admin",
                   help="nama akun admin pertama (tanpa --demo; default: admin). Kata sandinya dari $EKTP_PASSWORD, "
                        "diketik dua kali di terminal, atau baris pertama stdin")
    p.add_argument("--force", action="store_true", help="hapus dan buat ulang database yang sudah ada")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("regions", help="muat daftar wilayah lain (kabupaten/kota, provinsi, nasional) ke database tanpa data")
    p.add_argument("file", type=Path, help="CSV: kode_kelurahan, kelurahan, kode_kecamatan, kecamatan[, kota, provinsi, wajib_ktp]")
    _db_arg(p)
    p.add_argument("--berlaku", type=_iso_date, default=None,
                   help="wajib_ktp (bila ada di berkas) berlaku mulai tanggal ini, YYYY-MM-DD (wajib bila kolom itu terisi)")
    p.add_argument("--nama", default=None,
                   help="nama keseluruhan daftar bila tidak satu provinsi atau kota memuat semuanya (mis. Indonesia); "
                        "tampil di judul dan layar publik")
    p.set_defaults(func=cmd_regions)

    p = sub.add_parser("summary", help="ringkasan cakupan perekaman dan distribusi per tanggal")
    _source_args(p)
    p.add_argument("--as-of", type=_iso_date, default=None,
                   help="tanggal YYYY-MM-DD (default: hari acuan = tanggal data terakhir atau $EKTP_TODAY)")
    p.add_argument("--by", choices=metrics.LEVELS, default=None,
                   help="rinci per tingkat (tanpa ini: keseluruhan daftar wilayah, Kota Surakarta untuk daftar bawaan)")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("import", help="unggah berkas laporan harian, rekap kumulatif, atau jadwal keliling")
    p.add_argument("file", type=Path, help="berkas CSV atau .xlsx")
    _source_args(p)
    p.add_argument("--dry-run", action="store_true", help="periksa saja; tidak ada yang ditulis")
    p.add_argument("--replace", action="store_true",
                   help="unggahan koreksi: menggantikan baris yang sudah ada untuk tanggal/kelurahan/lokasi yang sama")
    p.add_argument("--force", action="store_true", help="konfirmasi nilai yang tidak wajar (di atas batas harian, "
                                                        "lebih dari wajib KTP, tanggal lebih dari $EKTP_MAX_JUMP_DAYS "
                                                        "hari sesudah data terakhir)")
    p.add_argument("--user", default=None, help="nama petugas (default: $USER; tidak dengan --url: batch atas nama pemilik token)")
    p.add_argument("--sheet", default=None, help="lembar .xlsx (default: lembar pertama)")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("jadwal", help="jadwal safari keliling dan rencana untuk kelurahan yang belum dilayani")
    _source_args(p)
    p.add_argument("--as-of", type=_iso_date, default=None, help="tanggal YYYY-MM-DD (default: hari acuan)")
    p.add_argument("--alat", type=int, default=settings.DEFAULT_DEVICES, help="alat rekam (default 10)")
    p.add_argument("--per-blok", type=int, default=settings.DEFAULT_PER_BLOCK, help="kelurahan per blok (default 5)")
    p.add_argument("--hari", type=int, default=settings.DEFAULT_BLOCK_DAYS, help="hari per blok (default 3)")
    p.add_argument("--kapasitas", type=int, default=settings.DEFAULT_CAPACITY,
                   help="perekaman per alat per hari (default 40)")
    p.add_argument("--urutan", choices=settings.RULES, default="belum_rekam", help="aturan urutan rencana")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(func=cmd_jadwal)

    p = sub.add_parser("cek", help="kualitas data: angka publikasi, aturan konsistensi, kelengkapan laporan")
    _source_args(p)
    p.add_argument("--as-of", type=_iso_date, default=None, help="tanggal YYYY-MM-DD (default: hari acuan)")
    p.add_argument("--hari", type=int, default=7, help="kelurahan tanpa laporan lebih dari sekian hari (default 7)")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(func=cmd_cek)

    p = sub.add_parser("batches", help="daftar batch unggahan")
    _source_args(p)
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("backup", help="cadangkan database (juga saat aplikasi berjalan: aplikasi yang membuatnya)")
    _source_args(p)
    p.add_argument("--to", type=Path, default=None,
                   help="folder cadangan (default: $EKTP_BACKUP_DIR atau folder cadangan di samping database; "
                        "tidak dengan --url: aplikasi mencadangkan ke foldernya sendiri)")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("backups", help="daftar cadangan: waktu (EKTP_TZ, WIB), ukuran, batch, angka kota, hasil pemeriksaan")
    _db_arg(p)
    p.add_argument("--to", type=Path, default=None, help="folder cadangan (default seperti pada backup)")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser("restore", help="pulihkan database dari cadangan (aplikasi harus dihentikan dulu)")
    p.add_argument("backup", type=Path, help="berkas cadangan (.duckdb), mis. data/cadangan/ektp-20261204-020000.duckdb")
    _db_arg(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("users", help="akun petugas: add, list, disable, enable, reset")
    users = p.add_subparsers(dest="users_command", required=True, parser_class=_Parser,
                             help="add, list, disable, enable, reset")
    u = users.add_parser("add", help="tambah akun; kata sandi dari stdin atau $EKTP_PASSWORD")
    u.add_argument("name", help="nama pengguna (huruf kecil, angka, . _ -)")
    u.add_argument("--role", required=True, choices=("admin", "operator", "pimpinan"), help="peran")
    u.add_argument("--display-name", default=None, help="nama lengkap yang ditampilkan")
    _db_arg(u)
    u.set_defaults(func=cmd_users_add)
    u = users.add_parser("list", help="daftar akun")
    _db_arg(u)
    u.add_argument("--json", action="store_true", help="keluaran JSON")
    u.set_defaults(func=cmd_users_list)
    for action, text in (("disable", "nonaktifkan akun"), ("enable", "aktifkan lagi akun")):
        u = users.add_parser(action, help=text)
        u.add_argument("name", help="nama pengguna")
        _db_arg(u)
        u.set_defaults(func=cmd_users_active, active=action == "enable")
    u = users.add_parser("reset", help="kata sandi baru (dari stdin atau $EKTP_PASSWORD); membuka kunci akun")
    u.add_argument("name", help="nama pengguna")
    _db_arg(u)
    u.set_defaults(func=cmd_users_reset)

    p = sub.add_parser("revert", help="batalkan satu batch (tetap di riwayat, tidak lagi dihitung)")
    p.add_argument("batch_id", type=int, help="nomor batch")
    _db_arg(p)
    p.add_argument("--reason", default=None, help="alasan pembatalan (wajib)")
    p.add_argument("--user", default=None, help="nama petugas (default: $USER)")
    p.set_defaults(func=cmd_revert)
    return parser


def _db_path(args: argparse.Namespace) -> Path:
    return args.db if args.db is not None else settings.db_path()


def cmd_init(args: argparse.Namespace) -> int:
    """A new database. Without --demo it comes with its first admin, whose password is asked for (or read
    from $EKTP_PASSWORD or standard input) and checked before anything is created: a production database
    never has a known password, nor is one left without a way to sign in (issue 17)."""
    from ektp_metrics.bootstrap import AlreadyInitialised, check_target, init_database

    path = _db_path(args)
    try:
        check_target(path, force=args.force)   # before the password: nothing typed in vain
    except AlreadyInitialised as exc:
        raise InvalidInput(str(exc)) from exc
    admin = None
    if not args.demo:
        from ektp_metrics import auth

        try:
            name = auth.check_username(args.admin)   # a wrong name before the password is typed
            password = _password(prompt=t("init_password_prompt", name=name), confirm=True)
            admin = (auth.check_new_account(name, "admin", password), password)
        except auth.AccountError as exc:
            how = "" if exc.code == "bad_username" else " " + t("init_password_how")
            raise InvalidInput(t("init_no_admin", detail=t(f"account_{exc.code}", **exc.params)) + how) from exc
    try:
        db = init_database(path, with_demo=args.demo, force=args.force, admin=admin)
    except AlreadyInitialised as exc:
        raise InvalidInput(str(exc)) from exc
    with db:
        as_of = metrics.reference_day(db)
        summary = metrics.city_summary(db, as_of) if as_of else None
    what = "data contoh" if args.demo else "tanpa data (wilayah dan angka publikasi saja)"
    print(f"Database dibuat: {path} — {what}.")
    if args.demo and summary:
        print(f"Per {formatting.tanggal(summary.as_of)}: {formatting.angka(summary.sudah_rekam)} dari "
              f"{formatting.angka(summary.wajib_ktp)} wajib KTP sudah rekam "
              f"({formatting.persen_nilai(summary.persen_rekam)}).")
    if admin is not None:
        print(t("init_admin_created", name=admin[0], db=path))
    return EXIT_OK


def cmd_regions(args: argparse.Namespace) -> int:
    """Replace the region list of a database without data (or create one with it)."""
    import pandas as pd

    from ektp_metrics import regions
    from ektp_metrics.bootstrap import init_database

    try:
        frame = regions.read_region_list(args.file)
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{args.file}: {exc}") from exc
    targets = frame[frame["wajib_ktp"] != ""]
    if len(targets):
        wajib = pd.to_numeric(targets["wajib_ktp"].str.replace(".", "", regex=False), errors="coerce")
        if wajib.isna().any() or (wajib < 0).any():
            raise InvalidInput(f"baris {int(wajib.isna().idxmax() if wajib.isna().any() else (wajib < 0).idxmax()) + 2}: "
                               "wajib_ktp harus bilangan bulat tidak negatif")
        if args.berlaku is None:
            raise InvalidInput("berkas berisi wajib_ktp: sebutkan sejak kapan berlaku dengan --berlaku YYYY-MM-DD")
    path = _db_path(args)
    if not path.exists():
        init_database(path, region_list=args.file).close()
    with Database(path, create=False) as db:
        used = db.fetch_value("SELECT count(*) FROM batches WHERE kind IN ('harian', 'rekap', 'jadwal', 'target')")
        if used:
            raise InvalidInput(f"database {path} sudah berisi data ({used} batch): daftar wilayah hanya diganti "
                               "pada database tanpa data (buat baru dengan --db)")
        from ektp_metrics.db import audit, new_batch, set_setting
        with db.transaction() as cur:
            count = regions.install_regions(cur, frame)
            audit(cur, _user(args), "wilayah_dimuat", args.file.name, f"{count} kelurahan")
            if args.nama and args.nama.strip():
                set_setting(cur, "nama_wilayah", args.nama.strip())
            if len(targets):
                batch = new_batch(cur, kind="target", file_name=args.file.name, user_name=_user(args), rows=len(targets))
                cur.register("region_targets", pd.DataFrame({
                    "kode_kelurahan": targets["kode_kelurahan"], "wajib_ktp": wajib.astype("int64"),
                    "baris": targets.index + 2}))
                cur.execute("""INSERT INTO targets (batch_id, baris, kode_kelurahan, berlaku_mulai, wajib_ktp)
                               SELECT ?, baris, kode_kelurahan, ?, wajib_ktp FROM region_targets""",
                            [batch, args.berlaku])
                cur.unregister("region_targets")
        levels = db.fetch_df("SELECT tingkat, count(*) AS n FROM regions GROUP BY 1")
    n = dict(zip(levels["tingkat"], levels["n"]))
    print(f"Daftar wilayah dimuat ke {path}: " + ", ".join(f"{formatting.angka(int(n[k]))} {k}"
                                                         for k in ("provinsi", "kota", "kecamatan", "kelurahan") if k in n)
          + (f"; wajib KTP untuk {formatting.angka(len(targets))} kelurahan sejak {formatting.tanggal(args.berlaku)}"
             if len(targets) else ""))
    return EXIT_OK


_TABLE_COLUMNS = (("nama", "Wilayah"), ("wajib_ktp", "Wajib KTP"), ("sudah_rekam", "Sudah rekam"),
                  ("belum_rekam", "Belum rekam"), ("persen_rekam", "% rekam"),
                  ("sudah_distribusi", "Distribusi"), ("backlog_distribusi", "Backlog"))


def _table(rows: list[metrics.Summary]) -> str:
    cells = [[h for _, h in _TABLE_COLUMNS]]
    for s in rows:
        line = []
        for key, _ in _TABLE_COLUMNS:
            value = getattr(s, key)
            if key == "persen_rekam":
                line.append(formatting.persen_nilai(s.persen_rekam))
            elif isinstance(value, int):
                line.append(formatting.angka(value))
            else:
                line.append(str(value))
        cells.append(line)
    widths = [max(len(r[i]) for r in cells) for i in range(len(_TABLE_COLUMNS))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
                     for r in cells)


def _client(args: argparse.Namespace) -> apiclient.Client:
    """The running app at --url, with the token from $EKTP_TOKEN (sent when set)."""
    return apiclient.Client.from_settings(args.url)


# Every command that takes --url gets its data as the JSON of `--json` (locally from opendata on the file, or
# from the app's API, which builds it with the same opendata functions), then prints it with one renderer for
# the text and one for --json: the two ways cannot print different things.

_SUMMARY_KEYS = tuple(f.name for f in dataclasses.fields(metrics.Summary))   # the keys of summary_record


def _summary_keys(record: dict) -> dict:
    """A record of the API (api_record: more keys) as `summary --json` prints it."""
    return {key: record[key] for key in _SUMMARY_KEYS}


def _summary_local(args: argparse.Namespace) -> tuple[str | None, list[dict]]:
    """(the day, or None without data; the records) from the file. No pandas on this path (see above)."""
    with Database(_db_path(args), create=False) as db:
        as_of = args.as_of or metrics.reference_day(db)
        level = args.by or metrics.scope(db).level    # by default the whole list: Kota Surakarta for Solo
        # Without data there is no reference day: the figures (all zero) are computed at the deadline.
        rows = metrics.summaries(db, as_of or settings.deadline(), level)
    items = [opendata.summary_record(s) | ({} if as_of else {"as_of": None}) for s in rows]
    return (as_of.isoformat() if as_of else None), items


def _summary_remote(args: argparse.Namespace) -> tuple[str | None, list[dict]]:
    """The same from the app: /ringkasan for the whole list, else every page of /wilayah?tingkat=…"""
    client = _client(args)
    if args.by is None:
        record = client.get("/ringkasan", {"tanggal": args.as_of})
        return record["as_of"], [_summary_keys(record)]
    day = args.as_of.isoformat() if args.as_of else client.get("/ringkasan")["hari_acuan"]   # None: no data
    items: list[dict] = []
    page = 1
    while True:
        answer = client.get("/wilayah", {"tingkat": args.by, "tanggal": day, "halaman": page,
                                         "per_halaman": _PAGE})
        items += [_summary_keys(r) | ({} if day else {"as_of": None}) for r in answer["data"]]
        if page >= int(answer["halaman_terakhir"]):
            return day, items
        page += 1


_PAGE = 1000   # regions per request of /wilayah (the API's largest page)


def cmd_summary(args: argparse.Namespace) -> int:
    day, items = _summary_remote(args) if args.url else _summary_local(args)
    if args.json:
        payload: object = items if args.by or len(items) != 1 else items[0]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    if day is None:
        print(t("no_data"))
        return EXIT_OK
    as_of = dt.date.fromisoformat(day)
    left = metrics.days_left(as_of)
    deadline = formatting.tanggal(settings.deadline())
    line = "as_of_line" if left >= 0 else "as_of_line_past"
    print(t(line, tanggal=formatting.tanggal(as_of), hari=formatting.angka(abs(left)), batas=deadline))
    print(_table([opendata.summary_from_record(r) for r in items]))
    return EXIT_OK


def _user(args: argparse.Namespace) -> str:
    import getpass

    return getattr(args, "user", None) or getpass.getuser()


def cmd_import(args: argparse.Namespace) -> int:
    if args.url and args.user:
        raise InvalidInput("--user tidak dipakai dengan --url: batch dicatat atas nama pemilik token (EKTP_TOKEN)")
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"berkas {args.file} tidak dapat dibaca: {exc.strerror}") from exc
    result = _import_remote(args, data) if args.url else _import_local(args, data)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK if result["accepted"] else EXIT_INVALID
    kind = t(f"kind_{result['kind']}") if result["kind"] else "?"
    print(f"{result['file']}: {kind}, {result['rows']} baris data")
    if result["ignored_columns"]:
        print("  " + t("unggah_ignored", columns=describe_ignored(result["ignored_columns"])))
    problems = result["problems"]   # those no confirmation accepts first
    if problems and not result["accepted"]:
        print(f"Ditolak, tidak ada yang disimpan. {len(problems)} masalah:", file=sys.stderr)
        errors = sum(not p["implausible"] for p in problems)
        if errors and errors < len(problems):
            print(t("cli_refused_mixed", e=formatting.angka(errors), i=formatting.angka(len(problems) - errors)),
                  file=sys.stderr)
        _print_problems(problems)
        if not errors:   # only implausible values: confirmable
            print("Bila nilai itu memang benar, ulangi dengan --force.", file=sys.stderr)
    elif result["change"] is not None:
        if problems:   # implausible values the operator confirmed with --force: still said
            print(f"Dikonfirmasi (--force): {len(problems)} nilai tidak wajar:", file=sys.stderr)
            _print_problems(problems)
        for line in result["change_text"]:
            print("  " + line)
        if result["superseded"]:
            print(f"  koreksi: {result['superseded']} baris lama digantikan")
        if result.get("findings"):   # what Kualitas would report after a save (a dry run only)
            print(t("cli_findings", n=formatting.angka(len(result["findings"]))))
            for finding in result["findings"]:
                where = (f"baris {finding['baris']}: " if finding["baris"] is not None
                         else f"batch {finding['batch_id']} baris {finding['baris_batch']}: " if finding["batch_id"] else "")
                print("  " + where + finding["message"])
        print("Pemeriksaan lolos (--dry-run: tidak ada yang disimpan)." if result["dry_run"]
              else f"Disimpan sebagai batch {result['batch_id']}.")
    return EXIT_OK if result["accepted"] else EXIT_INVALID


_PROBLEMS_PRINTED = 50   # an import's problems printed one by one; --json has them all


def _print_problems(problems: list[dict]) -> None:
    for p in problems[:_PROBLEMS_PRINTED]:
        print("  " + p["message"], file=sys.stderr)
    if len(problems) > _PROBLEMS_PRINTED:
        print(t("cli_problems_more", n=formatting.angka(len(problems) - _PROBLEMS_PRINTED)), file=sys.stderr)


def _import_local(args: argparse.Namespace, data: bytes) -> dict:
    from ektp_metrics import (
        upload,  # a plain national file of daily counts is read without pandas
    )

    with Database(_db_path(args), create=False) as db:
        result = upload.ingest(db, data, args.file.name, user=_user(args), role=SERVER_ROLE, dry_run=args.dry_run,
                               replace=args.replace, force=args.force, sheet=args.sheet)
    return opendata.ingest(result)


def _import_remote(args: argparse.Namespace, data: bytes) -> dict:
    """POST /unggah: the same upload path; a refusal (422) carries the same result as a refused local import."""
    client = _client(args)
    client.need_token()
    _, body = client.request("POST", "/unggah", {"nama": args.file.name, "lembar": args.sheet,
                                                 "dry_run": args.dry_run or None, "replace": args.replace or None,
                                                 "force": args.force or None},
                             body=data, content_type="application/octet-stream", answers=(422,),
                             timeout=apiclient.UPLOAD_TIMEOUT)
    if not isinstance(body, dict) or "accepted" not in body:
        raise apiclient.RemoteError(apiclient.EXIT_UNEXPECTED, f"jawaban unggah dari {client.base} tidak dikenal")
    body.pop("sesudah", None)   # the figures after a save: the API's extra, not part of `import --json`
    return body


def _jadwal_local(args: argparse.Namespace) -> dict:
    from ektp_metrics import schedule

    with Database(_db_path(args), create=False) as db:
        as_of = args.as_of or metrics.reference_day(db)
        if as_of is None:
            return {"as_of": None, "jadwal": [], "rencana": None}
        timeline = schedule.timeline(db, as_of)
        plan = schedule.PlanInput(start=schedule.default_start(timeline, as_of), devices=args.alat,
                                  per_block=args.per_blok, block_days=args.hari, capacity=args.kapasitas,
                                  rule=args.urutan)
        try:
            plan.check()
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
        return opendata.rencana(db, as_of, plan)


def _jadwal_remote(args: argparse.Namespace) -> dict:
    return dict(_client(args).get("/rencana", {
        "tanggal": args.as_of, "alat": args.alat, "per_blok": args.per_blok, "hari": args.hari,
        "kapasitas": args.kapasitas, "urutan": args.urutan}))


def _day(text: str) -> dt.date:
    """A date of the JSON ("2013-10-25", or a moment "2013-10-25T…")."""
    return dt.date.fromisoformat(text[:10])


def cmd_jadwal(args: argparse.Namespace) -> int:
    data = _jadwal_remote(args) if args.url else _jadwal_local(args)
    if data["as_of"] is None:
        print(t("no_data"))
        return EXIT_OK
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    visits, plan = data["jadwal"], data["rencana"]
    counts = {state: sum(v["status"] == state for v in visits) for state in ("selesai", "berjalan", "akan_datang")}
    print(f"Jadwal keliling per {formatting.tanggal(_day(data['as_of']))}: {counts['selesai']} selesai, "
          f"{counts['berjalan']} berjalan, {counts['akan_datang']} akan datang")
    for r in visits:
        print(f"  {_day(r['tanggal_mulai']):%d/%m/%Y}–{_day(r['tanggal_selesai']):%d/%m/%Y}  {r['kelurahan']:<20} "
              f"{r['alat']:>2} alat  {r['status']}")
    print(f"\nRencana untuk {len(plan['blok'])} kelurahan yang belum dilayani "
          f"({plan['alat']} alat, {plan['per_blok']} kelurahan per blok, {plan['hari']} hari, "
          f"{plan['kapasitas']} per alat per hari, urutan {plan['urutan']}):")
    for r in plan["blok"]:
        print(f"  blok {r['blok']:>2}  {_day(r['tanggal_mulai']):%d/%m/%Y}–{_day(r['tanggal_selesai']):%d/%m/%Y}  "
              f"{r['kelurahan']:<20} {r['alat']:>2} alat  belum rekam {formatting.angka(r['belum_rekam'])}")
    if plan["safari_selesai"]:
        tuntas = plan["tuntas"]
        print(f"Safari selesai {formatting.tanggal(_day(plan['safari_selesai']))}; cakupan pada "
              f"{formatting.tanggal(settings.deadline())} {formatting.persen_nilai(plan['persen_batas'])}; 100% "
              + (f"tercapai {formatting.tanggal(_day(tuntas))}" if tuntas else "belum tercapai dalam setahun"))
    return EXIT_OK


def _cek_local(args: argparse.Namespace) -> dict:
    with Database(_db_path(args), create=False) as db:
        as_of = args.as_of or metrics.reference_day(db)
        if as_of is None:
            return {"as_of": None, "angka_publikasi": [], "aturan": {}, "versi_target": []}
        return opendata.cek(db, as_of, args.hari)


def _cek_remote(args: argparse.Namespace) -> dict:
    client = _client(args)
    client.need_token()
    return dict(client.get("/cek", {"tanggal": args.as_of, "hari": args.hari}))


def _shown(value: object) -> str:
    return "–" if value is None else str(value)


def cmd_cek(args: argparse.Namespace) -> int:
    """Findings are data, not errors: exit 0 whether or not there are any."""
    if args.hari < 1:
        raise InvalidInput("--hari harus paling sedikit 1")
    data = _cek_remote(args) if args.url else _cek_local(args)
    if data["as_of"] is None:
        print(t("no_data"))
        return EXIT_OK
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    compared = [c for c in data["angka_publikasi"] if c["status"] in ("sama", "mendekati", "berbeda")]
    print(f"Kualitas data per {formatting.tanggal(_day(data['as_of']))}")
    print(f"Angka publikasi: {len(compared)} dibandingkan, {sum(c['status'] == 'berbeda' for c in compared)} berbeda")
    for c in compared:
        mark = "!!" if c["status"] == "berbeda" else "  "
        print(f" {mark} {_day(c['tanggal']):%d/%m/%Y}  {c['indikator']:<28} dicetak {c['dicetak']:<10} "
              f"database {c['basis_data']:<12} {c['status']}")
    for rule, rows in data["aturan"].items():
        print(f"{t('aturan_' + rule)}: {len(rows)} temuan")
        for r in rows[:20]:
            where = f"batch {int(r['batch_id'])} baris {int(r['baris'])}" if r.get("batch_id") is not None else ""
            day = "–" if not r.get("tanggal") else f"{_day(r['tanggal']):%d/%m/%Y}"
            print(f"   {r['kelurahan']:<20} {day:<10}  nilai {_shown(r['nilai'])}  batas {_shown(r['batas'])}  {where}")
    return EXIT_OK


def cmd_batches(args: argparse.Namespace) -> int:
    if args.url:
        client = _client(args)
        client.need_token()
        rows = client.get("/batch")["data"]
    else:
        with Database(_db_path(args), create=False) as db:
            rows = opendata.batches(db)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    for r in rows:   # created_at: ISO with its offset (EKTP_TZ), shown in EKTP_TZ here
        print(f"{r['id']:>5}  {r['kind']:<9} {r['status']:<10} {r['rows']:>7} baris  {_shown(r['user']):<12} "
              f"{formatting.waktu(dt.datetime.fromisoformat(r['created_at']))}  {r['file']}")
    return EXIT_OK


def cmd_revert(args: argparse.Namespace) -> int:
    from ektp_metrics import history

    with Database(_db_path(args), create=False) as db:
        try:
            history.revert(db, args.batch_id, user=_user(args), reason=args.reason or "", role=SERVER_ROLE)
        except history.RevertRefused as exc:
            raise InvalidInput(t(f"revert_{exc.code}", **exc.params)) from exc
    print(f"Batch {args.batch_id} dibatalkan: tetap di riwayat, tidak lagi dihitung.")
    return EXIT_OK


def _figures_line(figures: dict | None) -> str:
    """'per 25 Oktober 2013: 383.427 dari 415.549 sudah rekam (92,26%), 345.679 kartu diterima'."""
    if not figures or not figures.get("as_of"):
        return "belum ada data"
    if "wajib_ktp" not in figures:
        return f"per {formatting.tanggal(dt.date.fromisoformat(figures['as_of']))}"
    persen = figures.get("persen_rekam")
    return (f"per {formatting.tanggal(dt.date.fromisoformat(figures['as_of']))}: "
            f"{formatting.angka(figures['sudah_rekam'])} dari {formatting.angka(figures['wajib_ktp'])} sudah rekam"
            f"{f' ({persen}%)' if persen else ''}, {formatting.angka(figures['sudah_distribusi'])} kartu diterima")


def _size(n: int) -> str:
    return f"{formatting.desimal(round(n / 1048576, 1), 1)} MB"


def cmd_backup(args: argparse.Namespace) -> int:
    """A verified backup. When the running app holds the file it takes it (control socket); else here."""
    from ektp_metrics import backup, control

    if args.url:
        if args.to is not None:
            raise InvalidInput("--to tidak dipakai dengan --url: aplikasi mencadangkan ke folder cadangannya sendiri "
                               "(EKTP_BACKUP_DIR di server)")
        client = _client(args)
        client.need_token()
        _, record = client.request("POST", "/cadangan", body=b"", timeout=apiclient.UPLOAD_TIMEOUT)
        return _print_backup(args, record, " (dibuat oleh aplikasi yang sedang berjalan)")
    path = _db_path(args)
    folder = args.to.resolve() if args.to is not None else None
    try:
        db = Database(path, create=False)
    except DatabaseUnavailable as exc:
        if exc.reason != "locked":
            raise
        try:
            answer = control.ask(path, {"perintah": "cadangkan", "ke": str(folder) if folder else None,
                                        "oleh": "cli:" + _user(args)})
        except control.NoApp:
            raise DatabaseUnavailable(path, "locked", exc.pid) from exc
        except (OSError, ValueError) as problem:
            raise BackupRefused(f"aplikasi yang berjalan tidak menjawab permintaan cadangan: {problem}") from problem
        if not answer.get("ok"):
            raise BackupRefused(str(answer.get("pesan")))
        record = answer["cadangan"]
        via = " (dibuat oleh aplikasi yang sedang berjalan)"
    else:
        try:
            with db:
                made = backup.take(db, folder, by="cli:" + _user(args))
        except backup.BackupFailed as problem:
            raise BackupRefused(str(problem)) from problem
        record = {"path": str(made.path), "size": made.size, "batches": made.batches, "figures": made.figures,
                  "check": made.check, "taken_at": made.taken_at.isoformat(), "sha256": made.sha256}
        via = ""
    return _print_backup(args, record, via)


def _print_backup(args: argparse.Namespace, record: dict, via: str) -> int:
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    print(f"Cadangan dibuat{via}: {record['path']}")
    print(f"  {_size(int(record['size']))}, {record['batches']} batch, diperiksa: cocok dengan database; "
          f"{_figures_line(record.get('figures'))}")
    return EXIT_OK


class BackupRefused(Exception):
    """A backup that could not be made (exit 3: the database is not available for a backup)."""


def cmd_backups(args: argparse.Namespace) -> int:
    from ektp_metrics import backup

    folder = args.to or settings.backup_dir(_db_path(args))
    found = backup.list_backups(folder)
    if args.json:
        print(json.dumps([{"path": str(b.path), "waktu": b.taken_at.isoformat(), "ukuran": b.size, "batch": b.batches,
                           "angka": b.figures, "pemeriksaan": b.check, "oleh": b.by, "keterangan": b.detail}
                          for b in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        print(f"Belum ada cadangan di {folder}. Buat dengan: python -m ektp_metrics backup")
        return EXIT_OK
    print(f"Cadangan di {folder} (terbaru dulu):")
    for b in found:
        mark = "baik " if b.good else "GAGAL" if b.check == backup.FAILED else "?    "
        print(f"  {mark} {formatting.waktu(b.taken_at)}  {b.path.name}  {_size(b.size) if b.size else '–'}  "
              + (f"{b.batches} batch, {_figures_line(b.figures)}" if b.good else b.detail))
    if backup.is_stale(folder):
        print("PERINGATAN: cadangan baik terakhir lebih tua dari 2 hari.", file=sys.stderr)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from ektp_metrics import backup, control

    target = _db_path(args)
    try:   # the running app answers at its control socket: it must be stopped first
        control.ask(target, {"perintah": "status"}, timeout=5)
    except (control.NoApp, OSError, ValueError):
        pass
    else:
        raise backup.RestoreRefused(f"Aplikasi masih berjalan dengan database {target}. Hentikan dulu "
                                    f"(systemctl stop ektp-dasbor, atau Ctrl+C pada make run), lalu ulangi.", in_use=True)
    restored = backup.restore(args.backup, target)
    before = (_figures_line(restored.before["figures"]) + f", {restored.before['batches']} batch"
              if restored.before else f"database lama {restored.before_problem}")
    print(f"Sebelum: {before}")
    for aside in restored.kept_aside:
        print(f"  berkas lama disimpan sebagai {aside}")
    print(f"Sesudah: {_figures_line(restored.after['figures'])}, {restored.after['batches']} batch")
    print(f"Database {target} dipulihkan dari {args.backup}. Jalankan lagi aplikasinya "
          f"(systemctl start ektp-dasbor, atau make run).")
    return EXIT_OK


def _password(prompt: str = "Kata sandi: ", *, confirm: bool = False) -> str:
    """The password from $EKTP_PASSWORD, else typed at the terminal (twice, when confirm: they must match),
    else the first line of standard input (never an argument)."""
    from_env = settings.get("EKTP_PASSWORD")
    if from_env:
        return from_env
    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass(prompt)
        if confirm and password and getpass.getpass(t("password_again")) != password:
            raise InvalidInput(t("password_mismatch"))
        return password
    return sys.stdin.readline().rstrip("\r\n")


def _account(call) -> None:
    from ektp_metrics import auth

    try:
        call()
    except auth.AccountError as exc:
        raise InvalidInput(t(f"account_{exc.code}", **exc.params)) from exc


def cmd_users_add(args: argparse.Namespace) -> int:
    from ektp_metrics import auth

    password = _password()
    with Database(_db_path(args), create=False) as db:
        _account(lambda: auth.PasswordStore(db).add(args.name, args.display_name or args.name, args.role, password,
                                                     by="cli:" + _user(args)))
    print(f"Akun {args.name.strip().lower()} ({args.role}) dibuat.")
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace) -> int:
    from ektp_metrics import auth, demo

    with Database(_db_path(args), create=False) as db:
        frame = auth.PasswordStore(db).users()
        is_demo = db.get_setting("demo") == "1"
    demo_passwords = {u: p for u, _, _, p in demo.DEMO_ACCOUNTS} if is_demo else {}
    if args.json:
        for column in ("created_at", "password_set_at"):   # stored in UTC: said so ("…Z")
            frame[column] = formatting.lokal_kolom(frame[column])
        print(frame.to_json(orient="records", date_format="iso", force_ascii=False))
        return EXIT_OK
    if frame.empty:
        print("Belum ada akun. Buat admin pertama: python -m ektp_metrics users add NAMA --role admin")
    for r in frame.itertuples(index=False):
        state = "aktif" if r.active else "nonaktif"
        extra = ""
        if r.created_by == demo.DEMO_USER and r.username in demo_passwords:
            extra = f"  [akun contoh, kata sandi: {demo_passwords[r.username]}]"
        print(f"{r.username:<12} {r.role:<9} {state:<9} {r.display_name}{extra}")
    return EXIT_OK


def cmd_users_active(args: argparse.Namespace) -> int:
    from ektp_metrics import auth

    with Database(_db_path(args), create=False) as db:
        _account(lambda: auth.PasswordStore(db).set_active(args.name, args.active, by="cli:" + _user(args)))
    print(f"Akun {args.name} {'diaktifkan' if args.active else 'dinonaktifkan'}.")
    return EXIT_OK


def cmd_users_reset(args: argparse.Namespace) -> int:
    from ektp_metrics import auth

    password = _password()
    with Database(_db_path(args), create=False) as db:
        _account(lambda: auth.PasswordStore(db).reset_password(args.name, password, by="cli:" + _user(args)))
    print(f"Kata sandi {args.name} diganti; kunci akun dibuka.")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    # What the command says goes to stdout/stderr below; the modules' log lines (meant for the server's
    # log) would only repeat it here.
    logging.getLogger("ektp").setLevel(logging.CRITICAL)
    parser = build_parser()
    args = parser.parse_args(argv)
    bad_settings = settings.problems()
    if bad_settings:
        for message in bad_settings:
            print(f"Pengaturan tidak valid / invalid setting: {message}", file=sys.stderr)
        return EXIT_INVALID
    try:
        return int(args.func(args))
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python's exit flush quiet
        return EXIT_OK
    except InvalidInput as exc:
        print(f"Ditolak / refused: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except DatabaseUnavailable as exc:
        print(f"Database tidak tersedia / unavailable: {exc.message()}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except WriteRefused as exc:   # a full disk, a read-only or vanished file: nothing was written
        print(f"Tidak disimpan / not saved: {exc.message()}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except apiclient.RemoteError as exc:   # --url: the app refused or did not answer
        print(exc.line(), file=sys.stderr)
        return exc.exit_code
    except BackupRefused as exc:
        print(f"Cadangan gagal / backup failed: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except RestoreRefusedError as exc:
        print(f"Pemulihan ditolak / restore refused: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE if exc.in_use else EXIT_INVALID
    except settings.InvalidSetting as exc:
        print(f"Pengaturan tidak valid / invalid setting: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except Exception:  # noqa: BLE001 - the last resort: say it was unexpected, keep the trace for a bug report
        traceback.print_exc()
        print("Kesalahan tak terduga / unexpected error (lihat jejak di atas).", file=sys.stderr)
        return EXIT_UNEXPECTED
