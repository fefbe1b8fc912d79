"""ektp_metrics: the logic of the e-KTP coverage dashboard for Kota Surakarta.

Nothing in this package imports Streamlit. Pages call into it; the CLI is `python -m ektp_metrics`.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"

__version__ = "0.1.0"
