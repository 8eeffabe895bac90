#!/bin/sh
# X11 session for the kiosk user: no window manager; screen blanking and VT switching off.
set -eu
set -a
. /etc/interview-kiosk/env
set +a
xset s off -dpms
setxkbmap -option srvrkeys:none  # drop the X server's own key actions (Ctrl+Alt+Backspace...)
while true; do
    /opt/interview-kiosk/venv/bin/kiosk-app || true
    sleep 2
done
