"""Audit replay on the hub: a kiosk syncs an interview's observation track; the session page
re-judges it under an uploaded or picked policy, side by side with the recorded flags, and a
reviewer's decision is stored and audited. A stricter policy adds a flag, a looser one removes
one, the kiosk's own policy changes nothing.

The track is what the kiosk's rule engine judged: synthetic observations (a face, nobody, two
faces, a face) through the same `RuleEngine`, its events and chunks stored by the kiosk's use
cases and pushed through the real sync API. (The camera-to-track path with real models is
tests/integration/live/test_track_replay.py.)
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.hub.portal_support import (
    PASSWORD,
    Browser,
    Portal,
    create_session,
    portal_hub,
)
from tests.integration.hub.support import SimulatedKiosk, memory_keyring, serve_in_thread
from tests.sample import integrity, take_to

from hub.app import create_app
from integrity import RuleEngine, encode_chunk, load_policy
from integrity.observation import Observation, Pose, SeenFace
from integrity.policy import DEFAULT_POLICY_PATH
from integrity.track import CHUNK_SECONDS, TrackHeader
from kiosk.domain.lifecycle import SessionState
from kiosk.proctoring import to_domain
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from kiosk.sync import Pusher, enrol, hub_client, import_pack

FACE = SeenFace.measured(240, 120, 160, 200, 0.93)
SECOND = SeenFace.measured(40, 150, 120, 150, 0.88)
STANDARD = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
LOOSER = STANDARD.replace(
    "[rules.multiple_people]\nhold_s = 1.0", "[rules.multiple_people]\nhold_s = 2.0"
)
STRICTER = STANDARD.replace("max_pitch = 30.0", "max_pitch = 4.0").replace(
    "[rules.looking_away]\nhold_s = 5.0", "[rules.looking_away]\nhold_s = 2.0"
)


def _observations() -> list[Observation]:
    """Face 0-5 s, nobody 5-9 s, two faces 9-10.5 s, face 10.5-15 s; pitch 5 degrees."""
    seen = []
    for i in range(150):
        t = i / 10
        faces = () if 5 <= t < 9 else (FACE, SECOND) if 9 <= t < 10.5 else (FACE,)
        seen.append(
            Observation.measured(
                t, (640, 480), mean=110.0, std=45.0, change=2.5, faces=faces,
                primary=0 if faces else None, pose=Pose(2.0, 5.0, 0.0) if faces else None,
            )
        )
    return seen


def _proctor(service: SessionService, session_id: str) -> None:
    """What the kiosk's proctor feed stores: each event as judged, and the track in chunks."""
    policy = load_policy()
    engine = RuleEngine(policy, "YuNet (test)", "YOLO (test)")
    records = _observations()
    events = {e.id: e for r in records for e in engine.observe(r)}
    events.update({e.id: e for e in engine.finish()})
    for event in events.values():
        service.record_event(session_id, to_domain(event))
    header = dict(run_id="2b5c7e0a-6f0e-4a57-9a43-1d2a3b4c5d6e", face_detector="YuNet (test)",
                  object_detector="YOLO (test)", policy_digest=policy.digest())
    chunks = [records[i : i + int(CHUNK_SECONDS * 10)] for i in range(0, len(records), 100)]
    for seq, part in enumerate(chunks):
        service.record_observations(
            session_id, run_id=header["run_id"], seq=seq, start=part[0].t, end=part[-1].t,
            records=len(part), chunk=encode_chunk(TrackHeader(seq=seq, **header), part),
        )
    stored = service.load(session_id).events
    service.complete_interview(session_id, integrity(stored, 15.0))


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    with memory_keyring(), portal_hub(tmp_path / "hub", "") as portal:
        yield portal


@pytest.fixture
def session_id(portal: Portal, tmp_path: Path) -> str:
    """HR creates a session; a kiosk pulls it, proctors it and pushes everything."""
    browser = portal.browser("hr@acme.test")
    session_id = create_session(browser)
    slip = browser.http.get(f"/sessions/{session_id}/slip").text
    key = re.search(r'id="session-key">([^<]+)<', slip)
    assert key is not None
    with serve_in_thread(create_app(hub=portal.hub)) as url:
        enrol(url, portal.hub.enrolment.issue_code(portal.acme, "t").code, "desk")
        kiosk = SimulatedKiosk.create(tmp_path / "kiosk")
        with hub_client(KioskSettings(data_dir=tmp_path / "kiosk", hub_url=url)) as client:
            local = import_pack(kiosk.service, client.pack(key.group(1)), portal.clock.now)
            take_to(kiosk.service, local.session.session_id, SessionState.IN_PROGRESS)
            _proctor(kiosk.service, local.session.session_id)
            Pusher(kiosk.service, client).drain()
        kiosk.close()
    return session_id


