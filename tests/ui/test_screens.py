"""Each screen on its own: what it shows, what it refuses, what it stores."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
from pytestqt.qtbot import QtBot
from tests.ui import flow

from contract.privacy import DataPolicy, policy_digest, policy_text
from contract.sessionkey import new_session_key
from kiosk.domain.consent import NOTICE_VERSION, shown_text
from kiosk.domain.devices import SpeakerCheck
from kiosk.domain.lifecycle import SessionState
from kiosk.live.voice import QuestionVoice, Spoken
from kiosk.storage.unit_of_work import UnitOfWork
from speech import synthesize
from ui.context import KioskContext
from ui.window import MainWindow

MakeContext = Callable[..., KioskContext]
MakeWindow = Callable[[KioskContext], MainWindow]


def test_start_screen_checks_the_key_as_typed_and_lists_packs(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media())
    session = flow.demo_session(context.core.service)
    window = make_window(context)
    start = window.start
    qtbot.waitUntil(lambda: start.packs.count() == 1)
    assert session.session_key in start.packs.item(0).text()
    assert "José" in start.packs.item(0).text()

    typo = session.session_key[:-1] + ("0" if session.session_key[-1] != "0" else "1")
    start.key.setText(typo)
    assert "typo" in start.key_message.text() and not start.start.isEnabled()
    start.key.setText(session.session_key.lower().replace("-", ""))
    assert "well formed" in start.key_message.text() and start.start.isEnabled()

    unknown = new_session_key()
    flow.sign_in(window, unknown)
    qtbot.waitUntil(lambda: "no session with key" in start.message.text().lower())
    flow.sign_in(window, session.session_key, pin="0000")
    qtbot.waitUntil(lambda: "PIN is not right" in start.message.text())
    assert start.pin.text() == ""  # never kept on screen
    assert window.current_screen() is start

    start.packs.itemClicked.emit(start.packs.item(0))
    assert start.key.text() == session.session_key


def test_an_expired_key_is_refused_with_a_clear_message(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    from datetime import timedelta

    context = make_context(flow.recorded_media())
    session = flow.demo_session(context.core.service)
    expired = context.core.service.create(
        session.candidate, session.job, session.settings, ttl=timedelta(seconds=-1)
    )
    window = make_window(context)
    flow.sign_in(window, expired.session_key)
    qtbot.waitUntil(lambda: "expired" in window.start.message.text())
    assert "ask HR" in window.start.message.text()


def test_declining_consent_ends_politely_and_is_recorded(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media())
    session = flow.demo_session(context.core.service, extra_time=25)
    window = make_window(context)
    flow.sign_in(window, session.session_key)
    qtbot.waitUntil(lambda: window.current_screen() is window.consent)
    assert "extra time of 25%" in window.consent.notice.text()
    consent = window.consent
    assert not consent.accept.isEnabled()  # explicit biometric consent first
    consent.decline.click()  # one click ends nothing: the candidate is asked to confirm
    assert consent.confirm_box.isVisible() and not consent.decline.isEnabled()
    assert context.core.service.get(session.session_id).state is SessionState.OPENED
    consent.back.click()
    assert not consent.confirm_box.isVisible() and consent.decline.isEnabled()
    consent.decline.click()
    consent.confirm_decline.click()
    qtbot.waitUntil(lambda: window.current_screen() is window.completion)
    assert "chosen not to take part" in window.completion.body.text()
    record = context.core.service.load(session.session_id)
    assert record.session.state is SessionState.ABORTED
    assert record.consent is not None and not record.consent.agreed  # the refusal is the record
    assert record.consent.notice_sha256 == hashlib.sha256(
        consent.shown_text().encode()
    ).hexdigest()


def test_giving_consent_stores_what_was_shown_and_when_before_moving_on(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media())
    policy = DataPolicy("Acme", send_answer_audio=True, kiosk_days_after_sync=2)
    session = flow.demo_session(context.core.service, extra_time=25, data_policy=policy)
    window = make_window(context)
    flow.sign_in(window, session.session_key)
    before = datetime.now(UTC)
    flow.give_consent(window)
    qtbot.waitUntil(lambda: window.current_screen() is window.idcheck)
    consent = context.core.service.load(session.session_id).consent
    assert consent is not None  # stored before the ID check was shown
    assert consent.notice_version == NOTICE_VERSION and consent.biometric
    shown = window.consent.shown_text()
    assert "extra time of 25%" in shown and "biometric data" in shown
    assert consent.notice_sha256 == hashlib.sha256(shown.encode()).hexdigest()
    # the session's own data policy, in the words generated from it
    assert policy_text(policy) in shown and "FLAC" in shown and "2 days later" in shown
    assert shown == shown_text(session.settings, policy)  # what an off-screen consent refers to
    assert consent.policy_sha256 == policy_digest(policy)
    assert before <= consent.at <= datetime.now(UTC) and consent.agreed
    assert context.core.service.get(session.session_id).state is SessionState.OPENED


def test_id_check_fails_a_stranger_and_the_invigilator_overrides_it(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media())
    session = flow.ready_session(context.core.service, SessionState.OPENED)
    # registered under another name: the name check fails and needs the invigilator
    context.core.service.database  # noqa: B018 - the same database, a new candidate below
    other = context.core.service.create(
        session.candidate.__class__("Maria Schmidt"), session.job, session.settings
    )
    window = make_window(context)
    flow.sign_in(window, other.session_key)
    flow.give_consent(window)
    screen = window.idcheck
    qtbot.waitUntil(lambda: screen.capture.isEnabled(), timeout=20_000)
    screen.capture.click()
    qtbot.waitUntil(lambda: screen.step == "face" and screen.capture.isEnabled(), timeout=20_000)
    screen.capture.click()
    qtbot.waitUntil(lambda: screen.result is not None, timeout=60_000)
    assert not screen.result.accepted and screen.override_box.isVisible()
    assert not screen.proceed.isEnabled()
    prompt = screen.override_prompt
    prompt.reason.setText("checked the passport in person")
    prompt.name.setText("A. Invigilator")
    prompt.pin.setText(flow.PIN)
    prompt.confirm.click()
    qtbot.waitUntil(lambda: screen.proceed.isEnabled())
    screen.proceed.click()
    qtbot.waitUntil(lambda: window.current_screen() is window.devices, timeout=10_000)
    record = context.core.service.load(other.session_id)
    assert record.session.state is SessionState.ID_VERIFIED
    assert record.id_check is not None and record.id_check.passed
    assert "checked the passport in person" in record.id_check.override_reason
    assert record.id_check.overridden_by == "A. Invigilator"


def test_missing_camera_and_microphone_show_guidance_without_crashing(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow, monkeypatch
) -> None:
    monkeypatch.setenv("KIOSK_CAMERA_INDEX", "7")
    monkeypatch.setenv("KIOSK_MICROPHONE", "no such microphone")
    context = make_context(None)  # real devices: this machine has neither
    session = flow.ready_session(context.core.service, SessionState.ID_VERIFIED)
    window = make_window(context)
    window.show_session(session)
    screen = window.devices
    qtbot.waitUntil(lambda: screen.camera_problem.isVisible(), timeout=20_000)
    qtbot.waitUntil(lambda: screen.microphone_problem.isVisible(), timeout=20_000)
    assert "Camera not found" in screen.camera_problem.text()
    assert "camera 7" in screen.camera_problem.text()
    assert "Microphone not found" in screen.microphone_problem.text()
    assert "plug" in screen.microphone_problem.text()
    assert not screen.proceed.isEnabled()
    screen.retry.click()  # retrying is safe, and still guides
    qtbot.waitUntil(lambda: screen.camera_problem.isVisible(), timeout=20_000)
    assert window.isVisible()


def test_without_speakers_the_device_check_needs_the_invigilator(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media())
    session = flow.ready_session(context.core.service, SessionState.ID_VERIFIED)
    window = make_window(context)
    window.show_session(session)
    screen = window.devices
    qtbot.waitUntil(lambda: screen.face_seen and screen.microphone_heard, timeout=30_000)
    assert screen.view.last is not None and screen.view.last.faces  # the face box
    assert screen.meter.value() > 0 and "We can hear you" in screen.microphone_state.text()
    screen.speak.click()
    qtbot.waitUntil(lambda: screen.speaker_note.text() not in ("", "Playing…"), timeout=30_000)
    assert "No sound could be played" in screen.speaker_note.text()  # no sound card here
    assert not screen.heard.isVisible()  # nothing to have heard
    assert not screen.proceed.isEnabled()  # a test sentence never played is no pass
    prompt = screen.override_prompt
    prompt.reason.setText("headphones checked by hand")
    prompt.name.setText("A. Invigilator")
    prompt.pin.setText(flow.PIN)
    prompt.confirm.click()
    qtbot.waitUntil(lambda: window.current_screen() is window.interview, timeout=10_000)
    history = context.core.service.load(session.session_id)
    assert history.session.state in (SessionState.DEVICES_CHECKED, SessionState.IN_PROGRESS)
    with UnitOfWork(context.core.service.database) as uow:
        reasons = [r for _, to, _, r in uow.sessions.state_history(session.session_id)
                   if to == SessionState.DEVICES_CHECKED]
    assert reasons == [
        "Devices accepted by the invigilator A. Invigilator although the test sentence could "
        "not be played (reason: headphones checked by hand)"
    ]


def test_the_camera_passes_only_with_a_face_and_the_speakers_only_when_heard(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    shutil.copytree(flow.recorded_media(), media)
    _write_empty_room(media / "camera.mp4")
    context = make_context(media)
    context.core.voice = _Loudspeaker(context.core.settings.data_dir / "tts")
    session = flow.ready_session(context.core.service, SessionState.ID_VERIFIED)
    window = make_window(context)
    window.show_session(session)
    screen = window.devices
    qtbot.waitUntil(lambda: screen.microphone_heard, timeout=30_000)
    qtbot.waitUntil(lambda: screen.view.last is not None, timeout=20_000)
    qtbot.wait(1500)  # pictures keep coming; none has a face
    assert not screen.face_seen and "Waiting to see your face" in screen.camera_state.text()
    screen.speak.click()
    qtbot.waitUntil(lambda: screen.heard.isVisible(), timeout=30_000)
    screen.heard.click()
    assert screen.speakers is SpeakerCheck.HEARD
    assert not screen.proceed.isEnabled()  # still no face in view
    assert screen.check().problems == ("the camera did not show the candidate's face",)


class _Loudspeaker(QuestionVoice):
    """A kiosk with speakers: the sentence is synthesised and plays for as long as it lasts
    (this machine has no sound card, so the playing itself is the one stand-in)."""

    def speak(self, text: str) -> Spoken:
        speech = synthesize(text, options=self._options, cache_dir=self._cache_dir)
        time.sleep(min(speech.duration, 1.0))
        return Spoken(True, "", speech.duration)


def _write_empty_room(path: Path) -> None:
    """A camera that sees an empty, evenly lit wall with sensor noise: no face, not covered."""
    rng = np.random.default_rng(5)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 10.0, (640, 480))
    wall = np.full((480, 640, 3), (150, 160, 170), np.uint8)
    for _ in range(60):
        noise = rng.normal(0, 8, wall.shape)
        writer.write(np.clip(wall + noise, 0, 255).astype(np.uint8))
    writer.release()
