"""Documents rendered from a framework: job descriptions, the ownership matrix and scorecard reports.

Importing this package imports Jinja; ``import ecomperf`` does not (the :class:`~ecomperf.Framework`
methods import it on first use).

>>> from ecomperf.render import render_jd  # doctest: +SKIP
>>> render_jd(fw, "store_manager", stage="startup", locale="en", format="html")  # doctest: +SKIP
"""

from ecomperf.render.jd import EXTENSIONS, FORMATS, JdFormat, render_jd
from ecomperf.render.labels import LABELS, labels_for
from ecomperf.render.matrix import MATRIX_FORMATS, MatrixFormat, ownership_matrix, render_matrix
from ecomperf.render.report import scorecard_html, team_report_html

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "LABELS",
    "MATRIX_FORMATS",
    "JdFormat",
    "MatrixFormat",
    "labels_for",
    "ownership_matrix",
    "render_jd",
    "render_matrix",
    "scorecard_html",
    "team_report_html",
]
