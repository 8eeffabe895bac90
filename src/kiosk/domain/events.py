"""What the core announces after a change is committed: views, the syncer and logs subscribe.

A unit of work collects these while it stages a change and publishes them only after the commit
(cosmicpython's `collect_new_events`), so no subscriber ever acts on a change that rolled back,
and every change announces itself whoever made it: a screen, the conductor or a CLI.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.lifecycle import SessionState


@dataclass(frozen=True)
class StateChanged:
    session_id: str
    state: SessionState
    reason: str = ""


@dataclass(frozen=True)
class ReportRevised:
    """A reported session got a new evaluation and a new version of its report (its scores
    became final after the report was first written): the syncer pushes both."""

    session_id: str
    pdf_sha256: str


__all__ = ["ReportRevised", "StateChanged"]
