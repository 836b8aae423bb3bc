"""SqlStore implements every method of the core's store port, with the same parameters."""

from __future__ import annotations

import inspect

import pytest

from bot.core.store import Store
from storage.sql_store import SqlStore

PORT_METHODS = sorted(
    name for cls in Store.__mro__ if cls.__module__ == "bot.core.store"
    for name, value in vars(cls).items() if callable(value) and not name.startswith("_")
)


@pytest.mark.parametrize("name", PORT_METHODS)
def test_sql_store_has_the_port_method_with_its_parameters(name: str) -> None:
    port = inspect.signature(getattr(Store, name))
    impl = inspect.signature(getattr(SqlStore, name))
    assert list(port.parameters) == list(impl.parameters)
