from __future__ import annotations

import pytest
from pydantic import ValidationError

from contract.proctoring import EventKind
from integrity.policy import DEFAULT_POLICY_PATH
from proctor import PolicyError, load_policy


def test_bundled_policy_is_valid_and_frozen():
    policy = load_policy()
    assert policy.rule(EventKind.NO_FACE).hold_s == 3.0
    assert policy.rule(EventKind.LOOKING_AWAY).hold_s == 5.0
    assert policy.rule(EventKind.MULTIPLE_PEOPLE).hold_s == 1.0
    with pytest.raises(ValidationError):
        policy.detection.face_score = 0.1  # type: ignore[misc]


def _write(tmp_path, text: str):
    path = tmp_path / "policy.toml"
    path.write_text(text)
    return path


def test_out_of_range_value_names_the_field(tmp_path):
    text = DEFAULT_POLICY_PATH.read_text().replace("face_score = 0.7", "face_score = 1.5")
    with pytest.raises(PolicyError, match=r"detection\.face_score"):
        load_policy(_write(tmp_path, text))


def test_unknown_key_and_missing_rule_are_refused(tmp_path):
    text = DEFAULT_POLICY_PATH.read_text()
    with pytest.raises(PolicyError, match="face_scor"):
        load_policy(_write(tmp_path, text.replace("face_score =", "face_scor =")))
    without = text.replace("[rules.camera_frozen]\nhold_s = 2.0", "[rules.unused]\nhold_s = 2.0")
    with pytest.raises(PolicyError, match="rules"):
        load_policy(_write(tmp_path, without))


def test_not_toml_and_missing_file(tmp_path):
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(_write(tmp_path, "[detection\n"))
    with pytest.raises(PolicyError, match="does not exist"):
        load_policy(tmp_path / "absent.toml")
