"""Benchmarks: each one runs CoResponse side by side with its baseline in one run and reports ratios."""
