"""Re-judging a synced interview under another proctoring policy, and the reviewer's decision.

The kiosk syncs each interview's observation track (the numbers its rules read, in chunks);
here the same rule code (`integrity`, the one package besides `contract` the hub may import)
runs over it under a policy a reviewer uploads or picks, and the result is shown side by side
with the events the kiosk recorded live. A decision on that basis is stored with the policy's
text and digest and the differences it was shown, and written to the audit log. Nothing here
changes the recorded events: the original judgement stays as it was made.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.proctoring import EventKind, Severity
from hub.blobs import BlobStore
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import InterviewSession, ProctoringEvent, ReplayDecision
from hub.errors import InvalidInputError, NotFoundError
from hub.uow import UnitOfWork
from hub.views import PortalUser
from integrity.policy import DEFAULT_POLICY_PATH, PolicyError, parse_policy
from integrity.replay import Comparison, JudgedEvent, compare, replay
from integrity.track import TrackError, decode_chunk, runs_of

#: A proctoring policy is a short TOML file; anything larger is not one.
MAX_POLICY_BYTES = 64 * 1024
DECISIONS = {
    "original_stands": "the original judgement stands",
    "rejudged_stands": "the re-judged events stand",
}
STANDARD = "standard"


@dataclass(frozen=True, slots=True)
class PolicyChoice:
    """A policy the reviewer can pick: the kiosk's standard one, or one used before here."""

    key: str  # "standard" or a digest
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class SideBySide:
    """One row of the comparison: the original event, the re-judged one, and what happened."""

    original: JudgedEvent | None
    rejudged: JudgedEvent | None
    mark: str  # same | changed | removed | added


@dataclass(frozen=True, slots=True)
class ReplayView:
    policy_text: str
    policy_origin: str
    policy_digest: str
    original_policy_digest: str
    observations: int
    comparison: Comparison
    rows: tuple[SideBySide, ...]


@dataclass(frozen=True, slots=True)
class DecisionView:
    decision: str
    comment: str
    decided_by: str
    decided_at: object
    policy_digest: str
    original_policy_digest: str
    differences: tuple[str, ...]


def _judged(event: ProctoringEvent) -> JudgedEvent:
    return JudgedEvent(
        EventKind(event.kind),
        Severity(event.severity),
        round(event.start, 3),
        round(event.end, 3),
        round(event.confidence, 4),
        event.detail,
        tuple(sorted((event.thresholds or {}).items())),
    )


def _rows(c: Comparison) -> tuple[SideBySide, ...]:
    rows = [
        *(SideBySide(e, e, "same") for e in c.unchanged),
        *(SideBySide(ch.before, ch.after, "changed") for ch in c.changed),
        *(SideBySide(e, None, "removed") for e in c.removed),
        *(SideBySide(None, e, "added") for e in c.added),
    ]
    return tuple(sorted(rows, key=lambda r: (r.original or r.rejudged).start))  # type: ignore[union-attr]


