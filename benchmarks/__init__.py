"""Kindred benchmarks: synthetic data generators and latency measurements (``python -m benchmarks.run``)."""
