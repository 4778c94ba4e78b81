"""Celery tasks: each takes ids, re-fetches, and calls one service.

Tasks are queued after commit (`delay_on_commit`), so a rolled-back write never
queues one; with no broker configured they run in-process.
"""
