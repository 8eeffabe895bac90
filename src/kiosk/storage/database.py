"""Open the kiosk database safely: refuse a damaged file, migrate a healthy one, never overwrite.

SQLite runs in WAL mode with `synchronous=FULL`: a committed transaction survives a power cut,
not only a process crash. Every connection enables foreign keys and waits on a busy database
instead of failing at once.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

_SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(RuntimeError):
    """The database cannot be used; the message says what to do."""


class DatabaseDamagedError(DatabaseError):
    pass


def _damaged(path: Path, why: str) -> DatabaseDamagedError:
    return DatabaseDamagedError(
        f"the kiosk database {path} is damaged ({why}). It has NOT been modified. "
        f"Results not yet synced may still be inside it: move it aside "
        f"(mv '{path}' '{path}.damaged'), keep that copy for recovery, then start the kiosk "
        f"again to create a fresh database and pull today's session packs from the hub."
    )


def check_integrity(path: Path) -> None:
    """Raise `DatabaseDamagedError` unless `path` is a healthy SQLite file (or absent)."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_MAGIC))
    if path.stat().st_size and header != _SQLITE_MAGIC:
        raise _damaged(path, "it is not an SQLite database file")
    try:
        # read-only: checking must never write to (or 'repair') the file
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        raise _damaged(path, str(error)) from error
    if rows != [("ok",)]:
        raise _damaged(path, "; ".join(str(r[0]) for r in rows[:3]))


def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class Database:
    """An open, migrated kiosk database."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path) -> Database:
    """Check, open and migrate the database at `path`, creating it when absent."""
    path = path.expanduser().resolve()
    check_integrity(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _configure)
    found = current_revision(engine)
    known = {rev.revision for rev in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
    if found is not None and found not in known:
        engine.dispose()
        raise DatabaseError(
            f"the kiosk database {path} has schema revision {found}, which this version of the "
            f"kiosk does not know (a newer kiosk wrote it); upgrade the kiosk software"
        )
    if found != head_revision():
        command.upgrade(_alembic_config(engine), "head")
    return Database(path=path, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
