"""The child process that reads one uploaded document: `python -m hub.documents.worker KIND
LIMITS_JSON`, the document's bytes on stdin, its text on stdout.

It caps its own address space and CPU time before reading a byte, so a document that inflates
or loops ends this process (the hub answers "could not be read") and never the hub. A refusal
within the limits exits with REFUSED and the person-readable reason on stderr.
"""

from __future__ import annotations

import json
import resource
import sys

from hub.documents.limits import DocumentLimits, DocumentRefusedError
from hub.documents.text import document_text

REFUSED = 3


def _confine(limits: DocumentLimits) -> None:
    memory = limits.max_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, int(limits.seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def main(argv: list[str]) -> int:
    kind, settings = argv
    limits = DocumentLimits(**json.loads(settings))
    _confine(limits)
    data = sys.stdin.buffer.read()
    try:
        text = document_text(kind, data, limits)
    except DocumentRefusedError as error:
        sys.stderr.write(str(error))
        return REFUSED
    except MemoryError:
        sys.stderr.write("the document needs more memory to read than the hub allows")
        return REFUSED
    sys.stdout.buffer.write(text.encode("utf-8", errors="replace"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
