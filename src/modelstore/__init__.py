"""Model files: where they live, whether they are intact, and how to get them.

A leaf package with no project imports, so that `speech`, `proctor` and `kiosk` can all verify
their weights against one MANIFEST without depending on each other.
"""

from modelstore.locate import ModelDamagedError, ModelError, ModelMissingError, require_model
from modelstore.manifest import Manifest, ModelFile, default_models_dir, load_manifest

__all__ = [
    "Manifest",
    "ModelDamagedError",
    "ModelError",
    "ModelFile",
    "ModelMissingError",
    "default_models_dir",
    "load_manifest",
    "require_model",
]
