"""Which models this kiosk needs, which it can do without, and fetching them.

The MANIFEST lists every model the code can load; a kiosk needs only some of them, and which
depends on its settings: the Whisper size (`KIOSK_WHISPER_MODEL`) and the object detector the
proctoring policy names (`detection.object_model`). The on-device judge (1.1 GB, and its
runtime, the `judge` extra) is optional: a live interview and `kiosk score` use it when it is
present and switched on (`KIOSK_JUDGE_ENABLED`), and score with MiniLM embeddings alone
(provisional until an online re-score) when it is not. `kiosk models fetch` provisions the
needed set (plus what the operator asks for) and `kiosk doctor` fails only on a needed model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from integrity.policy import Policy
from kiosk.brain.embeddings import MODEL_NAME as EMBEDDINGS_MODEL
from kiosk.brain.judge.model import MODEL_NAME as JUDGE_MODEL
from kiosk.settings import KioskSettings
from modelstore import Manifest, ModelError, ModelFile, load_manifest
from modelstore.locate import check_file
from modelstore.provision import provision_file
from proctor.loaders import DLIB_MODEL, YUNET_MODEL
from speech.results import WHISPER_MODELS
from speech.tts import PIPER_MODEL


class Need(StrEnum):
    REQUIRED = "required"  # an interview cannot run without it
    OPTIONAL = "optional"  # used when present; the kiosk falls back without it
    UNUSED = "unused"  # these settings never load it


@dataclass(frozen=True)
class ModelNeed:
    """What one model is for on this kiosk, and what happens without it."""

    model: str
    purpose: str
    need: Need
    without: str = ""  # for an optional model: what the kiosk does instead

    @property
    def required(self) -> bool:
        return self.need is Need.REQUIRED


def model_needs(settings: KioskSettings, policy: Policy) -> dict[str, ModelNeed]:
    """Every model of the manifest, keyed by name, as this kiosk's settings need it."""
    whisper = WHISPER_MODELS.get(settings.whisper_model)
    if whisper is None:
        raise ValueError(
            f"KIOSK_WHISPER_MODEL={settings.whisper_model!r} is not a Whisper model the kiosk "
            f"knows ({', '.join(WHISPER_MODELS)})"
        )
    required = [
        (whisper, f"speech recognition (KIOSK_WHISPER_MODEL={settings.whisper_model})"),
        (PIPER_MODEL, "the voice that reads the questions"),
        (YUNET_MODEL, "face detection for proctoring"),
        (policy.detection.object_model, "people and objects (the policy's object_model)"),
        (DLIB_MODEL, "matching the ID photo with the live face"),
        (EMBEDDINGS_MODEL, "offline answer scoring (embeddings)"),
    ]
    needs = {name: ModelNeed(name, purpose, Need.REQUIRED) for name, purpose in required}
    needs[JUDGE_MODEL] = ModelNeed(
        JUDGE_MODEL,
        "the on-device judge of expected points in answers",
        Need.OPTIONAL if settings.judge_enabled else Need.UNUSED,
        "answers are scored by closeness of wording alone and stay provisional until an "
        "online re-score",
    )
    for name in load_manifest().model_names():
        needs.setdefault(name, ModelNeed(name, "not used with these settings", Need.UNUSED))
    return needs


def select(
    needs: dict[str, ModelNeed], *, with_judge: bool = False, everything: bool = False,
    only: Iterable[str] = (),
) -> list[str]:
    """The models to fetch: `only` if given, else the required ones (plus the judge / all)."""
    chosen = list(only)
    unknown = [m for m in chosen if m not in needs]
    if unknown:
        raise KeyError(f"no such model in the manifest: {', '.join(unknown)} "
                       f"(known: {', '.join(needs)})")
    if chosen:
        return chosen
    return [
        need.model
        for need in needs.values()
        if everything or need.required or (with_judge and need.model == JUDGE_MODEL)
    ]


@dataclass(frozen=True)
class Fetched:
    """One file made present and verified."""

    model: str
    path: Path
    size: int
    already_there: bool


def fetch(
    models: Iterable[str],
    manifest: Manifest | None = None,
    cache: Path | None = None,
    seed: Path | None = None,
) -> Iterator[Fetched]:
    """Provision and verify every file of `models`, yielding each as it is ready; files in
    `seed` (a models folder or unpacked bundle) with the right sha256 are copied, not fetched.

    Raises `ModelError` on the first file that cannot be made (nothing partial is left)."""
    manifest = manifest or load_manifest()
    wanted = set(models)
    for entry in manifest.files:
        if entry.model in wanted:
            there = _is_intact(manifest, entry)
            path = provision_file(manifest, entry, cache, seed)
            yield Fetched(entry.model, path, path.stat().st_size, there)


def _is_intact(manifest: Manifest, entry: ModelFile) -> bool:
    try:
        check_file(manifest, entry)
    except ModelError:
        return False
    return True


__all__ = ["Fetched", "ModelNeed", "Need", "fetch", "model_needs", "select"]
