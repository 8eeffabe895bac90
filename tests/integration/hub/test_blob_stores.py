"""The two blob stores keep one contract: the folder (default) and an S3-compatible bucket.

The S3 store runs against a real S3 server speaking HTTP on loopback (moto), through boto3 as in
production. Both stores are asked the same questions: bytes in streamed and verified, bytes out
streamed by range, one organisation never reaching another's copy, sweeping by age.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from tests.integration.hub.s3 import S3Server
from tests.integration.hub.support import hub_settings

from hub.blobs import (
    BlobMismatchError,
    BlobMissingError,
    BlobNameError,
    BlobStore,
    BlobTooLargeError,
    FolderBlobStore,
)
from hub.container import build_blob_store
from hub.s3blobs import S3BlobStore


@pytest.fixture(params=["folder", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    if request.param == "folder":
        yield build_blob_store(hub_settings(tmp_path))
    else:
        server: S3Server = request.getfixturevalue("s3")
        yield build_blob_store(hub_settings(tmp_path, **server.settings()))


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def _put(store: BlobStore, org: str, data: bytes, *parts: bytes, limit: int = 2**20) -> bool:
    sha = hashlib.sha256(data).hexdigest()
    stored = asyncio.run(store.put_stream(org, sha, _chunks(*(parts or (data,))), limit))
    assert (stored.sha256, stored.size) == (sha, len(data))
    return stored.created


def test_settings_choose_the_store(tmp_path: Path, s3: S3Server) -> None:
    assert isinstance(build_blob_store(hub_settings(tmp_path)), FolderBlobStore)
    assert isinstance(build_blob_store(hub_settings(tmp_path, **s3.settings())), S3BlobStore)


def test_bytes_land_only_when_they_hash_to_their_name(store: BlobStore) -> None:
    org = str(uuid.uuid4())
    data = os.urandom(3000)
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(BlobMismatchError):
        asyncio.run(store.put_stream(org, sha, _chunks(b"other"), 100))
    with pytest.raises(BlobTooLargeError):
        asyncio.run(store.put_stream(org, sha, _chunks(data, data), 4000))
    assert not store.exists(org, sha) and store.size(org, sha) is None
    assert _put(store, org, data, data[:7], data[7:2000], data[2000:])
    assert not _put(store, org, data)
    assert store.size(org, sha) == len(data)
    assert list(store.older_than(org, 0)) in ([], [sha])  # the clock's resolution decides
    assert list(store.older_than(org, 3600)) == []


def test_ranges_stream_exactly_the_bytes_asked_for(store: BlobStore) -> None:
    org = str(uuid.uuid4())
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    _put(store, org, data)
    for start, stop in ((0, len(data)), (0, 1), (123, 4567), (len(data) - 5, len(data))):
        chunks = list(store.chunks(org, sha, start, stop))
        assert b"".join(chunks) == data[start:stop]
        assert all(len(c) <= 256 * 1024 for c in chunks)  # streamed, never one whole read
    assert store.head(org, sha, 16) == data[:16]
    with pytest.raises(BlobMissingError):
        store.chunks(org, "b" * 64, 0, 10)


def test_each_organisation_has_its_own_copy(store: BlobStore) -> None:
    one, two = str(uuid.uuid4()), str(uuid.uuid4())
    data = b"the same bytes in two organisations"
    sha = hashlib.sha256(data).hexdigest()
    _put(store, one, data)
    assert not store.exists(two, sha)
    with pytest.raises(BlobMissingError):
        store.chunks(two, sha, 0, 1)
    assert _put(store, two, data)  # created: not the other's copy
    store.delete(one, sha)
    store.delete(one, sha)  # deleting what is gone is no error
    assert not store.exists(one, sha) and store.read(two, sha) == data
    for name in ("../../etc/passwd", "A" * 64, "a" * 63):
        with pytest.raises(BlobNameError):
            store.size(one, name)
    for namespace in ("..", "", "../" + one, one.upper(), one + "/x"):
        with pytest.raises(BlobNameError):
            store.size(namespace, sha)


def test_old_unreferenced_blobs_are_found_by_age(tmp_path: Path, s3: S3Server) -> None:
    """S3 keeps no writable modification time, so age is the object's LastModified: a blob
    written now is not a day old, and one older than 0 s shows up once a second has passed."""
    store = build_blob_store(hub_settings(tmp_path, **s3.settings()))
    org = str(uuid.uuid4())
    _put(store, org, b"young")
    assert list(store.older_than(org, 86400)) == []
    time.sleep(1.1)
    assert list(store.older_than(org, 0)) == [hashlib.sha256(b"young").hexdigest()]


def test_a_refused_upload_leaves_nothing_in_the_bucket(tmp_path: Path, s3: S3Server) -> None:
    import boto3

    settings = hub_settings(tmp_path, **s3.settings())
    store = build_blob_store(settings)
    org = str(uuid.uuid4())
    with pytest.raises(BlobMismatchError):
        asyncio.run(store.put_stream(org, "c" * 64, _chunks(b"not those bytes"), 100))
    client = boto3.client("s3", endpoint_url=s3.endpoint_url, region_name="us-east-1")
    assert client.list_objects_v2(Bucket=settings.s3_bucket).get("KeyCount") == 0
    assert not any((tmp_path / "incoming").glob("*"))
