"""The baseline of bench/pages.py: a Streamlit page that draws nothing."""


def render() -> None:
    """Draws nothing (a page is a function, as in pages/)."""
