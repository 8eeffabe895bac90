"""Filler detection rules and speech metrics on hand-made word timings."""

from __future__ import annotations

import pytest

from speech import Word, find_fillers, speech_metrics


def words(text: str, long_pause_before: tuple[int, ...] = ()) -> list[Word]:
    """Each word 0.2 s long, 0.05 s apart, or 0.5 s apart before the indexes given."""
    out, t = [], 0.0
    for i, token in enumerate(text.split()):
        t += 0.5 if i in long_pause_before else 0.05
        out.append(Word(t, t + 0.2, token, 0.9))
        t += 0.2
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I like Python a lot.", []),
        ("I would like to join your team.", []),
        ("It looks like rain.", []),
        ("It was, like, really hard.", ["like"]),
        ("Um, I mean, it was kind of hard.", ["um", "i mean", "kind of"]),
        ("What kind of role is it?", []),
        ("You know the answer.", []),
        ("It was hard, you know.", ["you know"]),
        ("That is not what I mean.", []),
        ("Uhm so erm we shipped it.", ["uhm", "erm"]),
    ],
)
def test_filler_rules(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_fillers(words(text))] == expected


def test_like_after_a_pause_is_a_filler() -> None:
    assert [f.text for f in find_fillers(words("So like we shipped it.", (1,)))] == ["like"]
    assert find_fillers(words("So like we shipped it.")) == ()


def test_metrics_from_word_timings() -> None:
    ws = words("Um, I built the whole thing myself.", long_pause_before=(1, 4))
    m = speech_metrics(ws)
    assert m.word_count == 7
    assert m.span_s == pytest.approx(7 * 0.2 + 4 * 0.05 + 2 * 0.5)
    assert m.pause_count == 2 and m.longest_pause_s == pytest.approx(0.5)
    assert m.speaking_time_s == pytest.approx(m.span_s - 1.0)
    assert m.pause_ratio == pytest.approx(1.0 / m.span_s, abs=1e-3)
    assert m.words_per_minute == pytest.approx(7 / m.span_s * 60, abs=0.1)
    assert m.filler_count == 1 and m.filler_counts == (("um", 1),)


def test_metrics_of_an_empty_answer_are_zero() -> None:
    m = speech_metrics([])
    assert (m.word_count, m.words_per_minute, m.pause_ratio, m.filler_count) == (0, 0.0, 0.0, 0)
