"""Cross-document validation rules (``DEFAULT_RULES``), one module per code group."""
