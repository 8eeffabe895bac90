#!/bin/sh
# /usr/bin/kiosk and /usr/bin/kiosk-app of the Debian package. The kiosk's commands always run
# as its own unprivileged user with the settings in /etc/interview-kiosk/env, exactly as the
# service does, so whatever they write (database, reports, models) belongs to that user and
# lands in /var/lib/interview-kiosk. Run them as root (sudo kiosk doctor): they switch user.
set -eu
user=interview-kiosk
command=$(basename "$0")
if [ "$(id -u)" = 0 ]; then
    exec runuser -u "$user" -- "$0" "$@"
fi
if [ "$(id -un)" != "$user" ]; then
    echo "$command: run it as root (sudo $command ...) or as $user" >&2
    exit 2
fi
set -a
. /etc/interview-kiosk/env
set +a
exec /opt/interview-kiosk/venv/bin/"$command" "$@"
