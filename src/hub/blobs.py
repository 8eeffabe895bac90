"""The hub's content-addressed blob stores: bytes named by sha256, verified before they land,
namespaced per organisation, streamed in and out.

`BlobStore` is the one interface the services use; two implementations keep it: the folder
(`FolderBlobStore`, the default, a local or shared directory) and any S3-compatible object store
(`hub.s3blobs.S3BlobStore`). What they share lives here: names are checked before any path or
key is built, an upload is hashed and counted while it streams into a local spool file and lands
under its name only when the digest matches, and reads come back as bounded chunks of a byte
range, so neither a 100 MB upload nor a download is ever whole in memory.

Every call takes the organisation whose blob it is: the same bytes uploaded by two organisations
are two blobs (`<org id>/…/<sha256>`), so a hash learnt elsewhere is no way to ask whether
another organisation holds a file, to refer to it, or to keep it alive after that organisation
deleted it.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from contract.wire import is_sha256

#: What one read hands on: small enough that concurrent downloads keep the hub's memory flat.
CHUNK_BYTES = 64 * 1024


class BlobError(ValueError):
    """The upload was refused; the message says why."""


class BlobNameError(BlobError):
    pass


class BlobMismatchError(BlobError):
    pass


class BlobTooLargeError(BlobError):
    pass


class BlobMissingError(LookupError):
    """No such blob in this organisation's store (never stored, deleted, or another's)."""


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool  # False when the same bytes were already there


def namespace(org_id: str) -> str:
    """An organisation's folder or key prefix: its uuid exactly, so no id reaches outside it."""
    try:
        canonical = str(uuid.UUID(org_id))
    except ValueError:
        canonical = None
    if canonical is None or canonical != org_id:
        raise BlobNameError("blobs are kept per organisation, named by its uuid")
    return canonical


def checked_name(sha256: str) -> str:
    """`sha256` when it is a blob's name; any other (`../x`, upper case) is refused, never used."""
    if not is_sha256(sha256):
        raise BlobNameError("a blob is named by the lower-case hex sha256 of its bytes")
    return sha256


class BlobStore(ABC):
    """Where blobs live. Subclasses say how to look one up, read a range, land a verified spool
    file and delete; receiving and verifying an upload is the same for all."""

    def __init__(self, spool_dir: Path) -> None:
        self._spool = spool_dir

    @abstractmethod
    def size(self, org_id: str, sha256: str) -> int | None:
        """The blob's size in bytes, None when `org_id` holds no such blob."""

    @abstractmethod
    def chunks(self, org_id: str, sha256: str, start: int, stop: int) -> Iterator[bytes]:
        """Bytes `start` up to (not including) `stop`, in chunks of at most CHUNK_BYTES;
        `BlobMissingError` at once (not on iteration) when there is no such blob."""

    @abstractmethod
    def delete(self, org_id: str, sha256: str) -> None:
        """Remove the blob; removing one that is not there is no error."""

    @abstractmethod
    def older_than(self, org_id: str, seconds: float) -> Iterator[str]:
        """The hashes of `org_id`'s blobs last written more than `seconds` ago."""

    @abstractmethod
    def _land(self, org_id: str, sha256: str, verified: Path) -> bool:
        """Move the verified spool file into the store (the caller removes what is left of it);
        False when the blob was already there."""

    def exists(self, org_id: str, sha256: str) -> bool:
        return self.size(org_id, sha256) is not None

    def head(self, org_id: str, sha256: str, count: int) -> bytes:
        """The first `count` bytes (fewer when the blob is shorter): enough to tell its type."""
        size = self.size(org_id, sha256)
        if size is None:
            raise BlobMissingError(sha256)
        return b"".join(self.chunks(org_id, sha256, 0, min(count, size)))

    def read(self, org_id: str, sha256: str) -> bytes:
        """The whole blob in memory: for small blobs and tests only; serve with `chunks`."""
        size = self.size(org_id, sha256)
        if size is None:
            raise BlobMissingError(sha256)
        return b"".join(self.chunks(org_id, sha256, 0, size))

    def put(self, org_id: str, data: bytes) -> StoredBlob:
        """Store bytes the hub made itself for `org_id` (a report it rendered), named by their
        sha256: spooled, then landed as a verified upload is, in whichever store this is."""
        namespace(org_id)
        sha256 = hashlib.sha256(data).hexdigest()
        self._spool.mkdir(parents=True, exist_ok=True)
        partial = self._spool / f"{uuid.uuid4().hex}.part"
        try:
            with partial.open("wb") as handle:
                handle.write(data)
            created = self._land(org_id, sha256, partial)
        finally:
            with suppress(FileNotFoundError):
                partial.unlink()
        return StoredBlob(sha256=sha256, size=len(data), created=created)

    async def put_stream(
        self, org_id: str, sha256: str, chunks: AsyncIterator[bytes], max_bytes: int
    ) -> StoredBlob:
        """Store the streamed bytes under `sha256` of `org_id` if, and only if, they hash to it."""
        namespace(org_id)
        checked_name(sha256)
        self._spool.mkdir(parents=True, exist_ok=True)
        partial = self._spool / f"{uuid.uuid4().hex}.part"
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
            if hasher.hexdigest() != sha256:
                raise BlobMismatchError(
                    f"the uploaded bytes hash to {hasher.hexdigest()}, not to {sha256}: "
                    f"the upload was damaged or named wrongly"
                )
            created = await asyncio.to_thread(self._land, org_id, sha256, partial)
            return StoredBlob(sha256=sha256, size=size, created=created)
        finally:
            with suppress(FileNotFoundError):
                partial.unlink()


