"""Benchmarks run by `manage.py benchmark` (see docs/benchmarks.md).

Importing this package loads nothing else (the gunicorn configuration module
lives here and is imported before Django is set up); `registry.benchmarks()`
imports the benchmark modules, which register themselves.
"""
