"""A virtual machine, a remote session or a second display seen at start-up, before any session is
open, becomes part of the record of the session it precedes and of every session opened while it
lasts: stored with the time it was seen, queued for the hub, printed in the PDF's flag table.

The signs come from the real probe reading a machine's facts: DMI files in a folder and
environment variables, as on a VirtualBox guest reached over SSH from another host's display.
The last test carries them through a real hub to the page HR reads.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.integration.hub.portal_support import create_session, portal_hub
from tests.integration.hub.support import (
    SimulatedKiosk,
    memory_keyring,
    run_interview,
    serve_in_thread,
)
from tests.sample import candidate, integrity, job, settings, take_to

from contract.proctoring import EventKind
from contract.wire import EventWire
from hub.app import create_app
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import ProctoringEvent
from kiosk.environment import environment_signs
from kiosk.live.proctor_feed import RunningProctor
from kiosk.live.shell_events import ShellEvents
from kiosk.live.writer import SerialWriter
from kiosk.report.render import render_report
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from kiosk.sync import Pusher, enrol, hub_client, import_pack
from proctor import load_policy

SEEN = datetime(2026, 12, 4, 7, 58, 12, tzinfo=UTC)


class Clock:
    """The kiosk's wall clock, moved on by the test."""

    def __init__(self) -> None:
        self.now = SEEN

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[tuple[SessionService, SerialWriter]]:
    service = SessionService(open_database(tmp_path / "k.db"), MediaStore(tmp_path / "m"))
    writer = SerialWriter()
    yield service, writer
    writer.close()
    service.close()


def virtualbox_guest_over_ssh(root: Path) -> tuple[Path, dict[str, str]]:
    """The facts a VirtualBox guest shows, and the environment of a session reached over SSH
    with its display on another host."""
    dmi = root / "dmi"
    dmi.mkdir()
    (dmi / "product_name").write_text("VirtualBox\n")
    (dmi / "sys_vendor").write_text("innotek GmbH\n")
    (dmi / "board_vendor").write_text("Oracle Corporation\n")
    env = {"DISPLAY": "203.0.113.9:10.0", "SSH_CONNECTION": "203.0.113.9 51234 10.0.0.4 22"}
    return dmi, env


def _findings(service: SessionService, session_id: str) -> list[ProctoringEvent]:
    return [e for e in service.load(session_id).events if e.start == 0.0]


def test_start_up_findings_join_every_session_opened_while_they_last(
    kiosk: tuple[SessionService, SerialWriter], tmp_path: Path
) -> None:
    service, writer = kiosk
    clock = Clock()
    shell = ShellEvents(RunningProctor(), load_policy(), service, writer, clock=clock)
    dmi, env = virtualbox_guest_over_ssh(tmp_path)

    # start-up: the probe reads the machine, the window reports each sign; no session is open
    signs = environment_signs(dmi_dir=dmi, env=env, detect_virt=lambda: "")
    assert {s.kind for s in signs} == {EventKind.VIRTUAL_MACHINE, EventKind.REMOTE_DESKTOP}
    for sign in signs:
        shell.report(sign.kind, sign.detail, session_id=None, phase="start")
    shell.report(
        EventKind.SECOND_DISPLAY,
        "more than one display at start-up: eDP-1, HDMI-1",
        session_id=None,
        phase="start",
    )
    shell.report(EventKind.BLOCKED_SHORTCUT, "Alt+Tab was pressed", session_id=None, phase="start")

    clock.now = SEEN + timedelta(minutes=20)
    first = service.create(candidate(), job(), settings())
    service.open(first.session_key)
    shell.session_opened(first.session_id)
    shell.session_opened(first.session_id)  # the window shows it again: nothing is added twice

    shell.condition_ended(EventKind.SECOND_DISPLAY)  # the projector was unplugged
    clock.now = SEEN + timedelta(hours=2)
    second = service.create(candidate("Zoë Ağaoğlu"), job(), settings())
    service.open(second.session_key)
    shell.session_opened(second.session_id)
    writer.call(lambda: None)  # the writer runs in order: everything is stored by now

    stored = _findings(service, first.session_id)
    kinds = sorted(e.kind.value for e in stored)
    # a moment (the blocked shortcut) before any session is no one's; the conditions are its
    assert kinds == ["remote_desktop"] * 2 + ["second_display"] + ["virtual_machine"] * 2, kinds
    by_detail = {e.detail.split(" (seen at ")[0]: e for e in stored}
    assert set(by_detail) == {
        "DMI product_name: VirtualBox",
        "DMI sys_vendor: innotek GmbH",
        "SSH_CONNECTION is set (an SSH session)",
        "DISPLAY=203.0.113.9:10.0 is on another host",
        "more than one display at start-up: eDP-1, HDMI-1",
    }
    for event in stored:
        assert event.detail.endswith(
            "(seen at 2026-12-04 07:58:12 UTC, before this session opened, and still present "
            "when it opened at 2026-12-04 08:18:12 UTC)"
        ), event.detail
        assert event.severity.value == "high"  # the policy's severity for each of the three
    # the second session inherits what lasted, with the time it was first seen
    later = _findings(service, second.session_id)
    assert sorted(e.kind.value for e in later) == ["remote_desktop"] * 2 + ["virtual_machine"] * 2
    assert all("seen at 2026-12-04 07:58:12 UTC" in e.detail for e in later)
    assert all("opened at 2026-12-04 09:58:12 UTC" in e.detail for e in later)

    # queued for the hub on the existing topic, in the body the hub accepts
    with sqlite3.connect(tmp_path / "k.db") as connection:
        bodies = [
            EventWire.model_validate(json.loads(payload))
            for (payload,) in connection.execute(
                "SELECT payload FROM outbox WHERE topic = 'event' AND aggregate_id = ?",
                (first.session_id,),
            )
        ]
    assert sorted((b.event_id, b.detail) for b in bodies) == sorted(
        (e.event_id, e.detail) for e in stored
    )

    # and printed, in words, in the PDF's flag table
    take_to(service, first.session_id, SessionState.IN_PROGRESS)
    service.complete_interview(first.session_id, integrity(service.load(first.session_id).events))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(service.load(first.session_id), service.media))
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    assert "Signs of a virtual machine (high concern): DMI product_name: VirtualBox" in text
    assert "Signs of remote access (high concern): SSH_CONNECTION is set" in text
    assert "Second display connected (high concern): more than one display at start-up" in text
    assert "seen at 2026-12-04 07:58:12 UTC, before this session opened" in text
    assert "virtual_machine" not in text


