"""Errors the core and its ports raise across the seam."""

from __future__ import annotations


class StoreUnavailable(RuntimeError):
    """The database cannot be reached. Web requests answer 503 with ``Retry-After``; the worker
    waits and tries again. Nothing is lost: the platform retries the event."""


class Conflict(ValueError):
    """A unique thing already exists (a cohort name in a workspace, say)."""
