"""Files at the edges: actuals readers, result writers, xlsx styling and the one atomic writer."""
