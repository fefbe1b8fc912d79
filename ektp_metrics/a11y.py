"""The style sheet every page gets (issue 21): html/a11y.css (a visible focus ring, contrast to WCAG AA)
and the file uploader's own words in the page's language.

Streamlit 1.67's uploader writes "Upload", "50MB per file" and "Drag and drop files here" in English whatever the page's language, and
offers no parameter for them; the words are swapped by CSS here: the replaced text is shrunk to nothing and
the replacement shown as generated content, which Chromium reads out. The size note is also hidden from screen
readers (visibility); the button's own word is not, so the button keeps a name axe-core can see.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ektp_metrics.i18n import t

CSS_PATH = Path(__file__).parent / "html" / "a11y.css"
PHONE_CSS_PATH = Path(__file__).parent / "html" / "phone.css"   # phones and tablets (charts, tables, demo notice)
_BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
_LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'
# While a file is dragged over it, the drop zone shows one more box (a div without a test id) with its note.
_DRAG = '[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span'


@functools.cache
def _base() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in (CSS_PATH, PHONE_CSS_PATH))


def _css_string(text: str) -> str:
    """A CSS string literal of any text (quotes, backslashes and line breaks escaped)."""
    escaped = "".join(c if c.isalnum() or c in " .,;:()-+%/&" else f"\\{ord(c):06x}" for c in text)
    return f'"{escaped}"'


def _replace(selector: str, text: str, size: str, *, hide: bool) -> str:
    hidden = " visibility: hidden;" if hide else ""
    return (f"{selector} {{ font-size: 0;{hidden} }}\n"
            f"{selector}::after {{ content: {_css_string(text)}; font-size: {size}; visibility: visible; }}\n")


def uploader_css(lang: str, max_upload_mb: int) -> str:
    """The uploader's button and size note in `lang` (every uploader of the app has this limit)."""
    return (_replace(_BUTTON, t("uploader_button", lang), "1rem", hide=False)
            + _replace(_LIMIT, t("uploader_limit", lang, mb=max_upload_mb), "0.875rem", hide=True)
            + _replace(_DRAG, t("uploader_drop", lang), "1rem", hide=True))


def style_sheet(lang: str, max_upload_mb: int) -> str:
    """The whole sheet as one <style> element (st.html puts a style-only body where it takes no space): the
    package's own CSS files and the uploader's words (every text escaped as a CSS string). app.py's only st.html."""
    return f"<style>\n{_base()}\n{uploader_css(lang, max_upload_mb)}</style>"
