"""A Streamlit-only lobby screen for the soak: one st.html in a fragment with run_every, no database.

    python -m bench.kiosk_soak --app bench/fragment_only.py

If the server's memory rises with this page as with /layar, the rise is Streamlit's, not the app's.
The HTML has the size of a real slide (about 20 kB) and the data-slide attribute the soak counts.
"""

import streamlit as st

SECONDS = int(st.query_params.get("detik", 5))
st.html("<style>.layar{font-size:4vh}</style>")


@st.fragment(run_every=SECONDS)
def board() -> None:
    number = st.session_state.get("n", 0) + 1
    st.session_state["n"] = number
    rows = "".join(f"<tr><td>Kelurahan {i}</td><td>{(number * 7 + i) % 1000}</td></tr>" for i in range(400))
    st.html(f'<div class="layar" data-slide="{number % 5}"><table>{rows}</table></div>')


board()
