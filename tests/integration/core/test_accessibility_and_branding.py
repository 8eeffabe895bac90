"""Per-session accessibility and the organisation's branding, on real SQLite and a real media
store: what HR set travels with the session, the invigilator's adjustment is recorded in words
with who made it (and refused once the consent notice has been answered), and the pack's logo
is stored once and read back byte for byte. The schema step that adds the branding columns
upgrades a database holding sessions, and downgrades again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from PIL import Image
from sqlalchemy import create_engine, event, text
from tests.sample import candidate, job, settings

from contract.branding import LogoError
from kiosk.domain.accessibility import Accessibility
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import Branding
from kiosk.sessions import SessionService, StepRefusedError
from kiosk.storage import database as kiosk_database
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from kiosk.storage.schema import Base
from kiosk.storage.unit_of_work import UnitOfWork


@pytest.fixture
def service(tmp_path: Path) -> SessionService:
    svc = SessionService(open_database(tmp_path / "k.db"), MediaStore(tmp_path / "media"))
    yield svc
    svc.close()


def _png(size: tuple[int, int] = (120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _history(service: SessionService, session_id: str) -> list[tuple[str, str, str]]:
    with UnitOfWork(service.database) as uow:
        return [(f, t, why) for f, t, _, why in uow.sessions.state_history(session_id)]


def test_the_invigilators_adjustment_is_stored_and_recorded_in_words(
    service: SessionService,
) -> None:
    session = service.create(candidate(), job(), settings())
    service.open(session.session_key)
    before = service.pending_outbox()
    wanted = Accessibility(font_scale=1.5, high_contrast=True, captions=True, extra_time_percent=25)
    adjusted = service.set_accessibility(session.session_id, wanted, by="the invigilator")
    assert Accessibility.of(adjusted.settings) == wanted
    assert Accessibility.of(service.get(session.session_id).settings) == wanted  # stored
    assert adjusted.settings.answer_seconds() == settings().seconds_per_question * 125 // 100
    note = _history(service, session.session_id)[-1]
    assert note == (
        "opened",
        "opened",
        "accessibility set at the kiosk by the invigilator: text size 150% (was 100%); "
        "contrast high (was standard); extra time 25% (was 0%)",
    )
    assert service.pending_outbox() == before + 1  # the note goes to the hub with the history
    assert service.get(session.session_id).state is SessionState.OPENED

    unchanged = service.set_accessibility(session.session_id, wanted, by="the invigilator")
    assert unchanged == adjusted and service.pending_outbox() == before + 1  # nothing to record


def test_accessibility_is_refused_once_consent_was_answered_or_the_id_check_passed(
    service: SessionService,
) -> None:
    session = service.create(candidate(), job(), settings())
    service.open(session.session_key)
    service.record_consent(session.session_id, notice_version="1", notice_sha256="c" * 64)
    with pytest.raises(StepRefusedError, match="already answered the consent notice"):
        service.set_accessibility(session.session_id, Accessibility(font_scale=2.0), by="inv")
    with pytest.raises(StepRefusedError, match="with who made it"):
        service.set_accessibility(session.session_id, Accessibility(), by="  ")
    # a resumed session whose candidate consented may be handed over again unchanged
    same = Accessibility.of(settings())
    assert service.set_accessibility(session.session_id, same, by="inv").settings == settings()
    assert service.get(session.session_id).settings == settings()


def test_the_packs_branding_is_stored_once_and_read_back(service: SessionService) -> None:
    logo = _png()
    first = service.create(candidate(), job(), settings(), branding=Branding("Northwind", logo))
    second = service.create(candidate(), job(), settings(), branding=Branding("Northwind", logo))
    walk_in = service.create(candidate(), job(), settings())
    assert service.branding(first.session_id) == Branding("Northwind", logo)
    assert service.branding(second.session_id).logo == logo
    assert service.branding(walk_in.session_id) == Branding("", None)
    with service.database.engine.connect() as connection:
        logos = connection.execute(text("SELECT count(*) FROM media WHERE kind = 'logo'"))
        assert logos.scalar() == 1  # one file for every session of the organisation
    with pytest.raises(LogoError, match="neither PNG nor JPEG"):
        service.create(candidate(), job(), settings(), branding=Branding("X", b"GIF89a" + logo))


def test_the_branding_columns_upgrade_a_database_that_holds_sessions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", kiosk_database._configure)
    config = kiosk_database._alembic_config(engine)
    command.upgrade(config, "0003")
    with engine.begin() as connection:  # a session and its history, as a 0003 kiosk wrote them
        connection.execute(
            text(
                "INSERT INTO sessions (id, session_key, state, candidate_name, candidate_email, "
                "resume_text, job_title, job_text, required_skills, nice_to_have_skills, "
                "settings, kiosk_id, created_at) VALUES ('s1', 'K1', 'opened', 'Ada', '', '', "
                "'Engineer', '', '[]', '[]', '{\"extra_time_percent\": 10}', '', "
                "'2026-12-01 09:00:00.000000')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO state_changes (session_id, from_state, to_state, at, reason) "
                "VALUES ('s1', 'created', 'opened', '2026-12-01 09:00:00.000000', 'key')"
            )
        )
    engine.dispose()
    service = SessionService(open_database(path), MediaStore(tmp_path / "media"))
    try:
        session = service.get("s1")
        assert Accessibility.of(session.settings) == Accessibility(extra_time_percent=10)
        assert service.branding("s1") == Branding("", None)
        with service.database.engine.connect() as connection:
            drift = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert [d for d in drift if "sessions" in repr(d)] == []
        command.downgrade(kiosk_database._alembic_config(service.database.engine), "0003")
        with service.database.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM sessions")).scalar() == 1
    finally:
        service.close()
