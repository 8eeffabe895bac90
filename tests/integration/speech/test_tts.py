"""Text-to-speech: both engines write WAVs Whisper can read back; synthesis is cached."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
from tests.integration.speech.speechkit import corpus_wer, run_answer, silence

from kiosk.cli import main as kiosk_main
from speech import SynthesisOptions, load_audio, synthesize

QUESTION = "Tell me about a time you disagreed with a colleague. How did you resolve it?"


def test_piper_question_round_trips_through_whisper(tmp_path: Path) -> None:
    speech = synthesize(QUESTION, cache_dir=tmp_path)
    assert speech.engine == "piper"
    assert speech.fallback_reason is None
    assert speech.sample_rate == 22_050
    audio = load_audio(speech.path)
    transcript = run_answer(np.concatenate([audio, silence(3.0)])).transcript
    assert corpus_wer([QUESTION], [transcript.text]) <= 0.10


def test_cache_hit_returns_the_same_file_without_synthesising(tmp_path: Path) -> None:
    first = synthesize(QUESTION, cache_dir=tmp_path)
    second = synthesize(QUESTION, cache_dir=tmp_path)
    other = synthesize(QUESTION + " Take your time.", cache_dir=tmp_path)
    assert not first.cached and second.cached
    assert second.path == first.path
    assert other.path != first.path
    assert second.synthesis_s < first.synthesis_s / 10


def test_espeak_multi_sentence_text_writes_all_of_it(tmp_path: Path) -> None:
    options = SynthesisOptions(engine="espeak", fallback=False)
    short = synthesize("Hello there.", options=options, cache_dir=tmp_path)
    long = synthesize(QUESTION + " Please take your time.", options=options, cache_dir=tmp_path)
    assert long.engine == "espeak"
    assert long.duration > 3 * short.duration


def test_piper_falls_back_to_espeak_when_its_voice_is_missing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KIOSK_MODELS_DIR", str(tmp_path / "no-models"))
    speech = synthesize("Welcome to your interview.", cache_dir=tmp_path)
    assert speech.engine == "espeak"
    assert "piper" in speech.fallback_reason and "missing" in speech.fallback_reason


def test_kiosk_say_writes_the_wav(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "q.wav"
    assert kiosk_main(["say", "What motivates you?", "--out", str(out), "--engine", "espeak"]) == 0
    assert sf.info(str(out)).frames > 0
    assert "by espeak" in capsys.readouterr().out


def test_kiosk_say_with_missing_voice_and_no_fallback_exits_2(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_MODELS_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "q.wav"
    assert kiosk_main(["say", "Hello", "--out", str(out), "--engine", "piper"]) == 2
    assert "piper-en_US-joe-medium" in capsys.readouterr().err
    assert not out.exists()
