"""The HTML pages the app writes itself, as Jinja2 templates in this folder (the lobby screen layar.html,
the offline report laporan.html), and the one environment that renders them.

Autoescape is on: every value put into a template is escaped unless it is `markupsafe.Markup` (trusted
HTML made by this code: a style sheet, plotly's own output), so text from the database or from a person
can never become markup. StrictUndefined: a misspelt name fails instead of rendering empty.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True,
                         undefined=jinja2.StrictUndefined)
