"""Text-to-speech: both engines write WAVs Whisper can read back; synthesis is cached."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from tests.integration.speech.speechkit import corpus_wer, run_answer, silence

from kiosk.cli import main as kiosk_main
from speech import SynthesisOptions, load_audio, synthesize
from speech.errors import SynthesisError

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


def test_espeak_refuses_an_unknown_voice_clearly_and_the_next_text_is_still_spoken(
    tmp_path: Path,
) -> None:
    """One bad request must not break espeak-ng for every later one in the process (in full
    test runs, texts that speak fine alone came out empty after other tests' calls)."""
    unknown = SynthesisOptions(engine="espeak", fallback=False, espeak_voice="qqq-not-a-voice")
    with pytest.raises(SynthesisError, match="espeak-ng") as refused:
        synthesize("Hello there.", options=unknown, cache_dir=tmp_path)
    assert "voice" in str(refused.value)
    spoken = synthesize(QUESTION, options=SynthesisOptions(engine="espeak", fallback=False),
                        cache_dir=tmp_path)
    assert spoken.duration > 3.0


def test_espeak_speaks_texts_from_two_threads_at_once_each_in_full(tmp_path: Path) -> None:
    """The question voice and the help desk may speak at the same time; espeak-ng's output
    for a text does not depend on what else is being spoken (it is deterministic)."""
    options = SynthesisOptions(engine="espeak", fallback=False)
    texts = [QUESTION, "-v is the flag people type by mistake. Then they read the manual."]
    alone = [sf.info(str(synthesize(t, options=options, cache_dir=tmp_path / "alone").path)).frames
             for t in texts]
    with ThreadPoolExecutor(max_workers=2) as pool:
        together = list(pool.map(
            lambda t: synthesize(t, options=options, cache_dir=tmp_path / "together"), texts
        ))
    assert [sf.info(str(s.path)).frames for s in together] == alone
    assert alone[1] > 22_050 * 3  # the dash-led text is spoken in full, not read as an option


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
