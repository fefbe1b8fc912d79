"""The region model: kelurahan → kecamatan → kota (→ provinsi), and name resolution.

The default region list is Kota Surakarta in 2013 (data/wilayah/surakarta_2013.csv). Another list with
the same columns can replace it; nothing here is specific to Solo.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ektp_metrics import DATA_DIR

if TYPE_CHECKING:   # region lists are read with pandas (read_region_list); resolving a code needs none
    import pandas as pd

DEFAULT_REGION_LIST = DATA_DIR / "wilayah" / "surakarta_2013.csv"
KELURAHAN_GEOJSON = DATA_DIR / "wilayah" / "surakarta_kelurahan_2013.geojson"
KECAMATAN_GEOJSON = DATA_DIR / "wilayah" / "surakarta_kecamatan.geojson"

def boundary_codes(path: Path = KELURAHAN_GEOJSON) -> frozenset[str]:
    """The kelurahan codes the boundary file has a shape for (none when the file is missing)."""
    return _boundary_codes(str(path))


@functools.lru_cache(maxsize=4)
def _boundary_codes(path: str) -> frozenset[str]:
    import json

    if not Path(path).exists():
        return frozenset()
    return frozenset(f["properties"]["kode"] for f in json.loads(Path(path).read_text(encoding="utf-8"))["features"])


REQUIRED_COLUMNS = ("kode_kelurahan", "kelurahan", "kode_kecamatan", "kecamatan")
OPTIONAL_COLUMNS = ("kode_kota", "kota", "kode_provinsi", "provinsi", "nama_alternatif", "lat", "lon",
                    "kode_pos", "wajib_ktp")

# Prefixes people write before a kelurahan or kecamatan name in a spreadsheet cell.
_PREFIX = re.compile(r"^(kelurahan|kel|desa|ds)\b\.?\s*")
_KEC_PREFIX = re.compile(r"^(kecamatan|kec)\b\.?\s*")


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation removed, spaces dropped, a leading 'Kel.'/'Kelurahan' removed.

    'Pucang Sawit', 'PUCANGSAWIT' and 'Kel. Pucang-Sawit' all give 'pucangsawit'.
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower().strip()
    text = _PREFIX.sub("", text)
    return re.sub(r"[^a-z0-9]", "", text)


def normalise_kecamatan(name: str) -> str:
    """Like normalise_name, for kecamatan: 'Kec. Pasar Kliwon' and 'KECAMATAN pasarkliwon' compare equal."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower().strip()
    return re.sub(r"[^a-z0-9]", "", _KEC_PREFIX.sub("", text))


def normalise_code(code: str) -> str:
    """Digits only: '33.72.01.1001', '3372011001' and ' 33 72 01 1001 ' compare equal."""
    return re.sub(r"\D", "", str(code))


def read_region_list(path: Path = DEFAULT_REGION_LIST) -> pd.DataFrame:
    """Read a region list CSV; raise ValueError naming missing columns.

    Optional columns are added empty. Without kode_kota / kode_provinsi, the codes are taken from the
    Kemendagri kecamatan code when it has that shape (33.72.01 → kota 33.72, provinsi 33) and the list
    names the kota / provinsi; a list with neither has only kecamatan and kelurahan levels.
    """
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"kolom wajib tidak ada: {', '.join(missing)}")
    for col in OPTIONAL_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame.apply(lambda col: col.str.strip() if col.dtype == object or pd.api.types.is_string_dtype(col) else col)
    parts = frame["kode_kecamatan"].str.split(".", expand=True)
    if parts.shape[1] >= 3:
        derived_kota = parts[0] + "." + parts[1]
        frame["kode_kota"] = frame["kode_kota"].where((frame["kode_kota"] != "") | (frame["kota"] == ""), derived_kota)
        frame["kode_provinsi"] = frame["kode_provinsi"].where(
            (frame["kode_provinsi"] != "") | (frame["provinsi"] == ""), parts[0])
    empty = frame[list(REQUIRED_COLUMNS)].eq("").any(axis=1)
    if empty.any():
        raise ValueError(f"baris {int(empty.idxmax()) + 2}: kode dan nama kelurahan dan kecamatan wajib diisi")
    duplicated = frame["kode_kelurahan"].duplicated()
    if duplicated.any():
        raise ValueError(f"baris {int(duplicated.idxmax()) + 2}: kode_kelurahan "
                         f"{frame.loc[duplicated.idxmax(), 'kode_kelurahan']} sudah ada di baris sebelumnya")
    return frame


