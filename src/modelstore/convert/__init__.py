"""Converters that turn a registry package's model files into the ONNX graphs the kiosk runs.

Each converter is a module run as `python -m modelstore.convert.<name>` by provisioning, inside
a throwaway environment whose packages the manifest pins, so the output's bytes (and so its
sha256 in the MANIFEST) do not depend on what the kiosk's own environment holds.
"""
