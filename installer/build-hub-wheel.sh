#!/bin/bash
# Build the hub's wheel:  build-hub-wheel.sh OUTDIR   (prints the wheel's path)
# From a copy of src/hub, src/contract, src/integrity and src/reporting (all the hub imports) with
# installer/hub/pyproject.toml, so the hub
# installs without the kiosk's dependencies.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "$1")
python=${PYTHON:-python3}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$here/pyproject.toml")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$out"
sed "s/@VERSION@/$version/" "$here/installer/hub/pyproject.toml" >"$work/pyproject.toml"
tar -C "$here/src" --exclude=__pycache__ --exclude='*.egg-info' -cf - hub contract integrity reporting \
    | tar -C "$work/src" -xf -
"$python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$out" "$work" >&2
ls -t "$out"/interview_kiosk_hub-*-py3-none-any.whl | head -1