def install_regions(cur: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
    """Replace the regions and aliases with those of `frame` (inside the caller's transaction).

    Vectorised: a national list (≈ 83.000 kelurahan) goes in with a few INSERT … SELECT statements.
    Returns the number of kelurahan installed.
    """
    import pandas as pd

    def coordinate(col: pd.Series) -> pd.Series:
        return pd.to_numeric(col.replace("", None), errors="coerce")

    levels = [
        frame.loc[frame["kode_provinsi"] != "", ["kode_provinsi", "provinsi"]].drop_duplicates("kode_provinsi")
        .set_axis(["kode", "nama"], axis=1).assign(tingkat="provinsi", induk=None),
        frame.loc[frame["kode_kota"] != "", ["kode_kota", "kota", "kode_provinsi"]].drop_duplicates("kode_kota")
        .set_axis(["kode", "nama", "induk"], axis=1).assign(tingkat="kota"),
        frame[["kode_kecamatan", "kecamatan", "kode_kota"]].drop_duplicates("kode_kecamatan")
        .set_axis(["kode", "nama", "induk"], axis=1).assign(tingkat="kecamatan"),
    ]
    upper = pd.concat(levels, ignore_index=True)
    upper["induk"] = upper["induk"].replace("", None)
    upper = upper.assign(lat=None, lon=None, kode_pos=None)
    kel = pd.DataFrame({"kode": frame["kode_kelurahan"], "nama": frame["kelurahan"], "tingkat": "kelurahan",
                        "induk": frame["kode_kecamatan"], "lat": coordinate(frame["lat"]),
                        "lon": coordinate(frame["lon"]), "kode_pos": frame["kode_pos"].replace("", None)})
    rows = pd.concat([upper[kel.columns], kel], ignore_index=True).drop_duplicates("kode", keep="last")
    aliases = (frame[["kode_kelurahan", "nama_alternatif"]]
               .assign(alias=frame["nama_alternatif"].str.split(";")).explode("alias"))
    aliases["alias"] = aliases["alias"].fillna("").str.strip()
    aliases = aliases[aliases["alias"] != ""]
    aliases = pd.DataFrame({"kode": aliases["kode_kelurahan"], "alias": aliases["alias"],
                            "alias_norm": [normalise_name(a) for a in aliases["alias"]]})   # the few alternatives
    cur.execute("DELETE FROM region_aliases")
    cur.execute("DELETE FROM regions")
    cur.register("new_regions", rows)
    cur.execute("""INSERT INTO regions (kode, nama, tingkat, induk, lat, lon, kode_pos)
                   SELECT kode, nama, tingkat, induk, lat::DOUBLE, lon::DOUBLE, kode_pos FROM new_regions""")
    cur.unregister("new_regions")
    if len(aliases):
        cur.register("new_aliases", aliases)
        cur.execute("INSERT OR IGNORE INTO region_aliases SELECT kode, alias, alias_norm FROM new_aliases")
        cur.unregister("new_aliases")
    return len(kel)


@dataclass(frozen=True)
class Kelurahan:
    kode: str
    nama: str
    kode_kecamatan: str
    kecamatan: str


@dataclass(frozen=True)
class Resolution:
    """The outcome of looking up a kelurahan: `kelurahan` when exactly one matched."""

    kelurahan: Kelurahan | None
    problem: str | None = None          # 'unknown', 'ambiguous', 'outside_kecamatan', 'code_name_mismatch'
    suggestions: tuple[str, ...] = field(default_factory=tuple)


class RegionIndex:
    """In-memory index of the kelurahan of a database, for resolving codes and names in any spelling."""

    def __init__(self, rows: list[tuple[str, str, str, str, str]], aliases: list[tuple[str, str]]):
        """rows: (digits of the code, kode, nama, kode_kecamatan, kecamatan) per kelurahan."""
        self._rows = rows
        self._aliases = aliases

    # Everything is built on first use: a national file that gives codes alone needs code_lookup only.
    @functools.cached_property
    def kelurahan(self) -> list[Kelurahan]:
        return [Kelurahan(*row[1:]) for row in self._rows]

    @functools.cached_property
    def by_code(self) -> dict[str, Kelurahan]:
        return {row[0]: k for row, k in zip(self._rows, self.kelurahan)}

    @functools.cached_property
    def by_name(self) -> dict[str, list[Kelurahan]]:
        by_name: dict[str, list[Kelurahan]] = {}
        by_kode = {k.kode: k for k in self.kelurahan}
        for k in self.kelurahan:
            by_name.setdefault(normalise_name(k.nama), []).append(k)
        for kode, alias_norm in self._aliases:
            if kode in by_kode and by_kode[kode] not in by_name.setdefault(alias_norm, []):
                by_name[alias_norm].append(by_kode[kode])
        return by_name

    @functools.cached_property
    def kecamatan_by_name(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for k in self.kelurahan:
            out.setdefault(normalise_kecamatan(k.kecamatan), set()).add(k.kode_kecamatan)
        return out

    @functools.cached_property
    def kecamatan_names(self) -> dict[str, str]:
        return {k.kode_kecamatan: k.kecamatan for k in self.kelurahan}

    def code_lookup(self) -> dict[str, str]:
        """Digits of a code → the kelurahan's code ('3372011001' → '33.72.01.1001')."""
        return {row[0]: row[1] for row in self._rows}

    @classmethod
    def from_db(cls, cur: duckdb.DuckDBPyConnection) -> RegionIndex:
        # the digits of each code come from SQL (normalise_code's rule), not from a Python loop
        rows = cur.execute("""SELECT regexp_replace(kode_kelurahan, '[^0-9]', '', 'g'), kode_kelurahan, kelurahan,
                                     kode_kecamatan, kecamatan FROM v_wilayah ORDER BY 2""").fetchall()
        aliases = cur.execute("SELECT kode, alias_norm FROM region_aliases").fetchall()
        return cls(rows, [(a, b) for a, b in aliases])

    def suggest(self, name: str, n: int = 3) -> tuple[str, ...]:
        """The closest official names to a name that did not match ('Pucangsawi' → 'Pucangsawit')."""
        names = {normalise_name(k.nama): k.nama for k in self.kelurahan}
        for alias_norm, ks in self.by_name.items():
            names.setdefault(alias_norm, ks[0].nama)
        close = difflib.get_close_matches(normalise_name(name), list(names), n=n * 2, cutoff=0.6)
        out: list[str] = []
        for c in close:
            if names[c] not in out:
                out.append(names[c])
        return tuple(out[:n])

    def kecamatan_codes(self, name_or_code: str) -> set[str]:
        """Kecamatan matching a name (any spelling) or a code."""
        code = normalise_code(name_or_code)
        by_code = {normalise_code(k): k for k in self.kecamatan_names}
        if code and code in by_code:
            return {by_code[code]}
        return set(self.kecamatan_by_name.get(normalise_kecamatan(name_or_code), set()))

    def resolve(self, *, kode: str | None = None, nama: str | None = None,
                kecamatan: str | None = None) -> Resolution:
        """Find one kelurahan from a code and/or a name, optionally confirmed by its kecamatan."""
        by_code = self.by_code.get(normalise_code(kode)) if kode and normalise_code(kode) else None
        if kode and normalise_code(kode) and by_code is None:
            return Resolution(None, "unknown_code")
        candidates: list[Kelurahan] = []
        if nama and nama.strip():
            candidates = list(self.by_name.get(normalise_name(nama), []))
            if not candidates:
                if by_code is None:
                    return Resolution(None, "unknown", self.suggest(nama))
                return Resolution(None, "code_name_mismatch", (by_code.nama,))
            if by_code is not None and by_code not in candidates:
                return Resolution(None, "code_name_mismatch", (by_code.nama,))
        if by_code is not None:
            candidates = [by_code]
        if not candidates:
            return Resolution(None, "unknown")
        if kecamatan and kecamatan.strip():
            allowed = self.kecamatan_codes(kecamatan)
            inside = [k for k in candidates if k.kode_kecamatan in allowed]
            if not inside:
                return Resolution(None, "outside_kecamatan", tuple(k.kecamatan for k in candidates))
            candidates = inside
        if len(candidates) > 1:
            return Resolution(None, "ambiguous", tuple(f"{k.nama} ({k.kecamatan})" for k in candidates))
        return Resolution(candidates[0])
