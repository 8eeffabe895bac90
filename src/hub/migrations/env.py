"""Alembic environment: migrations run on the engine the hub opened, never from an ini file.

Several hub processes may start at once on one database, and each migrates it. On PostgreSQL a
transaction-scoped advisory lock lets one migrate while the others wait and then find the schema
current (they read the version table only after the lock); on SQLite the hub's BEGIN IMMEDIATE
already makes the whole migration one write transaction at a time.

SQLite alters a table by copying it ("batch" mode) and dropping the original, which foreign keys
from other tables would refuse; they are off during the migration (the PRAGMA is ignored inside a
transaction, so it goes to the driver before BEGIN) and checked before the commit.
"""

from alembic import context
from sqlalchemy import text

from hub.db.models import Base

MIGRATION_LOCK = 0x6B696F736B  # a constant the hub locks on for nothing else ("kiosk")

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    driver = connection.connection.dbapi_connection
    assert driver is not None
    if sqlite:
        driver.execute("PRAGMA foreign_keys=OFF")
    try:
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": MIGRATION_LOCK}
                )
            context.configure(
                connection=connection, target_metadata=Base.metadata, render_as_batch=sqlite
            )
            with context.begin_transaction():
                context.run_migrations()
            if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()):
                raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
    finally:
        if sqlite:
            driver.execute("PRAGMA foreign_keys=ON")
