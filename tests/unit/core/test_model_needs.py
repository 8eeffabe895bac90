"""Which models a kiosk needs follows its settings and policy; the judge is optional."""

from __future__ import annotations

import pytest

from kiosk.provisioning import Need, model_needs, select
from kiosk.settings import KioskSettings
from modelstore import load_manifest
from proctor import load_policy

JUDGE = "qwen2.5-coder-1.5b-instruct"


def _policy(object_model: str):
    default = load_policy()
    detection = default.detection.model_copy(update={"object_model": object_model})
    return default.model_copy(update={"detection": detection})


def test_every_manifest_model_has_a_need_and_the_defaults_need_the_small_set() -> None:
    needs = model_needs(KioskSettings(), load_policy())
    assert set(needs) == set(load_manifest().model_names())
    required = {n.model for n in needs.values() if n.need is Need.REQUIRED}
    assert required == {"whisper-tiny.en", "piper-en_US-joe-medium", "yunet-face",
                        "coco-yolov3-tiny", "dlib-face-recognition", "minilm-l6-v2"}
    assert needs[JUDGE].need is Need.OPTIONAL and "provisional" in needs[JUDGE].without
    assert needs["whisper-base"].need is needs["yolo-person-416"].need is Need.UNUSED


def test_the_settings_and_the_policy_choose_the_whisper_size_and_the_detector() -> None:
    needs = model_needs(KioskSettings(whisper_model="base"), _policy("yolo-person-416"))
    assert needs["whisper-base"].required and needs["yolo-person-416"].required
    assert needs["whisper-tiny.en"].need is needs["coco-yolov3-tiny"].need is Need.UNUSED


def test_a_kiosk_with_the_judge_switched_off_does_not_use_it() -> None:
    assert model_needs(KioskSettings(judge_enabled=False), load_policy())[JUDGE].need is (
        Need.UNUSED)


def test_an_unknown_whisper_size_is_named_not_ignored() -> None:
    with pytest.raises(ValueError, match="KIOSK_WHISPER_MODEL='large'"):
        model_needs(KioskSettings(whisper_model="large"), load_policy())


def test_fetch_takes_the_required_set_the_judge_on_request_or_what_is_named() -> None:
    needs = model_needs(KioskSettings(), load_policy())
    default = select(needs)
    assert JUDGE not in default and "whisper-base" not in default and len(default) == 6
    assert set(select(needs, with_judge=True)) == {*default, JUDGE}
    assert set(select(needs, everything=True)) == set(needs)
    assert select(needs, only=["whisper-base"]) == ["whisper-base"]
    with pytest.raises(KeyError, match="no such model in the manifest: gpt-5"):
        select(needs, only=["gpt-5"])
