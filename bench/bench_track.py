"""The observation track: how many bytes a minute of proctoring costs to keep and sync, and how
fast the rules re-judge it.

Two sources, not in real time, so the figures do not depend on the machine's speed: the
labelled scene of `bench_proctor` (a calm candidate, then nobody, two people, a covered lens, a
phone...) as a 30 fps 640x480 camera, where the proctor analyses 10 frames a second of media time;
and the demo's real 5 fps recording, where it analyses every frame. Every analysed frame is a
track record, and the kiosk's chunking (10 s of media per gzip JSON-lines chunk) is applied.
`replay_matches_live` checks that the track re-judged under the live policy gives the live events.
"""

from __future__ import annotations

import gzip
import time
from dataclasses import replace
from pathlib import Path

from bench.bench_proctor import CAMERA_FPS, SCENE
from bench.proctor_eval import FRAME_SIZE
from integrity import JudgedEvent, decode_chunk, encode_chunk, replay, runs_of
from integrity.observation import TrackRecord
from integrity.policy import Policy
from integrity.track import CHUNK_SECONDS, TrackHeader
from proctor import ImageSequenceSource, ProctorSession, VideoFileSource, load_policy

#: A real (if short) camera recording: its numbers vary as a real candidate's do.
DEMO_VIDEO = Path(__file__).resolve().parents[1] / "resources" / "demo" / "media" / "camera.mp4"


def _chunks(records: list[TrackRecord]) -> list[list[TrackRecord]]:
    chunks: list[list[TrackRecord]] = [[]]
    for record in records:
        chunks[-1].append(record)
        if record.t - chunks[-1][0].t >= CHUNK_SECONDS:
            chunks.append([])
    return [c for c in chunks if c]


def run() -> dict[str, object]:
    policy = load_policy()
    return {
        "labelled_scene_30fps": _measure(
            ImageSequenceSource(SCENE.stills(), CAMERA_FPS, size=FRAME_SIZE), policy
        ),
        "demo_video_5fps": _measure(VideoFileSource(DEMO_VIDEO), policy),
    }


def _measure(source: ImageSequenceSource | VideoFileSource, policy: Policy) -> dict[str, object]:
    session = ProctorSession(policy)
    records: list[TrackRecord] = []
    finals = {e.id: e for e in session.run(source, track=records.append)}
    seconds = max(r.t for r in records)
    minutes = seconds / 60
    header = TrackHeader(
        session.run_id, 0, session.detectors.face.name, session.detectors.objects.name,
        policy.digest(),
    )
    blobs = [
        encode_chunk(replace(header, seq=seq), part) for seq, part in enumerate(_chunks(records))
    ]
    plain = len(_plain_text(records))
    started = time.perf_counter()
    replayed = replay(runs_of(decode_chunk(b) for b in blobs), policy)
    replay_s = time.perf_counter() - started
    live = sorted((JudgedEvent.of(e) for e in finals.values()), key=lambda e: (e.start, e.kind))
    return {
        "media_seconds": round(seconds, 1),
        "records": len(records),
        "records_per_second": round(len(records) / seconds, 2),
        "chunks": len(blobs),
        "gzip_bytes_per_minute": round(sum(map(len, blobs)) / minutes),
        "json_lines_bytes_per_minute": round(plain / minutes),
        "replay_ms_per_track_minute": round(replay_s * 1000 / minutes, 1),
        "replay_matches_live": tuple(live) == replayed,
        "events": len(live),
    }


def _plain_text(records: list[TrackRecord]) -> bytes:
    """The same records as uncompressed JSON lines (what gzip saves)."""
    return gzip.decompress(encode_chunk(TrackHeader("x", 0, "", "", ""), records))
