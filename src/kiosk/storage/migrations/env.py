"""Alembic environment: migrations run on the engine the kiosk opened, never from an ini file."""

from alembic import context

from kiosk.storage.schema import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
