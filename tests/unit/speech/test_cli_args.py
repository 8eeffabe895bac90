"""The two speech subcommands plug into `kiosk` and reject bad arguments with exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import build_parser, main


def test_commands_are_registered_with_their_options() -> None:
    args = build_parser().parse_args(["transcribe", "a.wav", "--model", "base", "--threads", "3"])
    assert (args.model, args.threads, args.json) == ("base", 3, False)
    assert callable(args.handler)
    args = build_parser().parse_args(["say", "Hi", "--out", "x.wav", "--engine", "espeak"])
    assert (args.text, args.out, args.engine) == ("Hi", Path("x.wav"), "espeak")


def test_unknown_model_is_refused_by_argparse() -> None:
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args(["transcribe", "a.wav", "--model", "large"])
    assert caught.value.code == 2


def test_missing_audio_file_is_one_clear_line(tmp_path: Path, capsys) -> None:
    assert main(["transcribe", str(tmp_path / "nope.wav")]) == 2
    err = capsys.readouterr().err
    assert err == f"kiosk transcribe: audio file {tmp_path / 'nope.wav'} does not exist\n"


def test_zero_threads_is_refused(tmp_path: Path, capsys) -> None:
    assert main(["transcribe", str(tmp_path / "a.wav"), "--threads", "0"]) == 2
    assert "--threads must be at least 1" in capsys.readouterr().err


def test_say_refuses_empty_text(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert main(["say", "   ", "--out", str(tmp_path / "x.wav")]) == 2
    assert "text is empty" in capsys.readouterr().err
