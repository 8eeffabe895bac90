"""Blobs are kept per organisation.

* `blobs` is keyed by (organisation, sha256): the same bytes uploaded by two organisations are
  two blobs, and a hash one organisation knows says nothing about the other's.
* Files move from `<blob dir>/ab/cd/<sha256>` to `<blob dir>/<org id>/ab/cd/<sha256>`, one copy
  (a hard link where possible) for every organisation whose sessions refer to the blob. A file no
  session refers to is removed: its kiosk uploads it again if it still needs it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import os
import shutil
from contextlib import suppress
from pathlib import Path

import sqlalchemy as sa
from alembic import context, op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_REFERENCED = sa.text(
    "SELECT DISTINCT s.org_id, sb.sha256 FROM session_blobs sb "
    "JOIN interview_sessions s ON s.id = sb.session_id"
)


def _legacy(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256[2:4] / sha256


def _move_files(root: Path, referenced: list[tuple[str, str]]) -> None:
    for org_id, sha256 in referenced:
        source = _legacy(root, sha256)
        target = root / org_id / sha256[:2] / sha256[2:4] / sha256
        if not source.is_file() or target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
    for old in root.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*"):
        with suppress(FileNotFoundError):
            old.unlink()


def upgrade() -> None:
    referenced = [(str(o), str(s)) for o, s in op.get_bind().execute(_REFERENCED)]
    op.create_table(
        "blobs_by_org",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("org_id", "sha256"),
    )
    op.execute(
        "INSERT INTO blobs_by_org (org_id, sha256, kind, content_type, size, created_at) "
        "SELECT DISTINCT s.org_id, b.sha256, b.kind, b.content_type, b.size, b.created_at "
        "FROM blobs b JOIN session_blobs sb ON sb.sha256 = b.sha256 "
        "JOIN interview_sessions s ON s.id = sb.session_id"
    )
    op.drop_table("blobs")
    op.rename_table("blobs_by_org", "blobs")
    blob_dir = context.config.attributes.get("blob_dir")
    if blob_dir is not None and Path(blob_dir).is_dir():
        _move_files(Path(blob_dir), referenced)


def downgrade() -> None:
    """One blob per hash again (the organisations' copies of the same bytes are the same file)."""
    op.create_table(
        "blobs_by_hash",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.execute(
        "INSERT INTO blobs_by_hash (sha256, kind, content_type, size, created_at) "
        "SELECT sha256, MIN(kind), MIN(content_type), MIN(size), MIN(created_at) "
        "FROM blobs GROUP BY sha256"
    )
    op.drop_table("blobs")
    op.rename_table("blobs_by_hash", "blobs")
    blob_dir = context.config.attributes.get("blob_dir")
    if blob_dir is not None and Path(blob_dir).is_dir():
        root = Path(blob_dir)
        for copy in root.glob("*-*-*-*-*/??/??/*"):
            legacy = _legacy(root, copy.name)
            if not legacy.exists():
                legacy.parent.mkdir(parents=True, exist_ok=True)
                os.replace(copy, legacy)
