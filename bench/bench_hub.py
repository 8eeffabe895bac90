"""Hub ingest under load: 20 concurrent simulated kiosks push whole sessions to a real hub process.

Each kiosk uploads a session's report blob, then pushes the session's outbox entries as one batch,
as the kiosk's Pusher does. Reported: sessions and entries per second, and p50/p99 latency of
pushes and uploads, on SQLite and (when Debian's PostgreSQL and psycopg are there) PostgreSQL.
"""

from __future__ import annotations

import hashlib
import random
import statistics
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.integration.hub.hubprocess import HubProcess
from tests.integration.hub.postgres import postgres_server, unavailable_reason
from tests.integration.hub.support import free_port

from contract.sessionkey import new_session_key
from contract.wire import PushBatch, outbox_entry
from hub.container import build_hub
from hub.settings import HubSettings
from kiosk.sync import HubClient

KIOSKS = 20
SESSIONS_PER_KIOSK = 15
BLOB_BYTES = 20_000


def _session_entries(first_id: int, rng: random.Random) -> tuple[bytes, PushBatch]:
    """One finished session's outbox, as a kiosk would push it, and its report's bytes."""
    now = datetime.now(UTC).isoformat()
    pdf = b"%PDF-1.4 bench " + rng.randbytes(BLOB_BYTES)
    ref = {
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "kind": "report",
        "content_type": "application/pdf",
        "size": len(pdf),
    }
    sid, qid, aid = (str(uuid.uuid4()) for _ in range(3))
    payloads: list[tuple[str, dict[str, Any]]] = [
        (
            "session.created",
            {
                "session_id": sid,
                "session_key": new_session_key(),
                "candidate": {"full_name": "Bench Candidate", "resume_text": "x" * 500},
                "job": {"title": "Engineer", "text": "y" * 500},
                "settings": {},
                "state": "created",
                "created_at": now,
            },
        ),
        ("session.state", {"session_id": sid, "from": "created", "to": "opened"}),
        (
            "question",
            {"session_id": sid, "question_id": qid, "index": 0, "kind": "intro", "text": "Q?"},
        ),
        ("answer", {"session_id": sid, "answer_id": aid, "question_id": qid, "text": "A" * 400}),
        (
            "score",
            {
                "session_id": sid,
                "answer_id": aid,
                "criteria": [{"criterion": "depth", "score": 6.0}],
                "engine": "bench",
                "provisional": True,
            },
        ),
        (
            "event",
            {
                "session_id": sid,
                "event_id": str(uuid.uuid4()),
                "kind": "looking_away",
                "severity": "low",
                "confidence": 0.5,
                "start": 1.0,
                "end": 2.0,
                "detector": "bench",
            },
        ),
        ("media", {"session_id": "", **ref}),
        ("report", {"session_id": sid, "pdf": ref, "created_at": now}),
    ]
    entries = [
        outbox_entry(first_id + i, topic, payload, datetime.now(UTC))
        for i, (topic, payload) in enumerate(payloads)
    ]
    return pdf, PushBatch(entries=entries)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _load(url: str, tokens: list[str]) -> dict[str, Any]:
    push_ms: list[float] = []
    upload_ms: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []

    def kiosk(index: int) -> None:
        rng = random.Random(index)
        with HubClient(url, tokens[index], timeout=30) as client:
            next_id = 1
            for _ in range(SESSIONS_PER_KIOSK):
                pdf, batch = _session_entries(next_id, rng)
                next_id += len(batch.entries)
                try:
                    started = time.perf_counter()
                    client.upload_blob(batch.entries[-1].payload.pdf.sha256, pdf)  # type: ignore[union-attr]
                    uploaded = time.perf_counter()
                    client.push(batch)
                    done = time.perf_counter()
                except Exception as error:  # a benchmark reports failures, it does not hide them
                    errors.append(f"{type(error).__name__}: {error}")
                    continue
                with lock:
                    upload_ms.append((uploaded - started) * 1000)
                    push_ms.append((done - uploaded) * 1000)

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(KIOSKS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    sessions = len(push_ms)
    return {
        "kiosks": KIOSKS,
        "sessions": sessions,
        "entries": sessions * 8,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "seconds": round(seconds, 2),
        "sessions_per_second": round(sessions / seconds, 1),
        "entries_per_second": round(sessions * 8 / seconds, 1),
        "push_ms_p50": round(statistics.median(push_ms), 1) if push_ms else None,
        "push_ms_p99": round(_percentile(push_ms, 0.99), 1) if push_ms else None,
        "upload_ms_p50": round(statistics.median(upload_ms), 1) if upload_ms else None,
        "upload_ms_p99": round(_percentile(upload_ms, 0.99), 1) if upload_ms else None,
    }


def _run_backend(root: Path, database_url: str) -> dict[str, Any]:
    settings = HubSettings(data_dir=root, database_url=database_url)
    admin = build_hub(settings)
    org_id = admin.accounts.ensure_organisation("Bench")
    tokens = [
        admin.enrolment.enrol(admin.enrolment.issue_code(org_id, "bench").code, f"k{i}").token
        for i in range(KIOSKS)
    ]
    admin.close()
    extra = {"HUB_DATABASE_URL": database_url} if database_url else {}
    hub = HubProcess(root, free_port(), extra)
    hub.start()
    try:
        return _load(hub.url, tokens)
    finally:
        hub.stop()


def run() -> dict[str, Any]:
    results: dict[str, Any] = {}
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-hub-")))
        (root / "sqlite").mkdir()
        results["sqlite"] = _run_backend(root / "sqlite", "")
        reason = unavailable_reason()
        if reason is None:
            server = stack.enter_context(postgres_server())
            (root / "postgresql").mkdir()
            results["postgresql"] = _run_backend(root / "postgresql", server.create_database())
        else:
            results["postgresql"] = {"skipped": reason}
    return results
