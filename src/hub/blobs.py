"""The hub's content-addressed blob store: files named by sha256, verified before they land,
namespaced per organisation.

Every call takes the organisation whose blob it is: the same bytes uploaded by two organisations
are two files (`<root>/<org id>/ab/cd/<sha256>`), so a hash learnt elsewhere is no way to ask
whether another organisation holds a file, to refer to it, or to keep it alive after that
organisation deleted it. An S3-compatible store would use the organisation id as a key prefix.

An upload streams into `.incoming/` while it is hashed and counted, and is renamed into place only
when its digest matches the name it was sent under; several hub processes can share the directory
because a rename is atomic and two uploads of the same bytes produce the same file.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from contract.wire import is_sha256


class BlobError(ValueError):
    """The upload was refused; the message says why."""


class BlobNameError(BlobError):
    pass


class BlobMismatchError(BlobError):
    pass


class BlobTooLargeError(BlobError):
    pass


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool  # False when the same bytes were already there


def _namespace(org_id: str) -> str:
    """An organisation's folder: its uuid exactly, so no id can reach outside the store."""
    try:
        canonical = str(uuid.UUID(org_id))
    except ValueError:
        canonical = None
    if canonical is None or canonical != org_id:
        raise BlobNameError("blobs are kept per organisation, named by its uuid")
    return canonical


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._incoming = root / ".incoming"

    def path_of(self, org_id: str, sha256: str) -> Path:
        """The file for `sha256` of `org_id`; any other name (`../x`, upper case) is refused,
        never joined."""
        if not is_sha256(sha256):
            raise BlobNameError("a blob is named by the lower-case hex sha256 of its bytes")
        return self.root / _namespace(org_id) / sha256[:2] / sha256[2:4] / sha256

    def exists(self, org_id: str, sha256: str) -> bool:
        return self.path_of(org_id, sha256).is_file()

    def size(self, org_id: str, sha256: str) -> int | None:
        try:
            return self.path_of(org_id, sha256).stat().st_size
        except FileNotFoundError:
            return None

    def read(self, org_id: str, sha256: str) -> bytes:
        return self.path_of(org_id, sha256).read_bytes()

    def delete(self, org_id: str, sha256: str) -> None:
        with suppress(FileNotFoundError):
            self.path_of(org_id, sha256).unlink()

    def older_than(self, org_id: str, seconds: float) -> Iterator[str]:
        """The hashes of `org_id`'s blobs last written more than `seconds` ago."""
        folder = self.root / _namespace(org_id)
        cutoff = time.time() - seconds
        for path in folder.glob("??/??/*"):
            with suppress(FileNotFoundError):
                if is_sha256(path.name) and path.stat().st_mtime < cutoff:
                    yield path.name

    def put(self, org_id: str, data: bytes) -> StoredBlob:
        """Store bytes the hub made itself for `org_id` (a report it rendered), named by their
        sha256."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_of(org_id, sha256)
        if target.is_file():
            return StoredBlob(sha256=sha256, size=len(data), created=False)
        self._incoming.mkdir(parents=True, exist_ok=True)
        partial = self._incoming / f"{uuid.uuid4().hex}.part"
        try:
            with partial.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, target)
        finally:
            with suppress(FileNotFoundError):
                partial.unlink()
        return StoredBlob(sha256=sha256, size=len(data), created=True)

    async def put_stream(
        self, org_id: str, sha256: str, chunks: AsyncIterator[bytes], max_bytes: int
    ) -> StoredBlob:
        """Store the streamed bytes under `sha256` of `org_id` if, and only if, they hash to it."""
        target = self.path_of(org_id, sha256)
        self._incoming.mkdir(parents=True, exist_ok=True)
        partial = self._incoming / f"{uuid.uuid4().hex}.part"
        hasher = hashlib.sha256()
        size = 0
        try:
            with partial.open("wb") as handle:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise BlobTooLargeError(f"a blob may have at most {max_bytes} bytes")
                    hasher.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            if hasher.hexdigest() != sha256:
                raise BlobMismatchError(
                    f"the uploaded bytes hash to {hasher.hexdigest()}, not to {sha256}: "
                    f"the upload was damaged or named wrongly"
                )
            created = not target.is_file()
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, target)
            return StoredBlob(sha256=sha256, size=size, created=created)
        finally:
            with suppress(FileNotFoundError):
                partial.unlink()
