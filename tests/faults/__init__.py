"""Fault drills against the real services: see conftest.py."""
