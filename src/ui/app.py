"""The kiosk application: builds the core, wraps it for the Qt window, runs it, closes it.

`build_context` is the one place the window meets the core; the core itself is built by
`kiosk.bootstrap` exactly as for the demo and the tests. With recorded media the bundled video,
ID card and answer recordings stand in for camera and microphone, so the whole kiosk runs
headless. With `KIOSK_HUB_URL` set (and the kiosk enrolled) the background syncer drains the
outbox to the hub while the app runs; without one the kiosk runs in offline mode.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.bootstrap import MediaOptions, build_core
from kiosk.pin import pin_checker
from kiosk.settings import KioskSettings
from ui.context import KioskContext


def preload_libraries() -> None:
    """Load, at start-up, the native libraries that workers would otherwise load mid-session.

    Loading a shared library holds Python's GIL for as long as it takes, which freezes the
    window; paid once before the window shows, nobody sees it.
    """
    import piper  # noqa: F401 - the question voice
    import rapidocr  # noqa: F401 - reading the ID card
    import sounddevice  # noqa: F401 - PortAudio, for the microphone and speakers


def build_context(
    settings: KioskSettings,
    media: MediaOptions,
    *,
    lockdown: bool = True,
    session_key: str = "",
) -> KioskContext:
    """The window's context over a freshly built core, with the background syncer started."""
    check_pin = pin_checker(settings)  # no PIN, no kiosk: fail before anything is built
    preload_libraries()
    core = build_core(settings, media)
    context = KioskContext(
        core=core,
        check_pin=check_pin,
        lockdown=lockdown,
        session_key=session_key,
    )
    core.sync.start()
    return context


def main(
    *,
    recorded_media: Path | None = None,
    lockdown: bool = True,
    session_key: str = "",
) -> int:
    from ui.application import run_window

    context = build_context(
        KioskSettings(), MediaOptions(recorded_media), lockdown=lockdown, session_key=session_key
    )
    try:
        return run_window(context, sys.argv[:1])
    finally:
        context.core.close()
