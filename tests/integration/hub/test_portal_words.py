"""HR reads people's words and sees the evidence whole: a session a real kiosk ran and pushed,
with a flag of every kind, is rendered by the real portal, and no code of the shared
vocabularies (built from the enums themselves, not typed here), no hash and no path reaches the
page; the page is in sections; audio seeks; the PDF opens in the browser; a flag names the
answer it happened during; a refused review comes back at its flag."""

from __future__ import annotations

import html
import io
import random
import re
import wave
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from tests.integration.hub.portal_support import Portal, portal_hub, synced_session
from tests.integration.hub.support import memory_keyring
from tests.sample import integrity, take_to

from contract.evaluation import Recommendation
from contract.proctoring import EventKind, EventSource, IntegrityLevel, Severity
from contract.rubric import Criterion, DecidedBy, Verdict
from contract.wire import SessionStateName
from hub.glossary import event_kind
from integrity.rules import FRAME_STATS_DETECTOR
from kiosk.brain import InterviewContext
from kiosk.brain.fit import job_fit
from kiosk.brain.planner import plan_interview
from kiosk.brain.scoring import ENGINE_NAME, JUDGED_ENGINE_NAME
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    CriterionScore,
    FinalEvaluation,
    IdCheck,
    ProctoringEvent,
    Question,
    QuestionKind,
)
from kiosk.live.audio_proctoring import DETECTOR as AUDIO_DETECTOR
from kiosk.sessions import SessionService, new_id
from proctor.loaders import YUNET_FILE

#: Every code of the vocabularies a page could show, from the enums and the wire's literals.
CODES = {
    str(member.value)
    for vocabulary in (EventKind, Severity, IntegrityLevel, EventSource, Recommendation,
                       Criterion, Verdict, DecidedBy, QuestionKind)
    for member in vocabulary
} | set(SessionStateName.__args__)
#: What the kiosk names its engines and detectors: for engineers, never for HR.
MACHINE_NAMES = (ENGINE_NAME, JUDGED_ENGINE_NAME, AUDIO_DETECTOR, FRAME_STATS_DETECTOR,
                 YUNET_FILE.removesuffix(".onnx"), "gemini:")
ANSWER_WINDOW = (8.0, 20.0)  # seconds into the interview while question 1 was answered
#: One detector per event, as real kiosks name them.
DETECTORS = (f"YuNet {YUNET_FILE.removesuffix('.onnx')} (OpenCV 5.1.0)", AUDIO_DETECTOR,
             FRAME_STATS_DETECTOR)


class _Visible(HTMLParser):
    """The words a person reads: text nodes, and the attributes shown or read aloud."""

    SHOWN = ("alt", "placeholder", "aria-label")

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.nodes.extend(v for k, v in attrs if k in self.SHOWN and v)

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.nodes.append(data.strip())


def visible(page: str) -> list[str]:
    parser = _Visible()
    parser.feed(page)
    return parser.nodes


def _wav(seconds: float) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x00\x01" * int(16000 * seconds))
    return out.getvalue()


