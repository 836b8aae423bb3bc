"""Alembic environment: the URL comes from the config ``migrate.py`` builds."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import storage.rows  # noqa: F401  (registers the tables)
from storage.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"), pool_size=1)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
