#!/bin/bash
# Build the kiosk's wheel:  build-wheel.sh OUTDIR   (prints the wheel's path)
# From a copy of the sources: setuptools' build/ folder never leaks stale files into it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "$1")
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$out"
cp "$here/pyproject.toml" "$here/README.md" "$work/"
tar -C "$here/src" --exclude=__pycache__ --exclude='*.egg-info' -cf - . | tar -C "$work/src" -xf -
"$python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$out" "$work" >&2
ls -t "$out"/interview_kiosk-*-py3-none-any.whl | head -1