def _rejudge(browser: Browser, session_id: str, text: str, name: str = "other.toml") -> str:
    page = browser.post(
        f"/sessions/{session_id}/replay", {}, page=f"/sessions/{session_id}",
        files={"policy_file": (name, text.encode(), "text/plain")},
    )
    assert page.status_code == 200, page.text
    return html.unescape(page.text)


def _differences(page: str) -> list[str]:
    found = re.search(r'<ul id="replay-differences">(.*?)</ul>', page, re.S)
    assert found, "no comparison on the page"
    return re.findall(r"<li>(.*?)</li>", found.group(1))


def test_the_session_page_lists_each_flags_thresholds_and_the_policy_digest(portal, session_id):
    page = html.unescape(portal.browser("hr@acme.test").http.get(f"/sessions/{session_id}").text)
    digest = load_policy().digest()
    assert f'class="policy-digest" title="{digest}"' in page
    assert ("Thresholds: Face score 0.7, Hold (seconds) 3.0, Release (seconds) 0.5"
            in page)  # no face
    assert ("Thresholds: Face score 0.7, Hold (seconds) 1.0, Object score 0.4, "
            "Release (seconds) 0.5") in page


def test_a_stricter_policy_adds_a_flag_and_a_looser_one_removes_one(portal, session_id):
    browser = portal.browser("hr@acme.test")
    assert _differences(_rejudge(browser, session_id, LOOSER, "looser.toml")) == [
        "Removed: More than one person in view (high concern), 9.0-10.5 s (2 faces, 0 persons)"
    ]
    stricter = _differences(_rejudge(browser, session_id, STRICTER, "stricter.toml"))
    assert stricter == [
        "Added: Looking away from the screen (medium concern), 0.0-5.0 s (yaw 2 deg, pitch 5 deg)",
        "Added: Looking away from the screen (medium concern), 9.0-14.9 s "
        "(yaw 2 deg, pitch 5 deg)",
    ]
    picked = browser.post(
        f"/sessions/{session_id}/replay", {"policy": "standard"}, page=f"/sessions/{session_id}",
        files={"policy_file": ("", b"", "application/octet-stream")},
    )
    assert _differences(html.unescape(picked.text)) == [
        "No difference: the 2 camera events are the same."
    ]


def test_a_reviewers_decision_is_stored_and_audited(portal, session_id):
    browser = portal.browser("hr@acme.test")
    _rejudge(browser, session_id, LOOSER, "looser.toml")
    refused = browser.post(
        f"/sessions/{session_id}/replay/decision",
        {"policy_text": LOOSER, "decision": "rejudged_stands", "comment": " "},
        page=f"/sessions/{session_id}",
    )
    assert refused.status_code == 422 and "say why in a comment" in refused.text.lower()
    done = browser.post(
        f"/sessions/{session_id}/replay/decision",
        {"policy_text": LOOSER, "decision": "rejudged_stands",
         "comment": "Two people for 1.5 s is the interpreter leaving; our policy is 2 s."},
        page=f"/sessions/{session_id}",
    )
    assert done.status_code == 303
    page = html.unescape(browser.http.get(f"/sessions/{session_id}").text)
    decisions = re.search(r'<ul id="replay-decisions">(.*)</ul>', page, re.S)
    assert decisions and "hr@acme.test: the re-judged events stand" in decisions.group(1)
    assert "Removed: More than one person in view" in decisions.group(1)
    admin = portal.hub.accounts.login("hr@acme.test", PASSWORD)
    (entry,) = [a for a in portal.hub.records.audit_log(admin) if a.action == "replay.decided"]
    assert entry.target == session_id and entry.actor == "hr@acme.test"
    assert "the re-judged events stand" in entry.detail and "1 removed" in entry.detail
    assert "our policy is 2 s" in entry.detail


def test_a_bad_policy_or_another_organisation_is_refused(portal, session_id):
    browser = portal.browser("hr@acme.test")
    page = browser.post(
        f"/sessions/{session_id}/replay", {}, page=f"/sessions/{session_id}",
        files={"policy_file": ("broken.toml", b"[pose]\nmax_yaw = 400\n", "text/plain")},
    )
    assert page.status_code == 422
    assert "broken.toml is invalid: pose.max_yaw" in html.unescape(page.text)
    assert 'id="replay-result"' not in page.text
    other = portal.browser("hr@globex.test")
    stolen = other.post(
        f"/sessions/{session_id}/replay", {"policy": "standard"}, page="/",
        files={"policy_file": ("", b"", "application/octet-stream")},
    )
    assert stolen.status_code == 404
