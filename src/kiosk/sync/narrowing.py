"""Find the refused entry of a refused batch by pushing shorter and shorter prefixes.

The hub applies a batch all or none, so a batch of n entries refused for good says only that one
of them is at fault. Pushing a prefix is always legal (the outbox goes out in order): if the
first half is accepted the culprit is in the rest, otherwise in that half, so about log2(n)
pushes isolate it, and every accepted half is progress. An index named by the hub's reason is
tried first; a wrong one costs a push, never a wrong quarantine: only an entry refused on its own
is quarantined.
"""

from __future__ import annotations


class RefusalSearch:
    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size
        self._suspects = 0  # the culprit is among this many entries at the queue's head; 0: none
        self._guess: int | None = None  # its index among them, when the hub named one

    def next_size(self) -> int:
        """How many entries the next batch should hold."""
        if not self._suspects:
            return self.batch_size
        if self._guess is not None:
            return self._guess or 1  # the entries before the suspect, or the suspect alone
        return max(1, self._suspects // 2)

    def accepted(self, count: int) -> None:
        """`count` entries at the head were acknowledged: the culprit is further on."""
        if not self._suspects:
            return
        self._suspects -= count
        if self._guess is not None:
            self._guess = self._guess - count if self._guess >= count else None
        if self._suspects <= 0:  # nothing was refused this time: the search is over
            self.reset()

    def refused(self, size: int, hint: int | None = None) -> bool:
        """A batch of `size` was refused for good; True when that batch was the culprit alone."""
        if size <= 1:
            self.reset()
            return True
        self._suspects = size
        self._guess = hint if hint is not None and 0 <= hint < size else None
        return False

    def reset(self) -> None:
        self._suspects, self._guess = 0, None
