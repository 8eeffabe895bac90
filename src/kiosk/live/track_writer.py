"""Writing one proctoring run's observation track while the interview runs.

The proctor hands every observation its rules judged to `add` (on the proctoring thread); every
`integrity.track.CHUNK_SECONDS` of media time the buffer becomes one gzip chunk, stored and
queued for the hub through the serial writer like any other record. A crash loses at most the
chunk being filled; `close` writes the last, partial one when the run ends.
"""

from __future__ import annotations

from integrity.observation import TrackRecord
from integrity.track import CHUNK_SECONDS, TrackHeader, encode_chunk
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService
from proctor import ProctorSession


class TrackWriter:
    def __init__(
        self,
        proctor: ProctorSession,
        *,
        session_id: str,
        service: SessionService,
        writer: SerialWriter,
    ) -> None:
        self._session_id = session_id
        self._service = service
        self._writer = writer
        detectors = proctor.detectors
        self._header = TrackHeader(
            run_id=proctor.run_id,
            seq=0,
            face_detector=detectors.face.name,
            object_detector=detectors.objects.name,
            policy_digest=proctor.policy.digest(),
        )
        self._buffer: list[TrackRecord] = []
        self._seq = 0

    def add(self, record: TrackRecord) -> None:
        self._buffer.append(record)
        if record.t - self._buffer[0].t >= CHUNK_SECONDS:
            self._flush()

    def close(self) -> None:
        """Write what is left of the run (nothing when the last chunk was just written)."""
        if self._buffer:
            self._flush()

    def _flush(self) -> None:
        records, self._buffer = self._buffer, []
        header = TrackHeader(**{**self._header.__dict__, "seq": self._seq})
        self._writer.submit(
            self._service.record_observations,
            self._session_id,
            run_id=header.run_id,
            seq=self._seq,
            start=records[0].t,
            end=records[-1].t,
            records=len(records),
            chunk=encode_chunk(header, records),
        )
        self._seq += 1
