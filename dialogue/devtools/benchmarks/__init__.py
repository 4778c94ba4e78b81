"""Benchmarks run by `manage.py benchmark` (see docs/benchmarks.md).

Importing this package loads nothing else (`memprobe` runs as `python -m` and
imports it before Django is set up); `registry.benchmarks()` imports the benchmark
modules, which register themselves.
"""
