"""The live pipeline end to end: captions while speaking, recorder on disk, paced input."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import soundfile as sf
from faster_whisper.vad import get_vad_model
from tests.integration.speech.speechkit import Clip, blocks_of, corpus_wer, write_wav

from speech import (
    Answer,
    AnswerRecorder,
    FileSource,
    Partial,
    StreamingVad,
    TranscribeOptions,
    listen,
    recover_recording,
)


def test_captions_grow_while_speaking_and_final_follows(answer_clip: Clip) -> None:
    events = list(listen(blocks_of(answer_clip.audio), TranscribeOptions(partial_interval_s=1.0)))
    partials = [e for e in events if isinstance(e, Partial)]
    answer = events[-1]
    assert isinstance(answer, Answer)
    assert len(partials) >= 2
    assert partials[0].audio_time < answer.endpoint.speech_end  # captions before speech ended
    times = [p.audio_time for p in partials]
    assert times == sorted(times)
    # one sentence from a sampling voice varies run to run; accuracy is asserted on a corpus in
    # test_accuracy.py, here only that streaming yields the right words
    assert corpus_wer([answer_clip.text], [answer.transcript.text]) <= 0.20
    # Everything was transcribed during the trailing silence: nothing is left at the end.
    assert answer.transcript.timings.finalize_s < 0.05


def test_word_timestamps_lie_inside_the_speech(answer_clip: Clip) -> None:
    transcript = next(
        e for e in listen(blocks_of(answer_clip.audio)) if isinstance(e, Answer)
    ).transcript
    assert transcript.words
    assert transcript.words[0].start >= answer_clip.speech_start - 0.4
    assert transcript.words[-1].end <= answer_clip.speech_end + 0.4
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)


def test_recorder_keeps_the_answer_audio(answer_clip: Clip, tmp_path: Path) -> None:
    recorder = AnswerRecorder(tmp_path / "q1.wav")
    answer = next(
        e for e in listen(blocks_of(answer_clip.audio), recorder=recorder) if isinstance(e, Answer)
    )
    path = recorder.close()
    recorded, rate = sf.read(str(path), dtype="float32")
    assert rate == 16_000
    assert recorded.size / rate >= answer.endpoint.decided_at - 0.1
    # The recorder clips at full scale; piper samples its voice and now and then peaks a
    # little past 1.0, so the source is compared as the recorder must store it.
    source = np.clip(answer_clip.audio[: 16_000 * 3], -1.0, 1.0)
    assert np.max(np.abs(recorded[: 16_000 * 3] - source)) < 1e-3


def test_recording_left_by_a_crash_is_recovered(answer_clip: Clip, tmp_path: Path) -> None:
    with AnswerRecorder(tmp_path / "q2.wav", flush_interval_s=0.0) as recorder:
        for block in blocks_of(answer_clip.audio[: 16_000 * 4]):
            recorder.write(block)
        # Power cut: what is on disk now is all a restarted kiosk will find.
        on_disk = tmp_path / "crashed" / recorder.partial_path.name
        on_disk.parent.mkdir()
        on_disk.write_bytes(recorder.partial_path.read_bytes())
    recovered = recover_recording(on_disk)
    audio, rate = sf.read(str(recovered), dtype="float32")
    assert (rate, audio.size) == (16_000, 16_000 * 4)
    assert recovered.name == "q2.wav"
    assert not on_disk.exists()


def test_paced_file_source_runs_in_real_time_and_gives_the_same_text(
    answer_clip: Clip, tmp_path: Path
) -> None:
    path = write_wav(tmp_path / "answer.wav", answer_clip.audio[: int(16_000 * 5.5)])
    started = time.monotonic()
    events = list(listen(FileSource(path, realtime=True)))
    elapsed = time.monotonic() - started
    assert elapsed >= 5.0
    assert "small team" in events[-1].transcript.text.lower()


def test_streaming_vad_matches_faster_whisper_batch_helper(answer_clip: Clip) -> None:
    audio = answer_clip.audio[: answer_clip.audio.size // 512 * 512]
    expected = get_vad_model()(audio).reshape(-1)
    vad = StreamingVad()
    streamed = np.concatenate([vad.push(b) for b in blocks_of(audio, 1000)])
    np.testing.assert_allclose(streamed, expected, atol=1e-5)
