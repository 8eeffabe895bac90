"""The hub's storage: SQLAlchemy tables, the database opener (Alembic only), repositories."""