class FolderBlobStore(BlobStore):
    """Blobs as files `<root>/<org id>/ab/cd/<sha256>`. Several hub processes can share the
    directory: uploads spool into `<root>/.incoming/` (the same file system) and are renamed
    into place, and a rename is atomic; two uploads of the same bytes produce the same file."""

    def __init__(self, root: Path) -> None:
        super().__init__(root / ".incoming")
        self.root = root

    def path_of(self, org_id: str, sha256: str) -> Path:
        """The file for `sha256` of `org_id`; a bad name is refused, never joined."""
        name = checked_name(sha256)
        return self.root / namespace(org_id) / name[:2] / name[2:4] / name

    def size(self, org_id: str, sha256: str) -> int | None:
        try:
            return self.path_of(org_id, sha256).stat().st_size
        except FileNotFoundError:
            return None

    def chunks(self, org_id: str, sha256: str, start: int, stop: int) -> Iterator[bytes]:
        try:
            handle = self.path_of(org_id, sha256).open("rb")
        except FileNotFoundError as error:
            raise BlobMissingError(sha256) from error
        return _file_chunks(handle, start, stop)

    def delete(self, org_id: str, sha256: str) -> None:
        with suppress(FileNotFoundError):
            self.path_of(org_id, sha256).unlink()

    def older_than(self, org_id: str, seconds: float) -> Iterator[str]:
        folder = self.root / namespace(org_id)
        cutoff = time.time() - seconds
        for path in folder.glob("??/??/*"):
            with suppress(FileNotFoundError):
                if is_sha256(path.name) and path.stat().st_mtime < cutoff:
                    yield path.name

    def _land(self, org_id: str, sha256: str, verified: Path) -> bool:
        target = self.path_of(org_id, sha256)
        created = not target.is_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        with verified.open("rb") as handle:
            os.fsync(handle.fileno())  # on disk before its name says it is there
        os.replace(verified, target)
        return created


def _file_chunks(handle: BinaryIO, start: int, stop: int) -> Iterator[bytes]:
    """Read `start`..`stop` of an open file in CHUNK_BYTES pieces, closing it however the
    reader stops (a browser that seeks away closes the response early)."""
    with handle:
        handle.seek(start)
        left = stop - start
        while left > 0:
            chunk = handle.read(min(CHUNK_BYTES, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
