"""HTTP routes served beside the Streamlit pages by serve.py (st.App): plain Starlette handlers over the same
ektp_metrics functions as the pages. No Streamlit here."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    return []
