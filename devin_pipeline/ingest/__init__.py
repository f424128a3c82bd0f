"""From API pages to committed DuckDB days: window walks, Arrow batches, the single writer."""
