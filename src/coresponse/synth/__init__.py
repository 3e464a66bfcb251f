"""A synthetic city: realistic CAD calls in a real city's export format, for demos, tests and benchmarks."""
