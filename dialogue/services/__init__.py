"""Writes: one service per action, owning its transaction, validation and audit."""
