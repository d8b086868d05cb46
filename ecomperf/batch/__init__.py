"""Many rows at once: tables of actuals in, summaries and cards out, bad rows reported with their row number."""
