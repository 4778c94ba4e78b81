"""Reads that cross models (dashboard, sector overview, digest content …)."""
