"""Re-scoring a session from the portal: the checks, the audit trail, and the run itself.

`start` runs in the request: it refuses what cannot be done (no key, nothing provisional, a run
already going) and records who asked. `run` is handed to a background task, so the page answers
at once however slow Gemini is; it records how many scores were replaced and how many kept, and
why; when none is kept provisional it completes the record (evaluation recomputed, PDF
regenerated: `completion.complete_record`) and says so in the same entry. One run per session at
a time across every hub process: a run claims the session's row (`rescore_started_at`, under a
row lock) and frees it when it ends; the claim of a process that died mid-run lapses after
`STALE_AFTER`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from hub.blobs import BlobStore
from hub.clock import Clock, utc_now
from hub.container import build_blob_store
from hub.db.database import HubDatabase
from hub.errors import ConflictError, UnavailableError
from hub.rescoring import provisional_answers, rescore_provisional
from hub.rescoring.completion import complete_record
from hub.rescoring.gemini import GeminiRescorer
from hub.settings import APP_NAME, GEMINI_KEY_NAME, HubSettings
from hub.uow import UnitOfWork
from hub.views import AuditView, PortalUser, SessionDetail

_log = logging.getLogger(__name__)
#: Longer than any run takes (each answer is a few bounded Gemini calls): an older claim was left
#: by a hub process that died mid-run, and no longer blocks a new one.
STALE_AFTER = timedelta(minutes=30)
REQUESTED = "scores.rescore_requested"
FINISHED = "scores.rescore_finished"
FAILED = "scores.rescore_failed"
#: What HR reads; the operator's instruction (environment variable, keyring) goes to the log.
NO_KEY = "this hub has no Gemini API key yet: the people who run the hub can add one"
OPERATOR_NO_KEY = (
    "no Gemini API key: re-scoring is off (set HUB_GEMINI_API_KEY, or store one with "
    f"`keyring set {APP_NAME} {GEMINI_KEY_NAME}`, and restart the hub)"
)


@dataclass(frozen=True, slots=True)
class RescoreJob:
    org_id: str
    actor: str
    session_id: str
    session_key: str


@dataclass(frozen=True, slots=True)
class RescoreStatus:
    """What the session page says about re-scoring."""

    available: bool
    reason: str  # why it is not available
    running: bool
    last: AuditView | None  # the latest finished (or failed) run of this session


class RescoreJobs:
    def __init__(
        self,
        database: HubDatabase,
        make_rescorer: Callable[[], GeminiRescorer] | None,
        model: str,
        unavailable: str = "",
        clock: Clock = utc_now,
        blobs: BlobStore | None = None,
    ) -> None:
        self._database = database
        self._blobs = blobs
        self._make = make_rescorer
        self._model = model
        self._unavailable = unavailable
        self._now = clock

    @classmethod
    def from_settings(
        cls, database: HubDatabase, settings: HubSettings, *, clock: Clock = utc_now
    ) -> RescoreJobs:
        """Read the key once, at start-up: a keyring lookup per page view could be slow."""
        key = settings.gemini_key()
        blobs = build_blob_store(settings)  # the folder or the S3 store, as configured
        if key is None:
            _log.warning(OPERATOR_NO_KEY)
            return cls(database, None, settings.gemini_model, NO_KEY, clock, blobs)
        make = partial(
            GeminiRescorer,
            key,
            settings.gemini_model,
            base_url=settings.gemini_base_url,
            timeout_s=settings.gemini_timeout_seconds,
            attempts=settings.gemini_attempts,
        )
        return cls(database, make, settings.gemini_model, clock=clock, blobs=blobs)

    def running(self, session_id: str) -> bool:
        """Whether a run (in any hub process) holds the session now."""
        with UnitOfWork(self._database) as uow:
            row = uow.sessions.get(session_id)
            return row is not None and self._claimed(row.rescore_started_at)

    def _claimed(self, started_at: datetime | None) -> bool:
        return started_at is not None and started_at > self._now() - STALE_AFTER

    def status(self, detail: SessionDetail, log: Iterable[AuditView]) -> RescoreStatus:
        key = detail.summary.session_key
        last = next((a for a in log if a.target == key and a.action in (FINISHED, FAILED)), None)
        return RescoreStatus(
            self._make is not None,
            self._unavailable,
            self.running(detail.summary.session_id),
            last,
        )

    def start(self, user: PortalUser, detail: SessionDetail) -> RescoreJob:
        """Check the run can go ahead and record the request; the caller schedules `run`."""
        if self._make is None:
            raise UnavailableError(f"Re-scoring with Gemini is not available: {self._unavailable}")
        summary = detail.summary
        if summary.purged:
            raise ConflictError("this session's answers were erased: there is nothing to re-score")
        pending = detail.provisional_answers
        if not pending:
            raise ConflictError("no answer of this session has a provisional score any more")
        job = RescoreJob(user.org_id, user.email, summary.session_id, summary.session_key)
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.sessions.locked(summary.session_id)  # two processes cannot both claim it
            if row is None:
                raise ConflictError("this session no longer exists")
            if self._claimed(row.rescore_started_at):
                raise ConflictError("this session is being re-scored already: reload in a moment")
            row.rescore_started_at = now
            note = f"{pending} provisional answer(s), model {self._model}"
            uow.audit.record(job.org_id, job.actor, REQUESTED, job.session_key, note, now)
            uow.commit()
        return job

    def run(self, job: RescoreJob) -> None:
        """The background task: records a finished or a failed entry, and frees the session."""
        assert self._make is not None, "run() without a successful start()"
        try:
            with closing(self._make()) as rescorer:
                replaced = rescore_provisional(self._database, job.session_id, rescorer)
                problems = rescorer.summary()
            kept = len(provisional_answers(self._database, job.session_id))
            outcome = f"{replaced} replaced, {kept} kept provisional"
            if problems:
                outcome = f"{outcome}: {problems}"
            if replaced and not kept and self._blobs is not None:
                completed = complete_record(
                    self._database, self._blobs, job.session_id, self._now()
                )
                outcome = f"{outcome}; {completed}" if completed else outcome
            self._audit(job, FINISHED, outcome)
        except Exception as error:  # the request is long answered: record, never lose it
            _log.exception("re-scoring session %s failed", job.session_key)
            reason = f"re-scoring stopped by an internal error ({type(error).__name__})"
            self._audit(job, FAILED, reason)
        finally:
            self._release(job)

    def _release(self, job: RescoreJob) -> None:
        with UnitOfWork(self._database) as uow:
            row = uow.sessions.locked(job.session_id)
            if row is not None:
                row.rescore_started_at = None
                uow.commit()

    def _audit(self, job: RescoreJob, action: str, detail: str) -> None:
        with UnitOfWork(self._database) as uow:
            uow.audit.record(job.org_id, job.actor, action, job.session_key, detail, self._now())
            uow.commit()
