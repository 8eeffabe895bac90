"""`kiosk transcribe` on real files of every supported format."""

from __future__ import annotations

import json
from pathlib import Path

import av
import soundfile as sf
from tests.integration.speech.speechkit import Clip, corpus_wer

from kiosk.cli import main as kiosk_main


def test_json_report_has_segments_text_metrics_and_timings(
    answer_clip: Clip, tmp_path: Path, capsys
) -> None:
    path = tmp_path / "answer.flac"
    sf.write(str(path), answer_clip.audio, 16_000)
    assert kiosk_main(["transcribe", str(path), "--threads", "2", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert corpus_wer([answer_clip.text], [report["text"]]) <= 0.20  # accuracy: test_accuracy.py
    assert report["segments"][0]["start"] >= answer_clip.speech_start - 0.4
    assert report["metrics"]["word_count"] == len(report["text"].split())
    assert 100 < report["metrics"]["words_per_minute"] < 250
    assert report["timings"]["whisper_s"] > 0
    assert report["options"]["model"] == "tiny.en"


def test_mp3_at_44k_stereo_is_transcribed(answer_clip: Clip, tmp_path: Path, capsys) -> None:

    # A 44.1 kHz stereo MP3 written with PyAV (FFmpeg's own resampler upsamples the clip).
    path = tmp_path / "answer.mp3"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libmp3lame", rate=44_100, layout="stereo")
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=44_100)
        frame = av.AudioFrame.from_ndarray(
            answer_clip.audio.reshape(1, -1), format="flt", layout="mono"
        )
        frame.sample_rate = 16_000
        for out in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(out):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    assert kiosk_main(["transcribe", str(path)]) == 0
    text = capsys.readouterr().out
    assert "small team" in text.lower()
