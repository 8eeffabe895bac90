"""The observation track on disk and on the wire: gzip-compressed JSON-lines chunks.

A chunk is self-describing: its first line is a header (format version, the detectors that
measured, the live policy's digest, the run and the chunk's place in it), then one line per
record with short keys. Chunks are written every `CHUNK_SECONDS` of media time while the interview
runs, so a crash loses at most the chunk being filled; each is an ordinary blob that syncs like
a snapshot. JSON lines rather than a binary format: a reviewer or an auditor can read a chunk
with `zcat`, and gzip takes the repetition out (see `make bench`: bytes per minute).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from integrity.observation import (
    CameraStatus,
    Observation,
    Pose,
    SeenFace,
    SeenObject,
    TrackRecord,
)

FORMAT_VERSION = 1
#: Media seconds per chunk: what a crash can lose at most, against one blob per 10 s.
CHUNK_SECONDS = 10.0
CONTENT_TYPE = "application/x-ndjson+gzip"


class TrackError(ValueError):
    """A chunk is not gzip, not JSON lines, or not an observation track; the message says why."""


@dataclass(frozen=True)
class TrackHeader:
    """Who measured a run's observations, and under which policy they were judged live."""

    run_id: str
    seq: int
    face_detector: str
    object_detector: str
    policy_digest: str


@dataclass(frozen=True)
class Chunk:
    header: TrackHeader
    records: tuple[TrackRecord, ...]

    @property
    def start(self) -> float:
        return self.records[0].t if self.records else 0.0

    @property
    def end(self) -> float:
        return self.records[-1].t if self.records else 0.0


def _record_json(record: TrackRecord) -> dict[str, Any]:
    if isinstance(record, CameraStatus):
        return {"t": record.t, "lost": record.lost, "why": record.detail}
    line: dict[str, Any] = {
        "t": record.t,
        "s": list(record.size),
        "m": record.mean,
        "d": record.std,
        "c": record.change,
    }
    if record.faces:
        line["f"] = [[f.x, f.y, f.width, f.height, f.score] for f in record.faces]
        line["pi"] = record.primary
    if record.pose is not None:
        line["p"] = [record.pose.yaw, record.pose.pitch, record.pose.roll]
    if record.objects:
        line["o"] = [[o.label, o.score, o.x, o.y, o.width, o.height] for o in record.objects]
    return line


def _record_from(line: dict[str, Any]) -> TrackRecord:
    if "lost" in line:
        return CameraStatus(float(line["t"]), bool(line["lost"]), str(line.get("why", "")))
    pose = line.get("p")
    return Observation(
        t=float(line["t"]),
        size=(int(line["s"][0]), int(line["s"][1])),
        mean=float(line["m"]),
        std=float(line["d"]),
        change=None if line["c"] is None else float(line["c"]),
        faces=tuple(SeenFace(*(float(v) for v in f)) for f in line.get("f", ())),
        primary=line.get("pi"),
        pose=Pose(*(float(v) for v in pose)) if pose is not None else None,
        objects=tuple(
            SeenObject(str(o[0]), *(float(v) for v in o[1:])) for o in line.get("o", ())
        ),
    )


def encode_chunk(header: TrackHeader, records: Sequence[TrackRecord]) -> bytes:
    """One chunk's bytes (gzip with a fixed mtime, so the same records give the same blob)."""
    lines = [
        {
            "track": FORMAT_VERSION,
            "run": header.run_id,
            "seq": header.seq,
            "face_detector": header.face_detector,
            "object_detector": header.object_detector,
            "policy_digest": header.policy_digest,
        },
        *(_record_json(r) for r in records),
    ]
    text = "\n".join(json.dumps(line, separators=(",", ":")) for line in lines) + "\n"
    return gzip.compress(text.encode(), compresslevel=9, mtime=0)


def decode_chunk(data: bytes) -> Chunk:
    """A chunk's header and records; `TrackError` if it is not one."""
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise TrackError(f"an observation chunk is not readable gzip text: {error}") from None
    try:
        head, *lines = [json.loads(line) for line in text.splitlines() if line]
        if head.get("track") != FORMAT_VERSION:
            raise TrackError(f"unknown observation track format {head.get('track')!r}")
        header = TrackHeader(
            run_id=str(head["run"]),
            seq=int(head["seq"]),
            face_detector=str(head["face_detector"]),
            object_detector=str(head["object_detector"]),
            policy_digest=str(head["policy_digest"]),
        )
        return Chunk(header, tuple(_record_from(line) for line in lines))
    except TrackError:
        raise
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        raise TrackError(f"an observation chunk is damaged: {error!r}") from None


@dataclass(frozen=True)
class Run:
    """One proctoring run's whole track (a resumed interview has several runs)."""

    run_id: str
    face_detector: str
    object_detector: str
    policy_digest: str
    records: tuple[TrackRecord, ...]


def runs_of(chunks: Iterable[Chunk]) -> list[Run]:
    """Chunks grouped into runs, each in order; a run with a missing chunk is refused, since
    hysteresis over a gap would invent or lose events."""
    by_run: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_run.setdefault(chunk.header.run_id, []).append(chunk)
    runs = []
    for run_id, parts in by_run.items():
        parts.sort(key=lambda c: c.header.seq)
        seqs = [c.header.seq for c in parts]
        if seqs != list(range(len(parts))):
            raise TrackError(
                f"observation track run {run_id[:8]} has chunks {seqs}: one is missing"
            )
        head = parts[0].header
        records = tuple(r for c in parts for r in c.records)
        runs.append(
            Run(run_id, head.face_detector, head.object_detector, head.policy_digest, records)
        )
    runs.sort(key=lambda run: (run.records[0].t if run.records else 0.0))
    return runs


__all__ = [
    "CHUNK_SECONDS",
    "CONTENT_TYPE",
    "Chunk",
    "Run",
    "TrackError",
    "TrackHeader",
    "decode_chunk",
    "encode_chunk",
    "runs_of",
]
