"""Latido's benchmarks: each bench_*.py module measures one target against a same-run baseline."""
