"""Documents rendered from a framework: job descriptions, the ownership matrix and scorecard reports.

Its names load on first use (module ``__getattr__``): importing one module of it (``render.labels``,
``render._choices``) loads no Jinja, and ``import ecomperf`` does not load it at all (the
:class:`~ecomperf.Framework` methods import it on first use).

>>> from ecomperf.render import render_jd  # doctest: +SKIP
>>> render_jd(fw, "store_manager", stage="startup", locale="en", format="html")  # doctest: +SKIP
"""

from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    """Import a public name on first use (the module that defines it), and keep it as an attribute."""
    # start-up cost: each branch imports only the module that defines the name
    module: ModuleType
    if name in {"EXTENSIONS", "FORMATS", "JdFormat", "render_jd"}:
        from ecomperf.render import jd  # start-up cost: see above

        module = jd
    elif name in {"LABELS", "labels_for"}:
        from ecomperf.render import labels  # start-up cost: see above

        module = labels
    elif name in {"MATRIX_FORMATS", "MatrixFormat", "ownership_matrix", "render_matrix"}:
        from ecomperf.render import matrix  # start-up cost: see above

        module = matrix
    elif name in {"scorecard_html", "team_report_html"}:
        from ecomperf.render import report  # start-up cost: see above

        module = report
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
