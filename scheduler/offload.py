"""Running the synchronous store off the event loop (the architecture's one bounded pool)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")


async def offload(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` in the default thread pool, so sends keep flowing while the database works."""
    return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args, **kwargs))
