"""The Darknet converter on small networks written here: structure, errors, determinism.

Numerical agreement with Darknet on the real yolov3-tiny is checked against OpenCV 4.x's
independent reader in tests/integration/proctor/test_darknet_reference.py.
"""

from __future__ import annotations

import json

import numpy as np
import onnxruntime as ort
import pytest

from modelstore.convert.darknet import DarknetError, convert, parse_cfg, read_names

TINY_CFG = """
[net]
width=64
height=64
channels=3

[convolutional]
batch_normalize=1
filters=4
size=3
stride=1
pad=1
activation=leaky

[maxpool]
size=2
stride=16

[convolutional]
batch_normalize=1
filters=8
size=3
stride=1
pad=1
activation=leaky

[maxpool]
size=2
stride=2

[maxpool]
size=2
stride=1

[convolutional]
size=1
stride=1
pad=1
filters=21
activation=linear

[yolo]
mask = 1,2,3
anchors = 4,5, 10,12, 20,24, 40,44
classes=2
num=4

[route]
layers = -4

[upsample]
stride=2

[route]
layers = -1, 2

[convolutional]
size=1
stride=1
pad=1
filters=14
activation=linear

[yolo]
mask = 0,1
anchors = 4,5, 10,12, 20,24, 40,44
classes=2
num=4
"""
NAMES = ["cat", "cell phone"]
# parameters in file order: (filters, inputs, size, batch-normalised)
LAYERS = [(4, 3, 3, True), (8, 4, 3, True), (21, 8, 1, False), (14, 16, 1, False)]


def _weights(extra: int = 0, missing: int = 0, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    header = np.array([0, 2, 5], "<i4").tobytes() + np.array([123456], "<i8").tobytes()
    values = []
    for filters, inputs, size, normalised in LAYERS:
        values.append(rng.normal(0, 0.1, filters))  # biases
        if normalised:
            values += [rng.uniform(0.5, 1.5, filters), rng.normal(0, 0.1, filters)]
            values.append(rng.uniform(0.2, 2.0, filters))  # variances
        values.append(rng.normal(0, 0.2, filters * inputs * size * size))
    body = np.concatenate(values).astype("<f4").tobytes()
    body += b"\0" * 4 * extra
    return header + body[: len(body) - 4 * missing]


def _run(model, side: int) -> list[np.ndarray]:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    image = np.random.default_rng(1).random((1, 3, side, side), np.float32)
    return session.run(None, {"images": image})


def test_heads_and_metadata_describe_the_network():
    model = convert(TINY_CFG, _weights(), NAMES)
    meta = {p.key: p.value for p in model.metadata_props}
    assert meta["format"] == "darknet-yolo" and meta["stride"] == "32"
    assert meta["names"] == "{0: 'cat', 1: 'cell phone'}"
    heads = json.loads(meta["heads"])
    assert [h["output"] for h in heads] == ["yolo_6", "yolo_11"]
    assert heads[0]["anchors"] == [[10, 12], [20, 24], [40, 44]]
    assert heads[1]["anchors"] == [[4, 5], [10, 12]]
    assert json.loads(meta["input_size"]) == [64, 64]


@pytest.mark.parametrize("side", [64, 96, 128])
def test_one_file_serves_any_multiple_of_the_stride(side):
    coarse, fine = _run(convert(TINY_CFG, _weights(), NAMES), side)
    # the stride-1 maxpool keeps the size; the upsample doubles it back for the second head
    assert coarse.shape == (1, 21, side // 32, side // 32)
    assert fine.shape == (1, 14, side // 16, side // 16)


def test_conversion_is_byte_deterministic_and_depends_on_the_weights():
    first = convert(TINY_CFG, _weights(), NAMES).SerializeToString()
    assert convert(TINY_CFG, _weights(), NAMES).SerializeToString() == first
    assert convert(TINY_CFG, _weights(seed=1), NAMES).SerializeToString() != first


def test_batch_norm_is_folded_with_darknets_formula():
    """Known numbers: y = leaky(gamma * (w x - mean) / (sqrt(var) + 1e-6) + b)."""
    cfg = (
        "[net]\nwidth=32\nheight=32\nchannels=1\n"
        "[convolutional]\nbatch_normalize=1\nfilters=1\nsize=1\nstride=1\npad=0\n"
        "activation=leaky\n"
        "[convolutional]\nfilters=6\nsize=1\nstride=1\npad=0\nactivation=linear\n"
        "[yolo]\nmask=0\nanchors=1,1\nclasses=1\nnum=1\n"
    )
    bias, gamma, mean, variance, weight = 0.5, 2.0, 0.25, 4.0, 3.0
    header = np.array([0, 1, 0, 0], "<i4").tobytes()  # old format: 32-bit images-seen
    second = np.concatenate([np.zeros(6), np.eye(6)[:, :1].reshape(-1)])  # head = identity
    values = np.concatenate([[bias, gamma, mean, variance, weight], second]).astype("<f4")
    model = convert(cfg, header + values.tobytes(), ["thing"])
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    for x in (1.0, -1.0):
        (head,) = session.run(None, {"images": np.full((1, 1, 32, 32), x, np.float32)})
        normalised = gamma * (weight * x - mean) / (np.sqrt(variance) + 1e-6) + bias
        expected = normalised if normalised > 0 else 0.1 * normalised
        assert head[0, 0, 0, 0] == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (_weights(missing=3), "ends early"),
        (_weights(extra=2), "2 values in the .weights file are unused"),
        (b"\0" * 8, "too short"),
    ],
)
def test_weights_that_do_not_fit_the_cfg_are_refused(weights, message):
    with pytest.raises(DarknetError, match=message):
        convert(TINY_CFG, weights, NAMES)


@pytest.mark.parametrize(
    ("cfg", "message"),
    [
        (TINY_CFG.replace("[upsample]", "[reorg]"), r"\[reorg\] \(line \d+\) is not supported"),
        (TINY_CFG.replace("activation=leaky", "activation=mish", 1), "'mish' is not supported"),
        (TINY_CFG.replace("layers = -1, 2", "layers = -1, 12"), "refers to"),
        (TINY_CFG.replace("filters=21", "filters=20"), "expects 21 channels, gets 20"),
        ("width=3\n" + TINY_CFG, "option outside any section"),
        ("[convolutional]\nfilters=1\n", r"starts with a \[net\] section"),
    ],
)
def test_cfg_problems_are_named(cfg, message):
    with pytest.raises(DarknetError, match=message):
        convert(cfg, _weights(), NAMES)


def test_names_must_match_the_class_count():
    with pytest.raises(DarknetError, match="2 classes, the names file 3"):
        convert(TINY_CFG, _weights(), [*NAMES, "book"])


def test_names_file_without_final_newline_and_comments_in_cfg():
    assert read_names("person\nbicycle\n\ncar") == ["person", "bicycle", "car"]
    (net, conv) = parse_cfg("[net]\nwidth=8 # comment\n;note\n[convolutional]\nfilters = 2\n")
    assert net.options == {"width": "8"} and conv.integer("filters") == 2
