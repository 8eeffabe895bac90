"""A job's candidates taken out of the hub: a CSV for a spreadsheet, a zip of their PDF reports.

The CSV is opened by spreadsheet programs that run a cell starting with `=`, `+`, `-` or `@` as
a formula (a candidate named `=HYPERLINK(...)` would become a link, or worse): such a cell is
written with a leading apostrophe, which the spreadsheet shows as text (OWASP's advice).

The zip is written to a spooled temporary file: in memory up to `SPOOL_BYTES`, on disk beyond,
so a job with hundreds of reports never holds them all in memory; it is then sent in chunks.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from typing import IO

from hub import glossary
from hub.services.jobs import CRITERIA, Candidate
from hub.views import StoredMedia

#: Characters that make a spreadsheet read a cell as a formula (tab and CR too, per OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


def safe_cell(value: object) -> str:
    """`value` as a CSV cell no spreadsheet runs as a formula."""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def candidates_csv(candidates: Sequence[Candidate]) -> str:
    """One row per session, with human headers and one column per rubric criterion."""
    names = [glossary.criterion(c) for c in CRITERIA]
    extra = sorted({s.name for c in candidates for s in c.criteria} - set(names))
    columns = [*names, *extra]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Rank",
            "Candidate",
            "Session key",
            "Status",
            "Overall score (out of 10)",
            *(f"{name} (out of 10)" for name in columns),
            "Recommendation",
            "Integrity",
            "Flags",
            "Decision",
            "Shortlisted",
            "Booked on (UTC)",
        ]
    )
    for rank, c in enumerate(candidates, start=1):
        scores = {s.name: f"{s.score:.1f}" for s in c.criteria}
        writer.writerow(
            safe_cell(v)
            for v in (
                rank,
                c.name,
                c.session_key,
                c.state_words,
                "" if c.overall is None else f"{c.overall:.1f}",
                *(scores.get(name, "") for name in columns),
                c.recommendation,
                c.integrity_words,
                c.review_words,
                c.decision,
                "yes" if c.shortlisted else "no",
                f"{c.created_at:%Y-%m-%d %H:%M}",
            )
        )
    return out.getvalue()


def report_name(candidate: Candidate) -> str:
    """A file name for the candidate's report: their name made safe, and the session key."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", candidate.name).strip("-")[:60] or "candidate"
    return f"{name}-{candidate.session_key}.pdf"


def reports_zip(
    candidates: Sequence[Candidate], report: Callable[[str], StoredMedia]
) -> IO[bytes]:
    """A zip of the candidates' PDF reports (those that have one), rewound for reading."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for candidate in candidates:
            if not candidate.has_report:
                continue
            media = report(candidate.session_id)
            with archive.open(report_name(candidate), "w") as member:
                for chunk in media.read(0, media.size):
                    member.write(chunk)
    spool.seek(0)
    return spool


def chunks(file: IO[bytes]) -> Iterator[bytes]:
    """The file's bytes in chunks, closing it at the end (a streamed response's body)."""
    with file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk
