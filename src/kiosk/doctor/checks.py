"""One function per check; each returns a `Check` and never raises, so one failure hides nothing.

A check is `required` when an interview cannot run without it; the others are warnings (offline
mode, no Gemini key, no speakers) that degrade the kiosk gracefully.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata
from pathlib import Path

from kiosk.secrets import Secret, secret_source
from kiosk.settings import KioskSettings

KEY_DISTRIBUTIONS = (
    "faster-whisper",
    "ctranslate2",
    "onnxruntime",
    "opencv-python-headless",
    "rapidocr",
    "dlib-bin",
    "piper-tts",
    "sounddevice",
    "PySide6-Essentials",
    "SQLAlchemy",
    "alembic",
    "reportlab",
    "google-genai",
    "fastapi",
)


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""
    required: bool = True


def python_version() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    return Check(
        "python",
        Status.OK if ok else Status.FAIL,
        f"Python {version} at {sys.executable}",
        "" if ok else "install Python 3.11 or newer",
    )


def packages() -> Check:
    found, missing = [], []
    for name in KEY_DISTRIBUTIONS:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return Check(
            "packages",
            Status.FAIL,
            "missing: " + ", ".join(missing),
            "make test   (or: .venv/bin/pip install -e .)",
        )
    return Check("packages", Status.OK, "; ".join(found))


#: Models an interview can run without, and what takes their place.
JUDGE_FALLBACK = (
    "the on-device judge is missing, so answers are scored by closeness of wording alone: "
    "their scores stay provisional (marked in the report) until an online re-score"
)


def models(settings: KioskSettings | None = None) -> list[Check]:
    from kiosk.brain.judge import MODEL_NAME as JUDGE_MODEL
    from modelstore import ModelError, load_manifest, require_model

    manifest = load_manifest()
    checks = []
    for model in manifest.model_names():
        if model == JUDGE_MODEL:
            checks.append(judge_model(settings or KioskSettings()))
            continue
        try:
            folder = require_model(model)
            checks.append(Check(f"model {model}", Status.OK, f"sha256 verified in {folder}"))
        except ModelError as error:
            checks.append(Check(f"model {model}", Status.FAIL, str(error), "make models"))
    return checks


def judge_model(settings: KioskSettings) -> Check:
    """The judge is optional: without it the kiosk scores by embeddings, and says so."""
    from kiosk.brain.judge import MODEL_NAME
    from modelstore import ModelError, require_model

    name = f"model {MODEL_NAME} (on-device judge)"
    if not settings.judge_enabled:
        return Check(
            name,
            Status.WARN,
            "switched off (KIOSK_JUDGE_ENABLED=false): answers are scored by closeness of "
            "wording alone and stay provisional until an online re-score",
            "unset KIOSK_JUDGE_ENABLED to judge answers on the kiosk",
            required=False,
        )
    try:
        folder = require_model(MODEL_NAME)
    except ModelError as error:
        return Check(name, Status.WARN, f"{error}; {JUDGE_FALLBACK}", "make models",
                     required=False)
    return Check(name, Status.OK, f"sha256 verified in {folder}", required=False)


def camera(index: int) -> Check:
    from proctor.camera import CameraError, CameraSource

    try:
        CameraSource(index).open_or_raise().release()
    except CameraError as error:
        return Check(
            "camera",
            Status.FAIL,
            str(error),
            f"connect a camera (device index {index}, KIOSK_CAMERA_INDEX) or run "
            "`kiosk doctor --no-devices` on a machine that only replays recordings",
        )
    return Check("camera", Status.OK, f"camera {index} opens and delivers frames")


def microphone(wanted: str) -> Check:
    from speech.errors import AudioDeviceError
    from speech.microphone import resolve_input_device

    try:
        device = resolve_input_device(wanted or None)
    except (AudioDeviceError, OSError) as error:
        fix = (
            "apt-get install libportaudio2"
            if "PortAudio" in str(error)
            else "connect a microphone, or set KIOSK_MICROPHONE to one of the listed devices"
        )
        return Check("microphone", Status.FAIL, str(error), fix)
    return Check("microphone", Status.OK, f"[{device.index}] {device.name}")


def database(settings: KioskSettings) -> Check:
    from kiosk.storage.database import (
        DatabaseError,
        check_integrity,
        current_revision,
        head_revision,
    )

    path = settings.database_path
    if not path.exists():
        return Check(
            "database",
            Status.OK,
            f"{path} will be created on first use (schema revision {head_revision()})",
        )
    try:
        check_integrity(path)
    except DatabaseError as error:
        return Check("database", Status.FAIL, str(error), f"mv '{path}' '{path}.damaged'")
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    try:
        revision = current_revision(engine)
    finally:
        engine.dispose()
    status = Status.OK if revision == head_revision() else Status.WARN
    return Check(
        "database",
        status,
        f"{path}, schema revision {revision} (code: {head_revision()})",
        "" if status is Status.OK else "start the kiosk once: it migrates the database",
        required=False,
    )


def sync_queue(settings: KioskSettings) -> Check:
    """Records waiting for the hub, and a warning with the hub's reason for any it refused.

    Reads the database as it is (no migration). Its integrity is the `database` check's job,
    which reads the whole file; a damaged one simply fails this read, and says so.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DatabaseError as SqlDatabaseError
    from sqlalchemy.orm import sessionmaker

    from kiosk.storage.database import Database, current_revision, head_revision
    from kiosk.sync.ledger import Ledger

    path = settings.database_path
    if not path.exists():
        return Check("sync queue", Status.OK, "no database yet: nothing queued", required=False)
    engine = create_engine(f"sqlite:///{path}")
    try:
        if current_revision(engine) != head_revision():
            return Check(
                "sync queue",
                Status.WARN,
                "the database is not migrated yet, so its queue is not read",
                "start the kiosk once: it migrates the database",
                required=False,
            )
        ledger = Ledger(Database(path, engine, sessionmaker(engine)))
        pending, quarantine = ledger.count_pending(), ledger.quarantine_report()
    except SqlDatabaseError:
        return Check(
            "sync queue",
            Status.WARN,
            "cannot read the queue of a damaged database (see the database check)",
            required=False,
        )
    finally:
        engine.dispose()
    if quarantine.total:
        return Check(
            "sync queue",
            Status.WARN,
            f"{quarantine.total} record(s) held back because the hub refused them "
            f"({pending} waiting): " + "; ".join(r.describe() for r in quarantine.refused),
            "fix the cause the hub gives, then run `kiosk sync retry-quarantined`",
            required=False,
        )
    return Check(
        "sync queue",
        Status.OK,
        f"{pending} record(s) waiting to be sent, none refused by the hub",
        required=False,
    )


def disk(settings: KioskSettings) -> Check:
    folder = next(
        (p for p in (settings.data_dir, *settings.data_dir.parents) if p.exists()), Path("/")
    )
    free_gib = shutil.disk_usage(folder).free / 2**30
    ok = free_gib >= 2
    return Check(
        "disk",
        Status.OK if ok else Status.WARN,
        f"{free_gib:.1f} GiB free under {folder}",
        "" if ok else "free space: recordings and snapshots need ~200 MB per interview",
        required=False,
    )


def hub(settings: KioskSettings) -> Check:
    from kiosk.sync import HubError, hub_client

    if not settings.hub_url:
        return Check(
            "hub",
            Status.WARN,
            "no hub configured: offline mode, results queue locally",
            "set KIOSK_HUB_URL and run `kiosk enrol CODE --hub URL`",
            required=False,
        )
    try:
        with hub_client(settings) as client:
            who = client.whoami()
    except HubError as error:
        return Check(
            "hub",
            Status.WARN,
            f"{settings.hub_url}: {error}; working offline, results queue locally",
            "check the network and KIOSK_HUB_URL, or run `kiosk enrol CODE --hub URL`",
            required=False,
        )
    return Check(
        "hub",
        Status.OK,
        f"{settings.hub_url} answers: enrolled as {who.kiosk_name} ({who.organisation})",
        required=False,
    )


def gemini_key() -> Check:
    source = secret_source(Secret.GEMINI_API_KEY)
    if source == "unset":
        return Check(
            "gemini key",
            Status.WARN,
            "not set: questions and scores come from the offline engine and are marked provisional",
            "keyring set interview-kiosk gemini_api_key   (or KIOSK_GEMINI_API_KEY)",
            required=False,
        )
    return Check(
        "gemini key", Status.OK, f"set (from the {source}; value not shown)", required=False
    )


def run_all(settings: KioskSettings, *, devices: bool = True) -> list[Check]:
    checks: list[Check] = [python_version(), packages(), *models(settings)]
    probes: list[tuple[str, Callable[[], Check]]] = []
    if devices:
        probes += [
            ("camera", lambda: camera(settings.camera_index)),
            ("microphone", lambda: microphone(settings.microphone)),
        ]
    probes += [
        ("database", lambda: database(settings)),
        ("sync queue", lambda: sync_queue(settings)),
        ("disk", lambda: disk(settings)),
        ("hub", lambda: hub(settings)),
        ("gemini key", gemini_key),
    ]
    for name, probe in probes:
        try:
            checks.append(probe())
        except Exception as error:  # a probe's own bug must not hide the other checks
            checks.append(Check(name, Status.FAIL, f"check crashed: {error!r}"))
    return checks
