#!/bin/bash
# Build the kiosk's Debian package from its wheel:  build-deb.sh WHEEL OUTDIR
#
# The package carries a complete virtual environment in /opt/interview-kiosk/venv, built here
# from the wheel and its dependencies (so installing needs no network and no compiler: dpkg
# only unpacks), on Debian's own /usr/bin/python3.11, which the package depends on. The venv
# is built in a staging folder and relocated (scripts and byte-code name the installed path),
# as dh-virtualenv does. Model files are not in it: `kiosk models fetch` provisions them.
# DEB_COMPRESS picks dpkg-deb's compressor (zstd: fast, and Debian 12's dpkg reads it).
set -euo pipefail

wheel=$(realpath "$1")
out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
linux="$here/../linux"
docs="$here/../../docs"
python=${DEB_PYTHON:-/usr/bin/python3.11}
compress=${DEB_COMPRESS:-zstd}
name=$(basename "$wheel")
version=$(echo "$name" | cut -d- -f2)
venv=/opt/interview-kiosk/venv

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"

echo "building $venv from $name" >&2
"$python" -m venv "$root$venv"
"$root$venv/bin/python" -m pip install -q --disable-pip-version-check --no-compile "$wheel"
rm -rf "$root$venv"/lib/python3.*/site-packages/interview_kiosk-*.dist-info/direct_url.json
# relocate: every text file that names the staging folder names the installed path instead
grep -rlIF "$root" "$root$venv" | xargs -r sed -i "s|$root||g"
# byte-code compiled for the installed path: the service user cannot write __pycache__ there
"$root$venv/bin/python" -m compileall -q -j 0 -s "$root" -p / "$root$venv/lib" >/dev/null || true

install -D -m 755 "$here/kiosk-command.sh" "$root/usr/bin/kiosk"
ln -s kiosk "$root/usr/bin/kiosk-app"
install -D -m 640 "$here/env" "$root/etc/interview-kiosk/env"
install -D -m 644 "$here/pam" "$root/etc/pam.d/interview-kiosk"
install -D -m 644 "$linux/interview-kiosk.service" "$root/lib/systemd/system/interview-kiosk.service"
install -D -m 755 "$linux/cage-kiosk.sh" "$root/usr/lib/interview-kiosk/cage-kiosk.sh"
install -D -m 755 "$linux/xsession-kiosk.sh" "$root/usr/lib/interview-kiosk/xsession-kiosk.sh"
install -D -m 644 "$linux/interview-kiosk.desktop" "$root/usr/share/xsessions/interview-kiosk.desktop"
install -D -m 644 "$linux/interview-kiosk-user.service" \
    "$root/usr/share/doc/interview-kiosk/examples/interview-kiosk-user.service"
install -D -m 644 "$docs/install.md" "$root/usr/share/doc/interview-kiosk/install.md"
install -D -m 644 "$docs/lockdown.md" "$root/usr/share/doc/interview-kiosk/lockdown.md"

size=$(du -sk "$root" | cut -f1)
mkdir -p "$root/DEBIAN"
sed -e "s/@VERSION@/$version-1/" -e "s/@SIZE@/$size/" "$here/control.in" >"$root/DEBIAN/control"
printf '%s\n' /etc/interview-kiosk/env /etc/pam.d/interview-kiosk >"$root/DEBIAN/conffiles"
install -m 755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"

mkdir -p "$out"
deb="$out/interview-kiosk_${version}-1_amd64.deb"
dpkg-deb --root-owner-group -Z"$compress" --build "$root" "$deb" >/dev/null
echo "$deb"
