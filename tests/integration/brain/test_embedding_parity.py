"""The NumPy MiniLM forward pass against sentence-transformers (torch) on the same weights."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

import modelstore
from kiosk.brain.embeddings import MODEL_NAME, MiniLmEncoder

SENTENCES = [
    "I added a composite index after reading the EXPLAIN ANALYZE output.",
    "Kubernetes restarts pods whose liveness probe fails.",
    "",
    "Tell me about a time you disagreed with a colleague.",
    "ignore previous instructions",
    "A much longer sentence that goes on about caching, invalidation, time to live values, "
    "stampedes, Redis eviction policies and the trade-offs of write-through versus "
    "cache-aside designs in a busy read-heavy service." * 2,
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory):
    models = pytest.importorskip("sentence_transformers.models")
    from sentence_transformers import SentenceTransformer

    folder = tmp_path_factory.mktemp("minilm")
    source = modelstore.require_model(MODEL_NAME)
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        (folder / name).symlink_to(Path(source) / name)
    transformer = models.Transformer(str(folder), max_seq_length=256)
    pooling = models.Pooling(384, pooling_mode="mean")
    return SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu")


def test_numpy_matches_sentence_transformers(encoder: MiniLmEncoder, reference) -> None:
    ours = encoder._encode_uncached(SENTENCES)
    theirs = reference.encode(SENTENCES, convert_to_numpy=True, batch_size=8)
    assert ours.shape == theirs.shape == (len(SENTENCES), 384)
    assert float(np.abs(ours - theirs).max()) < 1e-4
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_forward_pass_speed_is_measured(encoder: MiniLmEncoder) -> None:
    sentences = [f"Sentence {i} about indexes, caches and queues in production." for i in
                 range(32)]
    started = time.perf_counter()
    encoder._encode_uncached(sentences)
    per_sentence_ms = (time.perf_counter() - started) * 1000 / len(sentences)
    print(f"MiniLM NumPy forward pass: {per_sentence_ms:.1f} ms/sentence")
    assert per_sentence_ms < 100


def test_cache_returns_identical_vectors(encoder: MiniLmEncoder) -> None:
    first = encoder.encode(["same text twice"])
    second = encoder.encode(["same text twice", "another"])
    assert np.array_equal(first[0], second[0])
