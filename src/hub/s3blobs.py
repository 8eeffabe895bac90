"""Blobs in any S3-compatible object store (AWS S3, Ceph RGW, MinIO, Garage…) through boto3.

Keys are `<prefix><org uuid>/<sha256>`: the organisation is the key prefix, as the folder store
uses a directory. An upload is verified in the local spool first (see `hub.blobs.BlobStore`), so
nothing reaches the bucket under a name its bytes do not hash to, and no half-written object is
ever visible; boto3 then sends the file in one PUT, or in multipart parts of 8 MiB when it is
larger than that. Reads are ranged GETs handed on in chunks, so a download is streamed from the
bucket to the browser. Age, for the retention sweep, is the object's LastModified (S3 has no
writable modification time).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from contract.wire import is_sha256
from hub.blobs import CHUNK_BYTES, BlobMissingError, BlobStore, checked_name, namespace

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
#: at most this many parts of one upload in flight: the store's memory stays bounded per upload
_TRANSFER = TransferConfig(multipart_chunksize=8 * 2**20, max_concurrency=2)


class S3BlobStore(BlobStore):
    def __init__(
        self,
        bucket: str,
        spool_dir: Path,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        max_connections: int = 20,
    ) -> None:
        """Credentials left None come from boto3's own chain (AWS_* variables, ~/.aws, an
        instance role), as every S3 tool reads them."""
        super().__init__(spool_dir)
        self.bucket = bucket
        self._prefix = prefix
        # one client per store: boto3 clients are thread-safe, and the pool is shared by the
        # request threads of this process
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            config=Config(
                max_pool_connections=max_connections,
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": "path"} if endpoint_url else None,
            ),
        )

    def key_of(self, org_id: str, sha256: str) -> str:
        return f"{self._prefix}{namespace(org_id)}/{checked_name(sha256)}"

    def size(self, org_id: str, sha256: str) -> int | None:
        try:
            head = self._client.head_object(Bucket=self.bucket, Key=self.key_of(org_id, sha256))
        except ClientError as error:
            if _missing(error):
                return None
            raise
        return int(head["ContentLength"])

    def chunks(self, org_id: str, sha256: str, start: int, stop: int) -> Iterator[bytes]:
        key = self.key_of(org_id, sha256)
        if stop <= start:
            if not self.exists(org_id, sha256):
                raise BlobMissingError(sha256)
            return iter(())
        try:
            got = self._client.get_object(
                Bucket=self.bucket, Key=key, Range=f"bytes={start}-{stop - 1}"
            )
        except ClientError as error:
            if _missing(error):
                raise BlobMissingError(sha256) from error
            raise
        return _body_chunks(got["Body"])

    def delete(self, org_id: str, sha256: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=self.key_of(org_id, sha256))

    def older_than(self, org_id: str, seconds: float) -> Iterator[str]:
        prefix = f"{self._prefix}{namespace(org_id)}/"
        cutoff = datetime.now(UTC) - timedelta(seconds=seconds)
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(prefix) :]
                if is_sha256(name) and item["LastModified"] < cutoff:
                    yield name

    def _land(self, org_id: str, sha256: str, verified: Path) -> bool:
        if self.exists(org_id, sha256):
            return False  # the same name is the same bytes: nothing to send
        key = self.key_of(org_id, sha256)
        if verified.stat().st_size < _TRANSFER.multipart_threshold:
            # one PUT from the open file: boto3's transfer manager would start and stop a
            # thread pool for every small blob (most of an upload's cost on the hub)
            with verified.open("rb") as handle:
                self._client.put_object(Bucket=self.bucket, Key=key, Body=handle)
        else:
            self._client.upload_file(str(verified), self.bucket, key, Config=_TRANSFER)
        return True


def _missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in _NOT_FOUND


def _body_chunks(body: Any) -> Iterator[bytes]:
    """The response body in CHUNK_BYTES pieces, closed however the reader stops."""
    try:
        yield from body.iter_chunks(CHUNK_BYTES)
    finally:
        body.close()
