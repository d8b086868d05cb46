"""Generators of the documentation site, run at build time by the mkdocs hook in ``hooks.py``.

Every number, message and screen shown in the documentation is produced here by the real library, so
the pages cannot drift from the code:

* ``problems``: one section per problem code, from the bad/fixed YAML examples in ``docs/problems/examples``;
* ``reference``: the YAML reference, one page per document kind, from the Pydantic models;
* ``scoring``: worked examples and SVG charts of the scoring methods, from ``ecomperf.scoring.methods``;
* ``catalogue``: the bundled frameworks, their positions, metrics, weights and job descriptions;
* ``screens``: terminal sessions of the tutorial, captured from the CLI run in-process;
* ``api``: the mkdocstrings directives for every public name of ``ecomperf``.
"""
