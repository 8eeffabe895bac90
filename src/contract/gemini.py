"""What kiosk and hub both need to know of Gemini's transport: which failures are worth a retry.

google-genai sends through `httpx2` (3.x) or `httpx` (older releases); whichever is installed,
its timeouts and transport errors are the failures a retry may cure, as are these HTTP statuses.
The modules are looked up, not imported, so `contract` depends on neither.
"""

from __future__ import annotations

import importlib
from typing import Final

RETRYABLE_STATUS: Final = frozenset({408, 429, 500, 502, 503, 504})
KEY_REFUSED_STATUS: Final = frozenset({401, 403})


def transport_errors() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """(timeouts, other transport errors) of the HTTP stacks google-genai may send through."""
    timeouts: list[type[BaseException]] = []
    transport: list[type[BaseException]] = []
    for name in ("httpx2", "httpx"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        timeouts.append(module.TimeoutException)
        transport.append(module.TransportError)
    return tuple(timeouts), tuple(transport)


__all__ = ["KEY_REFUSED_STATUS", "RETRYABLE_STATUS", "transport_errors"]
