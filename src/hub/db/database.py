"""Open the hub database (SQLite by default, PostgreSQL in production) and migrate it.

On SQLite every transaction starts with BEGIN IMMEDIATE: a transaction that read and then
writes would otherwise fail with "database is locked" instead of waiting, when several request
threads (or hub processes) write at once. WAL lets readers go on while one writes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class HubDatabaseError(RuntimeError):
    """The database cannot be used; the message says what to do."""


def normalise_url(url: str) -> str:
    """`postgresql://...` means psycopg 3 here (SQLAlchemy would otherwise pick psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" hook below issues BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_hub_engine(url: str) -> Engine:
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def alembic_config(engine: Engine, blob_dir: Path | None = None) -> Config:
    """Migrations run on `engine`; those that move blob files (0004) find them in `blob_dir`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    config.attributes["blob_dir"] = blob_dir
    return config


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None, "the hub migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class HubDatabase:
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True, blob_dir: Path | None = None) -> HubDatabase:
    """Open the database at `url` and bring its schema to the newest revision (moving the
    files of `blob_dir` where a migration changes their layout)."""
    engine = create_hub_engine(url)
    found = current_revision(engine)
    known = {rev.revision for rev in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
    if found is not None and found not in known:
        engine.dispose()
        raise HubDatabaseError(
            f"the hub database has schema revision {found}, which this hub does not know "
            f"(a newer hub wrote it); upgrade the hub software"
        )
    if found != head_revision():
        if not migrate:
            engine.dispose()
            raise HubDatabaseError("the hub database is not migrated; run `kiosk-hub migrate`")
        command.upgrade(alembic_config(engine, blob_dir), "head")
    return HubDatabase(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
