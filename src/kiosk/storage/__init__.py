"""Crash-safe storage: SQLite in WAL mode, Alembic migrations, content-addressed media, outbox."""
