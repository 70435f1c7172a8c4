"""Benchmarks: `python -m bench.booking_rush` (results in bench/RESULTS.md)."""
