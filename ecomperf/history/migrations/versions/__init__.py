"""Revisions of the history store, oldest first by their ``down_revision`` chain."""
