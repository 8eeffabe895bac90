"""Tell a refusal of the entries themselves from a failure that waiting can cure.

Waiting cures the network, a hub that is down, overloaded or asks to slow down, a blob the hub
still needs, and a token problem a person fixes by enrolling again: those leave the queue as it
is and the syncer retries. A refusal of what was sent (another organisation's session, 403; an
entry the hub cannot validate, 422; a conflict other than missing blobs, 409; a body too large,
413) is given again to the same bytes, so retrying it forever would stall every row behind it:
the pusher finds the refused entry and quarantines it. A blob this kiosk can no longer read
(missing or altered on disk) is the same: sending the entry again cannot help.
"""

from __future__ import annotations

import re

from kiosk.storage.media import MediaError
from kiosk.sync.errors import HubRejectedError, MissingBlobsError

#: 4xx answers that hold nothing against the entries: a wrong address or an older hub (404,
#: 405), a proxy that wants credentials (407), a timeout (408), "too early" or "slow down" (425,
#: 429). 401 is `HubAuthError`, never a refusal of entries.
_NOT_ABOUT_THE_ENTRIES = frozenset({404, 405, 407, 408, 425, 429})

#: Where FastAPI locates a request-validation failure in a batch: `body.entries.<index>...`.
_ENTRY_INDEX = re.compile(r"\bentries\.(\d+)\b")


def is_permanent(error: BaseException) -> bool:
    """True when pushing the same entries again would fail the same way."""
    if isinstance(error, MediaError):
        return True
    if not isinstance(error, HubRejectedError) or isinstance(error, MissingBlobsError):
        return False
    return error.status not in _NOT_ABOUT_THE_ENTRIES


def entry_hint(error: BaseException, size: int) -> int | None:
    """The index of the refused entry in a batch of `size` when the hub's reason names one.

    Only a hint, never trusted: the pusher confirms it by pushing that entry alone.
    """
    found = _ENTRY_INDEX.search(str(error))
    if found is None:
        return None
    index = int(found.group(1))
    return index if index < size else None
