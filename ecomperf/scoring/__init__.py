"""Scoring: actuals parsing, card resolution, methods, formula derivation, the card, roll-ups and reviews.

Pure: nothing here reads files, renders text for people or imports Jinja, typer or rich.
"""
