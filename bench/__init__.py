"""Benchmarks anyone can run from the repository root: ``python -m bench.run_all`` (see README)."""
