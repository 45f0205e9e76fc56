"""Benchmarks for issue 6: run them with `python -m benchmarks` (see README, "Benchmarks")."""
