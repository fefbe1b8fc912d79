"""The baseline of bench/pages.py: a Streamlit page that draws nothing."""