def interview_with_every_flag(
    service: SessionService, session_id: str, *, rng: random.Random
) -> None:
    """A whole interview as a kiosk stores it: consent, ID check, the fit, two timed answers
    with audio and an offline score each, one flag of every kind (the first while question 1
    was answered), the integrity summary, the evaluation and a report."""
    session = service.get(session_id)
    service.open(session.session_key)
    take_to(service, session_id, SessionState.OPENED)
    service.record_consent(session_id, notice_version="1", notice_sha256="b" * 64)
    service.verify_identity(
        session_id,
        IdCheck(name_on_document=session.candidate.full_name, name_matches=True,
                face_distance=0.3, face_threshold=0.6, face_matches=True),
        card_jpeg=b"\xff\xd8\xff" + rng.randbytes(500),
        live_jpeg=b"\xff\xd8\xff" + rng.randbytes(500),
    )
    take_to(service, session_id, SessionState.IN_PROGRESS)
    context = InterviewContext.for_session(service.load(session_id).session)
    service.record_fit(session_id, job_fit(context.match, plan_interview(context, "offline")))
    began = service.load(session_id).interview_started_at
    assert began is not None
    for index, kind in enumerate((QuestionKind.TECHNICAL, QuestionKind.FOLLOW_UP)):
        question = Question(new_id(), index, kind, f"Question {index}?")
        service.record_question(session_id, question)
        start = ANSWER_WINDOW[0] + 30 * index
        answer = service.save_answer(
            session_id,
            Answer(new_id(), question.question_id, f"Answer {index}.", end_reason="silence",
                   started_at=began + timedelta(seconds=start),
                   ended_at=began + timedelta(seconds=start + ANSWER_WINDOW[1] - ANSWER_WINDOW[0])),
            audio_wav=_wav(1.0),
        )
        service.save_score(session_id, AnswerScore(
            answer_id=answer.answer_id,
            criteria=tuple(CriterionScore(c, 6.0 + index, f"because of {c.value} {index}")
                           for c in Criterion),
            feedback="fine", evidence=("Answer",), engine=ENGINE_NAME, provisional=True,
        ))
    severities = tuple(Severity)
    for n, kind in enumerate(EventKind):
        service.record_event(
            session_id,
            ProctoringEvent(
                event_id=new_id(), kind=kind, severity=severities[n % 3], confidence=0.9,
                start=10.0 + 35 * n, end=12.5 + 35 * n, detector=DETECTORS[n % len(DETECTORS)],
                thresholds={"hold_s": 3.0, "face_score": 0.7},
                detail="",
            ),
            snapshot_jpeg=(b"\xff\xd8\xff" + rng.randbytes(300)) if n == 0 else None,
        )
    service.save_evaluation(session_id, FinalEvaluation(
        overall={c.value: 6.5 for c in Criterion}, strengths=("clear",), concerns=(),
        recommendation=Recommendation.STRONG_NO, behavioural_note="calm", engine=ENGINE_NAME,
        provisional=True,
    ))
    service.complete_interview(session_id, integrity(service.load(session_id).events))
    service.attach_report(session_id, b"%PDF-1.4 test report " + rng.randbytes(800))


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """One hub for the module: the tests read the same synced session (one review is recorded
    at the very end of the last test that posts)."""
    with memory_keyring(), portal_hub(tmp_path_factory.mktemp("hub"), "") as hub:
        hub.hub.data_policies.set(hub.acme, "test", send_answer_audio=True)
        yield hub


