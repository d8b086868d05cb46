"""``python -m ecomperf`` runs the command-line interface."""

from ecomperf.cli import main

main()
