"""UI fixtures that own their teardown: every window is shut down and every context closed,
whatever the test did (napari's `make_napari_viewer` pattern)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from tests.integration.hub.support import hub_settings, memory_keyring, serve_in_thread
from tests.ui import flow
from tests.ui.loopback import LoopbackHub

from hub.app import create_app
from hub.container import build_hub
from ui.context import KioskContext
from ui.window import MainWindow
from ui.workers import pool


@pytest.fixture
def make_context() -> Iterator[Callable[..., KioskContext]]:
    made: list[KioskContext] = []

    def make(media: Path | None = None, **kwargs: object) -> KioskContext:
        made.append(flow.context(media, **kwargs))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for context in made:
        context.core.close()


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[Callable[[KioskContext], MainWindow]]:
    windows: list[MainWindow] = []

    def make(context: KioskContext) -> MainWindow:
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        stopped: list[bool] = []
        window.shut_down.connect(lambda stopped=stopped: stopped.append(True))
        window.shutdown()
        flow.wait_until(lambda stopped=stopped: stopped, 60, "the window to shut down")
    pool().waitForDone(30_000)


@pytest.fixture
def loopback_hub(tmp_path: Path) -> Iterator[LoopbackHub]:
    hub = build_hub(hub_settings(tmp_path / "hub"))
    org_id = hub.accounts.ensure_organisation("Acme")
    with memory_keyring(), serve_in_thread(create_app(hub=hub)) as url:
        yield LoopbackHub(hub, url, org_id)
    hub.close()
