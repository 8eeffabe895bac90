"""all-MiniLM-L6-v2 sentence embeddings as a NumPy forward pass, so the kiosk never needs torch.

The weights come from `models/minilm` through `modelstore.require_model`, the tokenizer from the
same folder through the `tokenizers` library. The maths is BERT's: token + position + type
embeddings, six post-LayerNorm encoder layers with exact (erf) GELU, mean pooling over the
attention mask and L2 normalisation, which is what sentence-transformers does for this model;
`tests/integration/brain/test_embedding_parity.py` holds the two to 1e-4.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

import modelstore

MODEL_NAME = "minilm-l6-v2"
#: sentence-transformers' max_seq_length for this model (the tokenizer file says 128).
MAX_TOKENS = 256
_BATCH = 32
_CACHE_SIZE = 4096


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7): NumPy has no erf and scipy is dev-only."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))


def _dense(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """`x @ weight + bias` over the last axis as one 2-D GEMM: NumPy's broadcast 3-D @ 2-D
    matmul skips BLAS and is ~30x slower here."""
    flat = x.reshape(-1, x.shape[-1]) @ weight + bias
    return flat.reshape(*x.shape[:-1], weight.shape[1])


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


@dataclass(frozen=True)
class _Layer:
    """One encoder layer's weights, pre-transposed so the forward pass is plain `x @ w + b`."""

    qkv_w: np.ndarray
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_w: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_w: np.ndarray
    ln2_b: np.ndarray


class MiniLmEncoder:
    """Encode sentences into 384-d unit vectors; thread-safe, with a small LRU cache per text."""

    def __init__(self, folder: Path) -> None:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.hidden = int(config["hidden_size"])
        self.eps = float(config["layer_norm_eps"])
        weights = load_file(str(folder / "model.safetensors"))
        self._word = weights["embeddings.word_embeddings.weight"]
        self._position = weights["embeddings.position_embeddings.weight"]
        self._type = weights["embeddings.token_type_embeddings.weight"]
        self._emb_ln = (
            weights["embeddings.LayerNorm.weight"],
            weights["embeddings.LayerNorm.bias"],
        )
        self._layers = tuple(
            self._layer(weights, f"encoder.layer.{i}.")
            for i in range(int(config["num_hidden_layers"]))
        )
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()  # batches are padded by length bucket in `_encode_uncached`
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _layer(w: dict[str, np.ndarray], p: str) -> _Layer:
        att = p + "attention."
        return _Layer(
            qkv_w=np.concatenate(
                [w[f"{att}self.{n}.weight"] for n in ("query", "key", "value")], axis=0
            ).T.copy(),
            qkv_b=np.concatenate([w[f"{att}self.{n}.bias"] for n in ("query", "key", "value")]),
            out_w=w[f"{att}output.dense.weight"].T.copy(),
            out_b=w[f"{att}output.dense.bias"],
            ln1_w=w[f"{att}output.LayerNorm.weight"],
            ln1_b=w[f"{att}output.LayerNorm.bias"],
            up_w=w[p + "intermediate.dense.weight"].T.copy(),
            up_b=w[p + "intermediate.dense.bias"],
            down_w=w[p + "output.dense.weight"].T.copy(),
            down_b=w[p + "output.dense.bias"],
            ln2_w=w[p + "output.LayerNorm.weight"],
            ln2_b=w[p + "output.LayerNorm.bias"],
        )

    def _attention(self, x: np.ndarray, layer: _Layer, bias: np.ndarray) -> np.ndarray:
        batch, length, _ = x.shape
        head_dim = self.hidden // self.heads
        qkv = _dense(x, layer.qkv_w, layer.qkv_b)
        qkv = qkv.reshape(batch, length, 3, self.heads, head_dim).transpose(2, 0, 3, 1, 4)
        stack = (batch * self.heads, length, head_dim)
        q = np.ascontiguousarray(qkv[0]).reshape(stack)
        k = np.ascontiguousarray(qkv[1]).reshape(stack)
        v = np.ascontiguousarray(qkv[2]).reshape(stack)
        scores = np.matmul(q, k.transpose(0, 2, 1)) * np.float32(1.0 / np.sqrt(head_dim))
        scores = scores.reshape(batch, self.heads, length, length) + bias
        scores -= scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        context = np.matmul(probs.reshape(batch * self.heads, length, length), v)
        context = context.reshape(batch, self.heads, length, head_dim).transpose(0, 2, 1, 3)
        return _dense(context.reshape(batch, length, self.hidden), layer.out_w, layer.out_b)

    def _forward(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        length = ids.shape[1]
        x = self._word[ids] + self._position[:length][None, :, :] + self._type[types]
        x = _layer_norm(x, *self._emb_ln, self.eps)
        bias = ((1.0 - mask[:, None, None, :]) * np.float32(-1e9)).astype(np.float32)
        for layer in self._layers:
            x = _layer_norm(x + self._attention(x, layer, bias), layer.ln1_w, layer.ln1_b, self.eps)
            hidden = _gelu(_dense(x, layer.up_w, layer.up_b))
            x = _layer_norm(x + _dense(hidden, layer.down_w, layer.down_b), layer.ln2_w,
                            layer.ln2_b, self.eps)
        weights = mask[:, :, None]
        pooled = (x * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _encode_uncached(self, texts: Sequence[str]) -> np.ndarray:
        """Encode in batches of similar token length: padding a 12-token expected point to an
        80-token answer chunk would multiply the work (the cost is ~21 MFLOP per token)."""
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(encodings), self.hidden), np.float32)
        start = 0
        while start < len(order):
            shortest = len(encodings[order[start]].ids)
            end = start + 1
            while (end < len(order) and end - start < _BATCH
                   and len(encodings[order[end]].ids) <= shortest * 1.25 + 4):
                end += 1
            batch = [encodings[i] for i in order[start:end]]
            width = max(len(e.ids) for e in batch)
            ids = np.zeros((len(batch), width), np.int64)
            types = np.zeros((len(batch), width), np.int64)
            mask = np.zeros((len(batch), width), np.float32)
            for row, encoding in enumerate(batch):
                n = len(encoding.ids)
                ids[row, :n] = encoding.ids
                types[row, :n] = encoding.type_ids
                mask[row, :n] = 1.0
            out[order[start:end]] = self._forward(ids, types, mask)
            start = end
        return out

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text; repeated texts come from the cache (scoring reuses
        the same expected points for every answer to a question)."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = self._encode_uncached(missing)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = vector
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        with self._lock:
            rows = [self._cache.get(t) for t in texts]
        if any(r is None for r in rows):  # evicted between the two locks: rare, recompute
            return self._encode_uncached(list(texts))
        return np.stack(rows) if rows else np.zeros((0, self.hidden), np.float32)


@lru_cache(maxsize=2)
def get_encoder(models_dir: Path | None = None) -> MiniLmEncoder:
    """The process-wide encoder: verified and loaded once (~0.3 s), then shared."""
    return MiniLmEncoder(modelstore.require_model(MODEL_NAME, models_dir))


__all__ = ["MAX_TOKENS", "MODEL_NAME", "MiniLmEncoder", "get_encoder"]