class Replays:
    def __init__(self, database: HubDatabase, blobs: BlobStore, clock: Clock = utc_now) -> None:
        self._database = database
        self._blobs = blobs
        self._now = clock

    @staticmethod
    def _own(uow: UnitOfWork, user: PortalUser, session_id: str) -> InterviewSession:
        """The session if it is the user's organisation's; any other is not found."""
        row = uow.sessions.get(session_id)
        if row is None or row.org_id != user.org_id:
            raise NotFoundError("no such session in your organisation")
        return row

    def choices(self, user: PortalUser) -> list[PolicyChoice]:
        """The standard policy, then every other policy this organisation decided under."""
        standard = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
        seen = {parse_policy(standard).digest()}
        found = [PolicyChoice(STANDARD, "the kiosk's standard policy", standard)]
        with UnitOfWork(self._database) as uow:
            for used in uow.sessions.replay_decisions_of_org(user.org_id):
                if used.policy_digest not in seen:
                    seen.add(used.policy_digest)
                    label = f"policy {used.policy_digest[:12]} (used {used.decided_at:%Y-%m-%d})"
                    found.append(PolicyChoice(used.policy_digest, label, used.policy_text))
        return found

    def rejudge(
        self, user: PortalUser, session_id: str, policy_text: str, origin: str
    ) -> ReplayView:
        """The session's camera events under the policy in `policy_text`, beside the originals."""
        with UnitOfWork(self._database) as uow:
            row = self._own(uow, user, session_id)
            chunks = [(c.track_sha256, c.seq) for c in uow.sessions.observation_chunks(row.id)]
            original = tuple(_judged(e) for e in uow.sessions.events(row.id))
        if len(policy_text.encode()) > MAX_POLICY_BYTES:
            raise InvalidInputError("a proctoring policy is a short TOML file; this one is too big")
        try:
            policy = parse_policy(policy_text, origin=origin)
        except PolicyError as error:
            raise InvalidInputError(str(error)) from None
        if not chunks:
            raise InvalidInputError(
                "this session has no observation track: it was not proctored by camera, or its "
                "kiosk has not synced the track yet"
            )
        try:
            decoded = [decode_chunk(self._blobs.read(user.org_id, sha)) for sha, _ in chunks]
            runs = runs_of(decoded)
        except FileNotFoundError:
            raise NotFoundError("part of the observation track is no longer stored") from None
        except TrackError as error:
            raise InvalidInputError(f"the observation track cannot be replayed: {error}") from None
        comparison = compare(original, replay(runs, policy))
        return ReplayView(
            policy_text=policy_text,
            policy_origin=origin,
            policy_digest=policy.digest(),
            original_policy_digest=runs[0].policy_digest,
            observations=sum(len(run.records) for run in runs),
            comparison=comparison,
            rows=_rows(comparison),
        )

    def decide(
        self, user: PortalUser, session_id: str, policy_text: str, decision: str, comment: str
    ) -> ReplayDecision:
        """Record the reviewer's decision on a re-judgement, computed again here (the page's
        copy is never trusted), and audit it."""
        with UnitOfWork(self._database) as uow:
            self._own(uow, user, session_id)
        if decision not in DECISIONS:
            raise InvalidInputError("decide whether the original or the re-judged events stand")
        if not comment.strip():
            raise InvalidInputError("say why in a comment: the decision is audited")
        view = self.rejudge(user, session_id, policy_text, "(as re-judged)")
        now = self._now()
        record = ReplayDecision(
            session_id=session_id,
            policy_digest=view.policy_digest,
            policy_text=policy_text,
            original_policy_digest=view.original_policy_digest,
            differences=view.comparison.lines(),
            decision=decision,
            comment=comment.strip()[:2000],
            decided_by=user.email,
            decided_at=now,
        )
        with UnitOfWork(self._database) as uow:
            uow.sessions.add_replay_decision(record)
            uow.audit.record(
                user.org_id,
                user.email,
                "replay.decided",
                session_id,
                f"{DECISIONS[decision]} (policy {view.policy_digest[:12]} against "
                f"{view.original_policy_digest[:12]}; {len(view.comparison.added)} added, "
                f"{len(view.comparison.removed)} removed, {len(view.comparison.changed)} "
                f"changed): {record.comment}",
                now,
            )
            uow.commit()
        return record

    def decisions(self, user: PortalUser, session_id: str) -> list[DecisionView]:
        with UnitOfWork(self._database) as uow:
            row = self._own(uow, user, session_id)
            return [
                DecisionView(
                    DECISIONS.get(d.decision, d.decision),
                    d.comment,
                    d.decided_by,
                    d.decided_at,
                    d.policy_digest,
                    d.original_policy_digest,
                    tuple(d.differences),
                )
                for d in uow.sessions.replay_decisions(row.id)
            ]
