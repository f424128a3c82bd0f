"""The DuckDB side: SQL files, connections pinned to UTC, transactional writes."""
