"""Re-judging a stored interview under another policy, from its observation track alone.

The kiosk kept, per proctoring run, the numbers its rules read (`integrity.track` chunks); this
reads them back, runs the same rule code under `policy` and pairs the result with the events
that were recorded live. Snapshots stay the human evidence; this makes the thresholds
accountable. Used by `kiosk proctor --replay`.
"""

from __future__ import annotations

from dataclasses import dataclass

from integrity.policy import Policy
from integrity.replay import Comparison, JudgedEvent, compare, replay
from integrity.track import TrackError, decode_chunk, runs_of
from kiosk.domain.model import InterviewSession
from kiosk.proctoring import judged
from kiosk.sessions import SessionService
from kiosk.storage.media import MediaError


class NoTrackError(LookupError):
    """The session has no observation track to replay; the message says why it may not."""


@dataclass(frozen=True)
class Rejudgement:
    session: InterviewSession
    live_policy_digest: str
    policy_digest: str
    original: tuple[JudgedEvent, ...]
    rejudged: tuple[JudgedEvent, ...]
    comparison: Comparison
    observations: int


def rejudge(service: SessionService, session_ref: str, policy: Policy) -> Rejudgement:
    """The session's camera events under `policy` against the stored ones.

    Raises `UnknownSessionKeyError` / `SessionKeyError` for an unknown session, `NoTrackError`
    when it has no track, and `TrackError` when a chunk is missing, altered or unreadable.
    """
    session = service.find(session_ref)
    chunks = service.observation_chunks(session.session_id)
    if not chunks:
        raise NoTrackError(
            f"session {session.session_key} has no observation track: it was not proctored "
            "by camera, or was proctored before this kiosk kept tracks"
        )
    decoded = []
    for chunk in chunks:
        try:
            decoded.append(decode_chunk(service.media.read(chunk.track)))
        except MediaError as error:
            raise TrackError(f"observation chunk {chunk.seq} of a run: {error}") from None
    runs = runs_of(decoded)
    record = service.load(session.session_id)
    original = tuple(judged(e) for e in record.events)
    rejudged = replay(runs, policy)
    return Rejudgement(
        session=session,
        live_policy_digest=runs[0].policy_digest,
        policy_digest=policy.digest(),
        original=original,
        rejudged=rejudged,
        comparison=compare(original, rejudged),
        observations=sum(len(run.records) for run in runs),
    )
