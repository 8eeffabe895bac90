"""What of a session's personal data is still on a kiosk: on disk and in the database.

Read straight from the SQLite file and the folders (not through the kiosk's own code), so a test
that uses it cannot be fooled by the code it checks.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

#: Columns of the sessions table that hold personal data; the tombstone keeps none of them.
PERSONAL_SESSION_COLUMNS = (
    "candidate_name",
    "candidate_email",
    "resume_text",
    "job_title",
    "job_text",
    "evaluation",
)
#: Tables whose every row about a session is personal (transcripts, pictures, judgements).
PERSONAL_TABLES = (
    "questions",
    "answers",
    "proctoring_events",
    "id_checks",
    "reports",
    "integrity_summaries",
    "observation_chunks",
)


def files_under(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def personal_rows(db_path: Path, session_id: str) -> list[str]:
    """Every place in the database where the session still has personal data, described."""
    found: list[str] = []
    with sqlite3.connect(db_path) as db:
        row = db.execute(
            f"SELECT {', '.join(PERSONAL_SESSION_COLUMNS)} FROM sessions WHERE id = ?",
            (session_id,),
        ).fetchone()
        if row is not None:
            for name, value in zip(PERSONAL_SESSION_COLUMNS, row, strict=True):
                if value not in (None, "", "null"):
                    found.append(f"sessions.{name} = {value!r:.60}")
        for table in PERSONAL_TABLES:
            count = db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            if count:
                found.append(f"{count} row(s) in {table}")
        scores = db.execute(
            "SELECT COUNT(*) FROM answer_scores WHERE answer_id IN "
            "(SELECT id FROM answers WHERE session_id = ?)",
            (session_id,),
        ).fetchone()[0]
        if scores:
            found.append(f"{scores} row(s) in answer_scores")
        reasons = db.execute(  # the erasure's own note ("erased: retention") is no one's data
            "SELECT COUNT(*) FROM state_changes WHERE session_id = ? AND reason != '' "
            "AND reason NOT LIKE 'erased: %'",
            (session_id,),
        ).fetchone()[0]
        if reasons:
            found.append(f"{reasons} state change(s) with a free-text reason")
        outbox = db.execute(
            "SELECT COUNT(*) FROM outbox WHERE aggregate_id = ?", (session_id,)
        ).fetchone()[0]
        if outbox:
            found.append(f"{outbox} outbox row(s) with the session's payloads")
    return found


def strings_in_database(db_path: Path, needles: list[str]) -> list[str]:
    """Which of `needles` (a name, an e-mail, a phrase of the resume) the database still holds,
    anywhere: every table's full dump is searched, JSON payloads included."""
    with sqlite3.connect(db_path) as db:
        dump = "\n".join(db.iterdump())
    # JSON columns escape non-ASCII letters ("Zo\\u00eb"): search both spellings
    return [n for n in needles if n in dump or json.dumps(n)[1:-1] in dump]