def test_a_condition_seen_during_a_session_is_inherited_by_the_next_one(
    kiosk: tuple[SessionService, SerialWriter],
) -> None:
    service, writer = kiosk
    clock = Clock()
    shell = ShellEvents(RunningProctor(), load_policy(), service, writer, clock=clock)
    first = service.create(candidate(), job(), settings())
    service.open(first.session_key)
    shell.session_opened(first.session_id)
    shell.report(
        EventKind.SECOND_DISPLAY,
        "a display was connected: HDMI-1",
        session_id=first.session_id,
        phase="consent",
    )
    shell.session_opened(first.session_id)  # already in its record: not added again
    clock.now = SEEN + timedelta(minutes=30)
    second = service.create(candidate("Zoë Ağaoğlu"), job(), settings())
    service.open(second.session_key)
    shell.session_opened(second.session_id)
    writer.call(lambda: None)

    (during,) = _findings(service, first.session_id)
    assert during.detail.startswith("a display was connected: HDMI-1 (on the consent screen")
    (inherited,) = _findings(service, second.session_id)
    assert inherited.kind is EventKind.SECOND_DISPLAY
    assert inherited.detail.startswith(
        "a display was connected: HDMI-1 (seen at 2026-12-04 07:58:12 UTC, before this session"
    )


def test_start_up_findings_reach_the_hub_page_in_words(tmp_path: Path) -> None:
    """A kiosk on a VirtualBox guest over SSH pulls a pack, opens it, runs and pushes it: HR
    reads the findings in words, with their details and times."""
    with portal_hub(tmp_path / "hub", "") as portal:
        browser = portal.browser("hr@acme.test")
        session_id = create_session(browser)
        slip = browser.http.get(f"/sessions/{session_id}/slip").text
        key = re.search(r'id="session-key">([^<]+)<', slip)
        assert key is not None
        with serve_in_thread(create_app(hub=portal.hub)) as url, memory_keyring():
            enrol(url, portal.hub.enrolment.issue_code(portal.acme, "t").code, "desk")
            kiosk, writer = SimulatedKiosk.create(tmp_path / "kiosk"), SerialWriter()
            clock = Clock()
            shell = ShellEvents(RunningProctor(), load_policy(), kiosk.service, writer, clock=clock)
            dmi, env = virtualbox_guest_over_ssh(tmp_path)
            for sign in environment_signs(dmi_dir=dmi, env=env, detect_virt=lambda: ""):
                shell.report(sign.kind, sign.detail, session_id=None, phase="start")
            clock.now = SEEN + timedelta(minutes=5)
            settings = KioskSettings(data_dir=tmp_path / "kiosk", hub_url=url)
            with hub_client(settings) as client:
                pack = client.pack(key.group(1))
                local = import_pack(kiosk.service, pack, portal.clock.now).session
                shell.session_opened(kiosk.service.open(local.session_key).session_id)
                writer.call(lambda: None)
                run_interview(kiosk.service, local.session_id, rng=random.Random(9))
                Pusher(kiosk.service, client).drain()
            writer.close()
            kiosk.close()
        page = " ".join(browser.http.get(f"/sessions/{session_id}").text.split())

    concern = '</strong> · <span class="concern">High concern</span>'
    assert f"<strong>Signs of a virtual machine{concern}" in page
    assert "DMI product_name: VirtualBox (seen at 2026-12-04 07:58:12 UTC, before this" in page
    assert f"<strong>Signs of remote access{concern}" in page
    assert "DISPLAY=203.0.113.9:10.0 is on another host (seen at 2026-12-04 07:58:12 UTC" in page
    assert f"<strong>More than one person in view{concern}" in page  # the interview's own event
    assert "virtual_machine" not in page and "multiple_people" not in page
