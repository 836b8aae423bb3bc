"""Who is who in the test tenant, and when the tests start."""

from __future__ import annotations

from datetime import datetime, timezone

ADMIN = "29:admin-dana"
COACH = "29:coach-kim"
ANA = "29:teacher-ana"
BEN = "29:teacher-ben"
START = datetime(2026, 11, 27, 15, 0, tzinfo=timezone.utc)
"""A Friday afternoon in New York, before the Monday of the first prompts."""
