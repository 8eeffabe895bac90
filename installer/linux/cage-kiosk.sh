#!/bin/sh
# Wayland: run the kiosk as the only client of cage (a kiosk compositor: one full-screen app, no
# task switcher, no other windows). Start it from the kiosk user's autologin on tty1, e.g. in
# ~kiosk/.bash_profile:  [ "$(tty)" = /dev/tty1 ] && exec /opt/interview-kiosk/installer/linux/cage-kiosk.sh
# cage -d: no client-side decorations; -s: allow VT switching only if you want invigilators to
# reach a console (omit it to forbid Ctrl+Alt+Fn).
set -eu
set -a
. "$HOME/.config/interview-kiosk/env"
set +a
export QT_QPA_PLATFORM=wayland
while true; do
    cage -d -- /opt/interview-kiosk/.venv/bin/kiosk app || true
    sleep 2  # the kiosk stopped (closed with the PIN or crashed): start again, it resumes
done
