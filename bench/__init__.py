"""Benchmarks (run as modules: `uv run python -m bench.load_tickets ...`)."""
