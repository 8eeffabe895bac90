"""Content-addressed blobs (snapshots, audio, reports) under the data dir, named by sha256.

A blob is written to a temporary file, fsynced, and renamed into place before any row refers to
it, so a crash leaves either no file or a whole one; the same bytes are stored once. Rows refer
to blobs by hash (`MediaRef`), which is also how the hub verifies uploads.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from kiosk.domain.model import MediaRef


class MediaError(RuntimeError):
    pass


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class MediaStore:
    """Blobs at `root/ab/cd/abcd...` (two fan-out levels keep folders small)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes, kind: str, content_type: str) -> MediaRef:
        """Store `data` durably and return its reference; storing it again is a no-op."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path_of(digest)
        if not (target.exists() and target.stat().st_size == len(data)):
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as partial:
                partial.write(data)
                partial.flush()
                os.fsync(partial.fileno())
            os.replace(partial.name, target)
            _fsync_dir(target.parent)
        return MediaRef(sha256=digest, kind=kind, content_type=content_type, size=len(data))

    def remove(self, sha256: str) -> int:
        """Delete a blob's file for good (its rows are gone); returns 1 if a file went, else 0.
        The removal is fsynced with its folder, so an erased file does not come back."""
        path = self.path_of(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return 0
        _fsync_dir(path.parent)
        return 1

    def read(self, ref: MediaRef | str) -> bytes:
        """The blob's bytes, verified against its hash."""
        sha256 = ref if isinstance(ref, str) else ref.sha256
        path = self.path_of(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as error:
            raise MediaError(f"media {sha256[:12]}... is missing from {self.root}") from error
        if hashlib.sha256(data).hexdigest() != sha256:
            raise MediaError(f"media file {path} does not match its hash: it was altered")
        return data
