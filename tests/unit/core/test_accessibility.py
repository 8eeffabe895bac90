"""A candidate's accessibility: the ranges the kiosk honours and the words a change is kept in."""

from __future__ import annotations

import pytest

from contract.privacy import DataPolicy
from kiosk.domain.accessibility import FONT_SCALES, Accessibility, AccessibilityError
from kiosk.domain.consent import consent_notice
from kiosk.domain.model import SessionSettings


def test_the_sessions_settings_carry_it_and_take_it_back() -> None:
    settings = SessionSettings(question_count=4, extra_time_percent=50, font_scale=1.75,
                               high_contrast=True, captions=False)
    access = Accessibility.of(settings)
    assert access == Accessibility(1.75, True, False, 50)
    assert access.applied_to(SessionSettings(question_count=4)) == settings
    assert SessionSettings().captions and Accessibility.of(SessionSettings()) == Accessibility()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"font_scale": 0.8}, "text size must be from 100% to 200%, not 80%"),
        ({"font_scale": 2.5}, "not 250%"),
        ({"extra_time_percent": -5}, "extra time must be from 0 to 300%"),
        ({"extra_time_percent": 301}, "not 301%"),
    ],
)
def test_out_of_range_settings_are_refused_with_the_range(kwargs: dict, message: str) -> None:
    with pytest.raises(AccessibilityError, match=message):
        Accessibility(**kwargs)


def test_a_change_is_told_setting_by_setting_and_nothing_for_no_change() -> None:
    before = Accessibility()
    after = Accessibility(font_scale=1.25, captions=False)
    assert after.changes_from(before) == ("text size 125% (was 100%)", "captions off (was on)")
    assert before.changes_from(before) == ()
    assert FONT_SCALES[0] == 1.0 and FONT_SCALES[-1] == 2.0


def test_the_notice_promises_captions_only_to_a_session_that_has_them() -> None:
    policy = DataPolicy()
    assert "Captions of what you say" in consent_notice(SessionSettings(captions=True), policy)
    assert "Captions" not in consent_notice(SessionSettings(captions=False), policy)
