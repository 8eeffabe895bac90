"""The session list's sorts at scale: two organisations of 10,000 sessions each (a fifth not
scored yet, flags on half of them), on SQLite and (when Debian's PostgreSQL and psycopg are there)
PostgreSQL.

Reported per sort column and direction: the median time of the list's page query (50 rows) for
the first and the last page, through `SessionListRepository` as the portal runs it. Target: every
page <= 200 ms. The machine is shared: figures are indicative.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.integration.hub.postgres import postgres_server, unavailable_reason

from hub.db.database import HubDatabase, open_database
from hub.db.models import InterviewSession, Organisation, ProctoringEvent
from hub.repositories.session_list import ListQuery, SessionListRepository
from hub.repositories.session_sort import DIRECTIONS, FIRST_DIRECTION, ListSort

SESSIONS = 10_000  # per organisation
PAGE = 50
REPEATS = 5
TARGET_MS = 200.0
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _fill(database: HubDatabase) -> None:
    rng = random.Random(1)
    with database.sessions() as db:
        for org in ("a", "b"):
            db.add(Organisation(id=org, name=f"Organisation {org}", created_at=NOW))
        db.flush()
        for org in ("a", "b"):
            for n in range(SESSIONS):
                row = InterviewSession(
                    id=str(uuid.uuid4()), org_id=org, session_key=f"{org.upper()}{n:08d}",
                    origin="hub", state=rng.choice(["created", "in_progress", "synced"]),
                    candidate_name=f"Candidate {rng.randrange(10**6)}", job_title="Engineer",
                    created_at=NOW - timedelta(minutes=rng.randrange(10**5)),
                    expires_at=NOW + timedelta(days=3), updated_at=NOW,
                )
                if rng.random() >= 0.2:
                    row.evaluation = {
                        "overall": {"technical": rng.randrange(101) / 10},
                        "recommendation": rng.choice(["strong_yes", "yes", "no", "strong_no"]),
                    }
                db.add(row)
                for _ in range(rng.choice([0, 0, 1, 2, 5])):
                    db.add(ProctoringEvent(
                        id=str(uuid.uuid4()), session_id=row.id, kind="multiple_people",
                        severity="high", confidence=0.9, start=0.0, end=1.0, detector="bench",
                        review=rng.choice(["open", "confirmed"]),
                    ))
            db.flush()
        db.commit()


def _median_ms(database: HubDatabase, sort: ListSort, offset: int) -> float:
    runs = []
    for _ in range(REPEATS):
        with database.sessions() as db:
            started = time.perf_counter()
            SessionListRepository(db).page("a", ListQuery(sort=sort), NOW, None, PAGE, offset)
            runs.append(time.perf_counter() - started)
    return round(statistics.median(runs) * 1000, 1)


def _run_backend(url: str) -> dict[str, Any]:
    database = open_database(url)
    try:
        _fill(database)
        pages: dict[str, dict[str, float]] = {}
        for column in FIRST_DIRECTION:
            for direction in DIRECTIONS:
                sort = ListSort(column, direction)
                pages[f"{column}_{direction}"] = {
                    "first_page_ms": _median_ms(database, sort, 0),
                    "last_page_ms": _median_ms(database, sort, SESSIONS - PAGE),
                }
    finally:
        database.close()
    slowest = max(t for each in pages.values() for t in each.values())
    return {"sessions_per_org": SESSIONS, "pages": pages, "slowest_ms": slowest,
            "target_ms": TARGET_MS, "met": slowest <= TARGET_MS}


def run() -> dict[str, Any]:
    results: dict[str, Any] = {}
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-list-")))
        results["sqlite"] = _run_backend(f"sqlite:///{root / 'hub.sqlite3'}")
        reason = unavailable_reason()
        if reason is None:
            server = stack.enter_context(postgres_server())
            results["postgresql"] = _run_backend(server.create_database())
        else:
            results["postgresql"] = {"skipped": reason}
    return results
