"""A real hub on loopback for UI tests (the `loopback_hub` fixture in conftest.py serves one)."""

from __future__ import annotations

from dataclasses import dataclass

from hub.container import Hub


@dataclass
class LoopbackHub:
    """A real hub served on loopback in this process, with one organisation, Acme."""

    hub: Hub
    url: str
    org_id: str

    def code(self) -> str:
        """A one-time enrolment code for Acme."""
        return self.hub.enrolment.issue_code(self.org_id, "test-admin").code
