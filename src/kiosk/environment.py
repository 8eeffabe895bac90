"""Signs that the kiosk runs inside a virtual machine or is being watched or driven remotely.

Qt-free and cheap (a few files and environment variables, one optional command), so it runs at
start-up and the findings become VIRTUAL_MACHINE / REMOTE_DESKTOP events for a human to review:
a sign is evidence, not proof, and the kiosk never refuses to run on it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from contract.proctoring import EventKind

_DMI = Path("/sys/class/dmi/id")
_VM_VENDORS = (
    "virtualbox",
    "innotek",  # VirtualBox's sys_vendor ("innotek GmbH")
    "vmware",
    "kvm",
    "qemu",
    "xen",
    "bochs",
    "parallels",
    "virtual machine",  # Microsoft Hyper-V's product name
    "hvm domu",
    "cloud hypervisor",
)


@dataclass(frozen=True)
class Sign:
    kind: EventKind
    detail: str


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _detect_virt() -> str:
    """systemd-detect-virt's answer for full virtualisation, or '' when absent or bare metal."""
    tool = shutil.which("systemd-detect-virt")
    if tool is None:
        return ""
    try:
        result = subprocess.run(
            [tool, "--vm"], capture_output=True, text=True, timeout=2, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    answer = result.stdout.strip()
    return "" if result.returncode != 0 or answer in ("", "none") else answer


def virtual_machine_signs(
    read: Callable[[Path], str] = _read,
    detect_virt: Callable[[], str] = _detect_virt,
    *,
    dmi_dir: Path = _DMI,
) -> list[Sign]:
    """Signs in the firmware's DMI strings (under `dmi_dir`) and systemd-detect-virt's answer."""
    found = []
    for name in ("product_name", "sys_vendor", "board_vendor"):
        value = read(dmi_dir / name)
        if value and any(vendor in value.lower() for vendor in _VM_VENDORS):
            found.append(Sign(EventKind.VIRTUAL_MACHINE, f"DMI {name}: {value}"))
    virt = detect_virt()
    if virt:
        found.append(Sign(EventKind.VIRTUAL_MACHINE, f"systemd-detect-virt: {virt}"))
    return found


def remote_desktop_signs(env: Mapping[str, str] | None = None) -> list[Sign]:
    env = os.environ if env is None else env
    found = []
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        if env.get(name):
            found.append(Sign(EventKind.REMOTE_DESKTOP, f"{name} is set (an SSH session)"))
            break
    display = env.get("DISPLAY", "")
    host = display.rpartition(":")[0]
    if host and host not in ("localhost", "127.0.0.1", "unix") and not host.startswith("/"):
        found.append(Sign(EventKind.REMOTE_DESKTOP, f"DISPLAY={display} is on another host"))
    if any(name.startswith("XRDP") for name in env):
        found.append(Sign(EventKind.REMOTE_DESKTOP, "an xrdp session (XRDP_* variables)"))
    session = env.get("SESSIONNAME", "")
    if session.upper().startswith("RDP-"):
        found.append(Sign(EventKind.REMOTE_DESKTOP, f"Windows Remote Desktop ({session})"))
    return found


def environment_signs(
    *,
    dmi_dir: Path = _DMI,
    env: Mapping[str, str] | None = None,
    detect_virt: Callable[[], str] = _detect_virt,
) -> list[Sign]:
    """Every sign of this machine: its DMI files, its environment variables, systemd's view.

    The facts are parameters so a check of another machine's facts (a test's DMI folder and
    environment) runs the same code as the kiosk's start-up."""
    return [
        *virtual_machine_signs(_read, detect_virt, dmi_dir=dmi_dir),
        *remote_desktop_signs(env),
    ]
