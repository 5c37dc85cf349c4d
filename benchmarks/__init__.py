"""Timed scenarios of the course; results are committed under benchmarks/results."""
