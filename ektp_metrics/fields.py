"""What people type: one table of length limits, checked here on the server and shown in the forms.

A form shows the limit (Streamlit's max_chars, from LIMITS); the domain function checks it again, since a
browser or a script can send anything (issue 19). Links a person types accept http and https only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# field → the most characters it holds (after surrounding spaces are dropped)
LIMITS: dict[str, int] = {
    "display_name": 80,         # Pengguna: full name (shown in the sidebar)
    "revert_reason": 300,       # Riwayat: why a batch is reverted
    "published_value": 40,      # Kualitas: a published figure as printed ("383.427", "± 32 ribu")
    "published_unit": 60,       # Kualitas: its unit
    "publisher": 120,           # Kualitas: who published it
    "url": 500,                 # Kualitas: the source's link
    "note": 500,                # Kualitas: notes on a figure or on a reconciliation difference
    "wawali_nama": 120,         # Pengguna: the Deputy Mayor's name and title on the lobby screen
    "wawali_ajakan": 500,       # Pengguna: the call to record, on the lobby screen
    "kartu_tempat": 200,        # Pengguna: where cards are picked up, on the lobby screen
    "tempat": 120,              # a schedule's place (Keliling's editor, a jadwal file's column `tempat`)
    "token_name": 80,           # Pengguna: what an API token is for ("SIAK malam", "Satu Data")
}

# the public-screen settings (db.PUBLIC_TEXTS) are fields of the same names
PUBLIC_TEXT_FIELDS = ("wawali_nama", "wawali_ajakan", "kartu_tempat")


class TooLong(ValueError):
    """A typed text longer than its field allows; nothing was written. `code`/`params` select the message
    (i18n 'field_too_long')."""

    code = "field_too_long"

    def __init__(self, field: str, length: int):
        self.field, self.length, self.limit = field, length, LIMITS[field]
        self.params = {"field": field, "n": length, "batas": self.limit}
        super().__init__(f"{field}: {length} karakter, paling banyak {self.limit}")


class BadLink(ValueError):
    """A link that is not http(s)://host…; nothing was written (i18n 'field_bad_link')."""

    code = "field_bad_link"

    def __init__(self, value: str):
        self.params = {"link": value[:80]}
        super().__init__(f"tautan harus diawali http:// atau https://: {value[:80]!r}")


def text(field: str, value: str) -> str:
    """`value` without surrounding spaces, or TooLong when it exceeds the field's limit."""
    cleaned = value.strip()
    if len(cleaned) > LIMITS[field]:
        raise TooLong(field, len(cleaned))
    return cleaned


def link(value: str) -> str:
    """An empty text, or an http/https link with a host, within the url limit; else BadLink/TooLong."""
    cleaned = text("url", value)
    if not cleaned:
        return ""
    parts = urlsplit(cleaned)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in cleaned):
        raise BadLink(cleaned)
    return cleaned
