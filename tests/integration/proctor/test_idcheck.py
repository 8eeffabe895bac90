"""ID verification on rendered cards with real faces: OCR, name, expiry, face match."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import cv2
import numpy as np
import pytest

from proctor.idcheck import Check, IdVerifier, MatchDecision, override

from .conftest import card_portrait, render_id_card

TODAY = date(2025, 6, 1)
ASTRONAUT_FACE = (120, 20, 210, 240)  # x, y, w, h around the face in astronaut()
ZIDANE_FACE = (880, 60, 220, 260)


@pytest.fixture(scope="module")
def verifier(policy) -> IdVerifier:
    return IdVerifier(policy)


@pytest.fixture(scope="module")
def card(photos) -> np.ndarray:
    return render_id_card(
        card_portrait(photos["astronaut"], ASTRONAUT_FACE),
        surname="COLLINS",
        given="Eileen Marie",
        born=date(1956, 11, 19),
        number="X1234567",
        expires=date(2031, 1, 1),
    )


@pytest.fixture(scope="module")
def live(photos) -> np.ndarray:
    """The same person as the live camera would show her: mirrored, at full colour."""
    return np.ascontiguousarray(photos["astronaut"][:, ::-1])


@pytest.fixture(scope="module")
def genuine(verifier, card, live):
    return verifier.verify(card, live, "eileen collins", today=TODAY)


def test_fields_are_read_with_confidence(genuine):
    f = genuine.fields
    assert f.name.value.casefold() == "eileen marie collins"
    assert f.date_of_birth.as_date == date(1956, 11, 19)
    assert f.document_number.value == "X1234567"
    assert f.expiry_date.as_date == date(2031, 1, 1)
    for reading in (f.name, f.date_of_birth, f.document_number, f.expiry_date):
        assert reading.confidence > 0.9


def test_genuine_candidate_passes_every_check(genuine):
    assert genuine.accepted, genuine.to_dict()
    assert genuine.name_match.matched
    assert genuine.expired is False
    assert genuine.face.decision is MatchDecision.MATCH
    assert genuine.face.distance < genuine.face.threshold - genuine.face.review_margin


def test_another_face_is_rejected(verifier, card, photos):
    result = verifier.verify(card, photos["zidane"], "Eileen Collins", today=TODAY)
    assert result.face.decision is MatchDecision.NO_MATCH
    assert result.face.distance > 0.6
    assert result.needs_override == (Check.FACE,)


def test_wrong_name_needs_an_invigilator(verifier, card, live):
    result = verifier.verify(card, live, "Eileen Robinson", today=TODAY)
    assert not result.result(Check.NAME).passed
    assert Check.NAME in result.needs_override


def test_expired_card_is_flagged_and_can_be_overridden(verifier, photos, live):
    expired_card = render_id_card(
        card_portrait(photos["astronaut"], ASTRONAUT_FACE),
        surname="COLLINS",
        given="Eileen",
        born=date(1956, 11, 19),
        number="X7654321",
        expires=date(2020, 1, 1),
    )
    result = verifier.verify(expired_card, live, "Eileen Collins", today=TODAY)
    assert result.expired is True
    assert result.needs_override == (Check.EXPIRY,)
    assert "2020-01-01" in result.result(Check.EXPIRY).detail
    when = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
    accepted = override(result, "expiry", reason="Renewal receipt shown", by="J. Doe", at=when)
    assert accepted.accepted and not result.accepted  # the original result is unchanged
    assert accepted.overrides[0].by == "J. Doe" and accepted.overrides[0].at == when
    with pytest.raises(ValueError, match="reason"):
        override(result, Check.EXPIRY, reason=" ", by="J. Doe")
    with pytest.raises(ValueError, match="does not need"):
        override(result, Check.FACE, reason="x", by="J. Doe")


def test_no_face_on_the_live_image_needs_review(verifier, card, photos):
    result = verifier.verify(card, photos["coffee"], "Eileen Collins", today=TODAY)
    assert result.face.decision is MatchDecision.NO_FACE
    assert Check.FACE in result.needs_override


def _samples(photos, verifier) -> dict[str, tuple[str, np.ndarray]]:
    """Face descriptors labelled by person, from several renderings of each photo."""
    matcher = verifier.face_matcher
    out = {}
    for photo, people in (("astronaut", 1), ("zidane", 2), ("bus", 2)):
        image = photos[photo]
        variants = {
            "orig": image,
            "flip": np.ascontiguousarray(image[:, ::-1]),
            "small": cv2.resize(image, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA),
        }
        for variant, picture in variants.items():
            faces = matcher.detector.detect(picture)[:people]  # most confident first
            # name each face by its left-to-right place in the original orientation
            ordered = sorted(faces, key=lambda f: f.box.x, reverse=variant == "flip")
            assert len(ordered) == people, f"{photo} {variant}"
            for rank, face in enumerate(ordered):
                out[f"{photo}-{variant}-{rank}"] = (
                    f"{photo}-{rank}",
                    matcher.describe(picture, face),
                )
    return out


def test_threshold_separates_measured_pairs(photos, verifier, policy, record_property):
    """The chosen threshold lies between every same-person and every two-person distance."""
    samples = _samples(photos, verifier)
    same, different = [], []
    for (_, (who_a, a)), (_, (who_b, b)) in itertools.combinations(samples.items(), 2):
        (same if who_a == who_b else different).append(float(np.linalg.norm(a - b)))
    threshold = policy.id.face_match_threshold
    record_property("same_person_max", max(same))
    record_property("different_people_min", min(different))
    assert max(same) < threshold < min(different)