@pytest.fixture(scope="module")
def synced(portal: Portal, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The session's id and its page as HR first sees it."""
    hr = portal.browser("hr@acme.test")
    session_id = synced_session(portal, hr, tmp_path_factory.mktemp("kiosk"),
                                run=interview_with_every_flag)
    page = hr.http.get(f"/sessions/{session_id}")
    assert page.status_code == 200
    return session_id, page.text


def _section(page: str, name: str) -> str:
    found = re.search(rf'<section id="{name}"[^>]*>(.*?)</section>', page, re.S)
    assert found, f"no {name} section"
    return found.group(1)


def _words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_no_code_hash_or_machine_name_reaches_the_page(synced: tuple[str, str]) -> None:
    _, page = synced
    nodes = visible(page)
    text = "\n".join(nodes)
    assert all(event_kind(kind) in text for kind in EventKind)  # every flag is on the page
    for code in CODES:
        if re.search(r"[_\-:]", code):
            assert code not in text, code  # `no_face`, `strong_no`, `in_progress`
        else:  # one word, also English ("synced", "high", "yes"): never a value on its own
            assert code not in nodes, code
            assert not re.search(rf":\s*{code}\b", text), code
    for name in MACHINE_NAMES:
        assert name not in text, name
    assert not re.search(r"\b(True|False|None)\b", text)
    assert not re.search(r"[0-9a-f]{32,}", text) and "sha256" not in text.lower()
    assert "keyring" not in text.lower() and "→" not in text
    assert not re.search(r"(/tmp/|/home/|\.onnx|\.sqlite3|models/)", text)


def test_the_page_is_in_sections_with_words_and_scales(synced: tuple[str, str]) -> None:
    _, page = synced
    for name in ("summary", "scores", "integrity", "flags", "identity", "typed", "history"):
        _section(page, name)
        assert f'href="#{name}"' in page, name  # the in-page nav reaches it
    summary = _words(_section(page, "summary"))
    assert "Recommendation: Strongly do not recommend" in summary
    assert "Relevance 6.5 / 10" in summary and "Integrity:" in summary
    scores = _words(_section(page, "scores"))
    assert "Depth 6 / 10 because of depth 0" in scores  # each criterion with its reason
    assert "Score 7 / 10" in scores and "closeness of wording" in scores
    assert "Follow-up" in scores and "Technical" in scores
    identity = _words(_section(page, "identity"))
    assert "The name on the ID matches the booking" in identity
    assert "The face matches the ID photo" in identity
    history = _words(_section(page, "history"))
    assert "The interview began" in history and "The key was entered at a kiosk" in history
    typed = _words(_section(page, "typed"))
    assert "ada@example.org" in typed and "python, sql" in typed and "Build engines" in typed
    fit = _words(_section(page, "fit"))
    assert "required skills" in fit
    flags = _words(_section(page, "flags"))
    assert "No face in view" in flags and "High concern" in flags and "Hold (seconds) 3.0" in flags
    assert "Seen by the kiosk's camera check" in flags and "Not reviewed yet" in flags


def test_a_flag_names_the_answer_it_happened_during(synced: tuple[str, str]) -> None:
    _, page = synced
    flags = _section(page, "flags")
    first = re.search(r'<div class="event[^"]*" id="flag-[^"]+">(.*?)</form>', flags, re.S)
    assert first is not None
    assert 'While answering <a href="#answer-1">question 1</a>' in first.group(1)
    # answers ran 8-20 s and 38-50 s: flags at 10 s and 45 s fell in them, 80 s and later not
    assert flags.count("While answering") == 2
    answer = re.search(r'<div class="qa" id="answer-1">(.*?)</div>', page, re.S)
    assert answer is not None and "Flags during this answer" in answer.group(1)
    assert "0:10 No face in view" in _words(answer.group(1))


def test_audio_seeks_and_snapshots_enlarge(portal: Portal, synced: tuple[str, str]) -> None:
    _, page = synced
    audio = re.findall(r'<audio controls preload="metadata" src="([^"]+)"', page)
    assert len(audio) == 2
    hr = portal.browser("hr@acme.test")
    part = hr.http.get(audio[0], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part.headers["content-type"].startswith("audio/")  # the kiosk sends FLAC
    assert part.headers["content-range"].startswith("bytes 0-99/")
    snapshot = re.search(r'<a href="#(snapshot-[^"]+)" title="Enlarge"><img class="snapshot"[^>]*'
                         r'src="([^"]+)"', page)
    assert snapshot is not None
    box = re.search(rf'<div class="lightbox" id="{snapshot.group(1)}"[^>]*>(.*?)</div>', page,
                    re.S)
    assert box is not None and f'src="{snapshot.group(2)}"' in box.group(1)
    assert hr.http.get(snapshot.group(2)).headers["content-type"] == "image/jpeg"


def test_the_pdf_opens_in_the_browser(portal: Portal, synced: tuple[str, str]) -> None:
    session_id, page = synced
    view = re.search(r'id="report-view" href="([^"]+)" target="_blank"', page)
    assert view is not None
    hr = portal.browser("hr@acme.test")
    shown = hr.http.get(html.unescape(view.group(1)))
    assert shown.status_code == 200 and shown.content.startswith(b"%PDF-")
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline;")
    policy = shown.headers["content-security-policy"]
    assert "sandbox" in policy and "frame-ancestors 'none'" in policy
    assert "default-src 'none'" in policy and shown.headers["x-content-type-options"] == "nosniff"
    saved = hr.http.get(f"/sessions/{session_id}/report.pdf")
    assert saved.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in saved.headers["content-security-policy"]
    assert hr.http.get(f"/sessions/{session_id}/report.pdf?view=embed").status_code == 422
    other = portal.browser("hr@globex.test")
    assert other.http.get(html.unescape(view.group(1))).status_code == 404


def test_a_refused_review_comes_back_at_its_flag(portal: Portal, synced: tuple[str, str]) -> None:
    session_id, page = synced
    event_id = re.findall(r'id="flag-([^"]+)"', page)[-1]  # one without a snapshot
    action = f"/sessions/{session_id}/events/{event_id}/review#flag-{event_id}"
    assert f'action="{action}"' in page  # the browser scrolls to the flag on the answer
    hr = portal.browser("hr@acme.test")
    refused = hr.post(action.split("#")[0], {"decision": "confirmed", "comment": " "},
                      page=f"/sessions/{session_id}")
    assert refused.status_code == 422
    inside = re.search(rf'<div class="event[^"]*" id="flag-{event_id}">(.*?)</div>',
                       refused.text, re.S)
    assert inside is not None
    assert f'id="error-review-{event_id}"' in inside.group(1)
    assert 'aria-invalid="true"' in inside.group(1)
    done = hr.post(action.split("#")[0], {"decision": "dismissed", "comment": "a colleague"},
                   page=f"/sessions/{session_id}")
    assert done.status_code == 303 and done.headers["location"].endswith(f"#flag-{event_id}")


def test_the_session_list_says_states_in_words(portal: Portal, synced: tuple[str, str]) -> None:
    listing = portal.browser("hr@acme.test").http.get("/").text
    nodes = visible(listing)
    for code in SessionStateName.__args__:
        assert code not in nodes and not any(n.startswith(f"{code} (") for n in nodes), code
    assert "Ready to review" in nodes and "Completed (1)" in " ".join(nodes)
    assert re.search(r'<code class="key">[A-Z0-9-]+</code>', listing)  # keys never wrap
