"""This project's component instances, one folder each (`dg list defs` shows them)."""
