"""What the screens are given to work with: the kiosk's core, built once at start-up, and the
window's own settings. (The look is the candidate's, per session: see `ui.theme`.)

Screens hold no business rules and write nothing themselves: they ask the core's use cases
through `ui.operations.Operations` (always on the writer thread) and show what the core
announces. Everything device- or media-specific is a factory in `core.devices`, so the same
screens run at a test centre, in a headless test and on a build machine with no camera at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.bootstrap import KioskCore
from ui.operations import Operations


@dataclass(frozen=True)
class KioskContext:
    core: KioskCore
    #: The invigilator PIN check; slow on purpose (argon2), so screens call it in a worker.
    check_pin: Callable[[str], bool]
    lockdown: bool = True
    #: A session key to prefill on the start screen (`kiosk app --session KEY`).
    session_key: str = ""
    ops: Operations = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ops", Operations(self.core.writer))
