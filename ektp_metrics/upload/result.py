"""What an upload returns: its problems (row, column, reason), the change it makes, the batch it became."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Problem:
    """One reason to refuse. `code` selects the message (i18n key 'problem_<code>')."""

    code: str
    baris: int | None = None
    kolom: str | None = None
    params: dict = field(default_factory=dict)
    implausible: bool = False          # refused unless the operator confirms (force)


@dataclass(frozen=True)
class Finding:
    """A finding a Kualitas rule (ektp_metrics.quality.RULES) would add if the file were saved: the dry run's
    preview (quality.added_findings). `baris` is the file's row behind it; `batch_id` an earlier batch's
    (with `baris_batch`) when an older row is the cause. i18n key 'finding_<rule>'."""

    rule: str
    kode_kelurahan: str
    kelurahan: str
    tanggal: dt.date | None
    nilai: int | None
    batas: int | None
    ukuran: str | None = None          # kumulatif_turun: sudah_rekam or sudah_distribusi
    lokasi: str | None = None          # harian_tidak_wajar
    baris: int | None = None
    batch_id: int | None = None
    baris_batch: int | None = None


@dataclass
class Change:
    """What an upload does to the city figures, as of the reference day before and after it."""

    kind: str
    as_of_before: dt.date | None
    as_of_after: dt.date | None
    rekam_before: int
    rekam_after: int
    distribusi_before: int
    distribusi_after: int
    persen_before: Decimal | None     # coverage as shown: floored, kelurahan with a target only
    persen_after: Decimal | None
    kelurahan: int
    tanggal_min: dt.date | None
    tanggal_max: dt.date | None
    wilayah: str = "kota"             # the whole region list the figures are of (metrics.scope: Kota Surakarta)


@dataclass
class IngestResult:
    file_name: str
    sha256: str
    kind: str | None = None
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    # what the Kualitas rules would add if the file were saved (a dry run that would be accepted only)
    findings: list[Finding] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # the first rows as read: a DataFrame (validated way) or (columns, rows) (direct way, without pandas)
    preview_data: pd.DataFrame | tuple[list[str], list[tuple]] | None = None
    change: Change | None = None
    batch_id: int | None = None
    superseded: int = 0
    dry_run: bool = False
    forced: bool = False
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    direct: bool = False              # read and checked by DuckDB directly (see the module's docstring)

    @property
    def preview(self) -> pd.DataFrame | None:
        """The first 20 rows as read and parsed (the Unggah page shows them)."""
        if isinstance(self.preview_data, tuple):
            import pandas as pd

            columns, rows = self.preview_data
            return pd.DataFrame(rows, columns=columns)
        return self.preview_data

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.implausible]

    @property
    def implausible(self) -> list[Problem]:
        return [p for p in self.problems if p.implausible]

    @property
    def accepted(self) -> bool:
        """True when the file was (or, in a dry run, would be) written.

        Implausible values do not stop a file the operator confirmed (forced); they stay reported.
        """
        return (self.kind is not None and self.change is not None and not self.errors
                and (self.forced or not self.implausible))

    @property
    def committed(self) -> bool:
        return self.batch_id is not None and not self.dry_run



# A callback (fraction done, step); whatever it returns is ignored (a Streamlit progress bar returns itself).
Progress = Callable[[float, str], object]


def no_progress(fraction: float, step: str) -> None:
    """The default Progress: report nothing."""
    return
