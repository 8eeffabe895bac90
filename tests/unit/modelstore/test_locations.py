"""Where models are looked for: the setting, else a checkout's models/, else the data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelstore import ModelMissingError, load_manifest, locations
from modelstore.locate import check_file


def test_a_checkout_keeps_its_models_in_models_and_says_make_models(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KIOSK_MODELS_DIR", raising=False)
    root = Path(__file__).resolve().parents[3]
    assert locations.source_checkout() == root
    assert locations.default_models_dir() == root / "models"
    assert locations.default_package_cache() == root / ".cache" / "model-packages"
    assert locations.fix_command() == "make models"


def test_an_installed_kiosk_keeps_them_in_its_data_dir_and_says_kiosk_models_fetch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kiosk_env: Path
) -> None:
    # the layout of a wheel in site-packages: no pyproject.toml two folders up
    monkeypatch.setattr(locations, "_SOURCE_ROOT", tmp_path / "lib")
    monkeypatch.delenv("KIOSK_MODELS_DIR", raising=False)
    monkeypatch.delenv("KIOSK_MODEL_PACKAGES", raising=False)
    assert locations.source_checkout() is None
    assert locations.default_models_dir() == kiosk_env / "models"
    assert locations.default_package_cache().parts[-2:] == ("interview-kiosk", "model-packages")
    assert locations.fix_command() == "kiosk models fetch"
    manifest = load_manifest()
    entry = manifest.files[0]
    with pytest.raises(ModelMissingError, match="run `kiosk models fetch`"):
        check_file(manifest, entry)


def test_the_settings_win_over_both(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KIOSK_MODELS_DIR", str(tmp_path / "m"))
    monkeypatch.setenv("KIOSK_MODEL_PACKAGES", str(tmp_path / "p"))
    assert locations.default_models_dir() == tmp_path / "m"
    assert locations.default_package_cache() == tmp_path / "p"


def test_the_manifest_is_package_data_next_to_its_reader() -> None:
    assert locations.manifest_path().parent == Path(locations.__file__).parent
    assert load_manifest().files
