"""Read a document in a child process with limits, from a worker thread, a few at a time.

The HR portal's upload handler is async: parsing a resume there would stop every other request
of the process (kiosk syncs included) until it finished. Here the parsing runs in a child
(`hub.documents.worker`) that caps its own memory and CPU, under a wall-clock timeout that kills
it, awaited from a worker thread; at most `READERS` documents are read at once per hub process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict

import anyio

from hub.documents.limits import DocumentLimits, DocumentRefusedError
from hub.documents.worker import REFUSED

READERS = anyio.CapacityLimiter(2)


def read_in_child(kind: str, data: bytes, limits: DocumentLimits) -> str:
    """The document's text, or `DocumentRefusedError` saying why it could not be had."""
    command = [sys.executable, "-I", "-m", "hub.documents.worker", kind, json.dumps(asdict(limits))]
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=limits.seconds, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise DocumentRefusedError(
            f"reading the document took longer than {limits.seconds:g} s, the most the hub "
            "allows; save it again as a simpler file, or paste the text instead"
        ) from error
    if done.returncode == REFUSED:
        raise DocumentRefusedError(done.stderr.decode("utf-8", errors="replace").strip())
    if done.returncode != 0:
        raise DocumentRefusedError(
            "the document could not be read within the hub's limits of memory and time; save "
            "it again as a simpler file, or paste the text instead"
        )
    return done.stdout.decode("utf-8", errors="replace")


async def read_document(kind: str, data: bytes, limits: DocumentLimits) -> str:
    """`read_in_child` off the event loop, at most `READERS` at once."""
    return await anyio.to_thread.run_sync(read_in_child, kind, data, limits, limiter=READERS)
