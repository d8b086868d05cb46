"""Changing a framework safely: the semantic diff of two versions and the backtest of a change.

* :mod:`ecomperf.changes.diff` compares two loaded frameworks into typed :class:`~ecomperf.changes.diff.Change`
  objects (``ecomperf.diff``);
* :mod:`ecomperf.changes.backtest` scores the same actuals under both versions (``ecomperf.backtest``);
* :mod:`ecomperf.changes.revisions` reads a framework as it was at a git revision, without a checkout;
* :mod:`ecomperf.changes.report` renders both as Markdown or HTML (imports Jinja, so it is not imported here).
"""
