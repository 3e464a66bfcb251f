"""Figures from the historical call store: overviews, diversion, repeat callers, outcomes."""
