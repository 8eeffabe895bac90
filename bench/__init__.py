"""Benchmarks: `python -m bench [NAME ...]` runs every `bench_*.py` module and prints JSON.

Each module defines `run() -> dict`; figures are measured on this machine, never asserted.
"""
