"""The operator-tunable proctoring policy: every threshold in one validated TOML file.

Invigilators and operators tune how strict proctoring is without touching code; a typo or an
out-of-range value is refused at start-up with the file, the field and the reason, rather than
silently proctoring with a default.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from contract.proctoring import EventKind, Severity

DEFAULT_POLICY_PATH = Path(__file__).resolve().parents[2] / "resources" / "proctor_policy.toml"

Fraction = Annotated[float, Field(gt=0.0, lt=1.0)]
Seconds = Annotated[float, Field(ge=0.0, le=3600.0)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PolicyError(ValueError):
    """The policy file is missing, not TOML, or has a bad value; the message says which."""


class DetectionSettings(_Frozen):
    face_score: Fraction = 0.7
    face_max_side: Annotated[int, Field(ge=120, le=4096)] = 320
    object_model: str = "coco-yolov3-tiny"
    object_score: Fraction = 0.4
    banned_score: Fraction = 0.25
    object_iou: Fraction = 0.5
    object_rate_hz: Annotated[float, Field(gt=0.0, le=30.0)] = 5.0


class ObjectClasses(_Frozen):
    person: tuple[str, ...] = ("person", "normal", "fall")
    banned: tuple[str, ...] = ("cell phone", "book", "laptop", "tvmonitor", "tv")


class FrameSettings(_Frozen):
    dark_mean: Annotated[float, Field(ge=0.0, le=255.0)] = 35.0
    uniform_std: Annotated[float, Field(ge=0.0, le=128.0)] = 6.0
    frozen_change: Annotated[float, Field(ge=0.0, le=255.0)] = 0.1


class PoseSettings(_Frozen):
    max_yaw: Annotated[float, Field(gt=0.0, le=90.0)] = 30.0
    max_pitch: Annotated[float, Field(gt=0.0, le=90.0)] = 30.0


class PartialSettings(_Frozen):
    edge_margin: Annotated[float, Field(ge=0.0, le=0.2)] = 0.01
    min_score: Fraction = 0.8


class RuleSettings(_Frozen):
    hold_s: Seconds
    release_s: Seconds = 0.5
    severity: Severity


class SummarySettings(_Frozen):
    low_after_high_s: Seconds = 10.0
    low_after_high_count: Annotated[int, Field(ge=1)] = 3
    medium_share: Fraction = 0.1
    low_share: Fraction = 0.25


class IdSettings(_Frozen):
    face_match_threshold: Annotated[float, Field(gt=0.0, lt=2.0)] = 0.54
    face_review_margin: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.04
    name_token_similarity: Fraction = 0.85
    min_field_confidence: Fraction = 0.6


class Policy(_Frozen):
    """All thresholds; `rules` must name every `EventKind` so each has a severity."""

    detection: DetectionSettings = DetectionSettings()
    objects: ObjectClasses = ObjectClasses()
    frame: FrameSettings = FrameSettings()
    pose: PoseSettings = PoseSettings()
    partial: PartialSettings = PartialSettings()
    rules: dict[EventKind, RuleSettings]
    summary: SummarySettings = SummarySettings()
    id: IdSettings = IdSettings()

    @model_validator(mode="after")
    def _every_kind_has_a_rule(self) -> Policy:
        missing = sorted(kind.value for kind in EventKind if kind not in self.rules)
        if missing:
            raise ValueError(f"[rules] is missing {', '.join(missing)}")
        return self

    def rule(self, kind: EventKind) -> RuleSettings:
        return self.rules[kind]

    def digest(self) -> str:
        """sha256 of the policy's canonical JSON: which thresholds made a judgement, provably,
        whatever file (or defaults) they came from."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def load_policy(path: str | Path | None = None) -> Policy:
    """Read and validate a policy file (default: resources/proctor_policy.toml)."""
    path = Path(path) if path is not None else DEFAULT_POLICY_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"proctoring policy {path} does not exist") from None
    except UnicodeDecodeError as error:
        raise PolicyError(f"proctoring policy {path} is not valid TOML: {error}") from None
    except OSError as error:
        raise PolicyError(f"proctoring policy {path} cannot be read: {error.strerror}") from None
    return parse_policy(text, origin=str(path))


def parse_policy(text: str, *, origin: str = "(uploaded)") -> Policy:
    """Validate a policy's TOML text (an uploaded file); errors name `origin`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"proctoring policy {origin} is not valid TOML: {error}") from None
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'policy'}: {e['msg']}" for e in error.errors()
        )
        raise PolicyError(f"proctoring policy {origin} is invalid: {problems}") from None
