#!/bin/sh
# Wayland without the system unit: run the kiosk as the only client of cage from the kiosk
# user's autologin on tty1, e.g. in ~/.bash_profile:
#   [ "$(tty)" = /dev/tty1 ] && exec /usr/lib/interview-kiosk/cage-kiosk.sh
# (The Debian package's interview-kiosk.service does the same without an autologin.)
# cage -d: no client-side decorations; -s: allow VT switching only if you want invigilators to
# reach a console (omit it to forbid Ctrl+Alt+Fn).
set -eu
set -a
. /etc/interview-kiosk/env
set +a
export QT_QPA_PLATFORM=wayland
while true; do
    cage -d -- /opt/interview-kiosk/venv/bin/kiosk-app || true
    sleep 2  # the kiosk stopped (closed with the PIN or crashed): start again, it resumes
done
