"""A throw-away S3-compatible server for the hub's tests: moto's server mode, on loopback.

moto (PyPI `moto[server]`) answers the S3 REST API over real HTTP, so the hub's boto3 client is
exercised exactly as against AWS S3, Ceph RGW or MinIO: signing, ranged GETs, multipart
uploads, listings. Nothing of boto3 is mocked; only the server is a small one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

#: moto accepts any credentials; boto3 needs some to sign with.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "hub-test", "AWS_SECRET_ACCESS_KEY": "hub-test-secret"}


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str

    def create_bucket(self) -> str:
        import boto3

        name = f"hub-{uuid.uuid4().hex[:12]}"
        client = boto3.client("s3", endpoint_url=self.endpoint_url, region_name="us-east-1")
        client.create_bucket(Bucket=name)
        return name

    def settings(self) -> dict[str, object]:
        """The hub settings that put its blobs into a fresh bucket of this server."""
        return {
            "blob_store": "s3",
            "s3_endpoint_url": self.endpoint_url,
            "s3_bucket": self.create_bucket(),
            "s3_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
            "s3_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        }


@contextmanager
def s3_server() -> Iterator[S3Server]:
    from moto.server import ThreadedMotoServer

    saved = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Server(f"http://{host}:{port}")
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
