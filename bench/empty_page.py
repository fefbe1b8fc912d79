"""The baseline of bench/pages.py: a Streamlit page that draws nothing."""


def render() -> None:
    """Draws nothing (a page is a function, as in pages/)."""


if __name__ == "__main__":   # `streamlit run bench/empty_page.py`: bench/browser.py's baseline, one figure
    import streamlit as st

    st.metric("Kosong / Empty", "0")
