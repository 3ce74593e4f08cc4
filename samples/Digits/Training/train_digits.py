#!/usr/bin/env python3
"""Trains the Digits sample's classifier and writes it as an ONNX model, with the held-out digits.

scikit-learn's handwritten digits (8x8 images, pixel values 0..16, 1797 samples) are split 80/20 with a fixed seed;
a small multilayer perceptron (64 -> 32 ReLU -> 10 softmax) is trained on the 80 % and written as
Models/digits.onnx; the 20 % go to Data/digits-test.csv for the C# sample to score. Users of the sample need none
of this (the outputs are committed); it documents where they come from. Needs: python3-sklearn (Debian).

The ONNX file is written with a small protobuf writer below (field numbers from onnx.proto), so the
protobuf package is not needed. Graph: probabilities = Softmax(Relu(pixels * 1/16 @ W1 + b1) @ W2 + b2).
"""
import os
import struct

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.dirname(HERE)


# ---- a minimal protobuf writer: varints, tags, length-delimited fields ----

def varint(value):
    out = bytearray()
    value &= (1 << 64) - 1  # negative int64 as two's complement, as protobuf does
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3 | 0) + varint(value)


def field_bytes(number, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return varint(number << 3 | 2) + varint(len(data)) + data


def field_float(number, value):
    return varint(number << 3 | 5) + struct.pack("<f", value)


# ---- ONNX messages (onnx.proto field numbers) ----

FLOAT = 1  # TensorProto.DataType.FLOAT


def tensor(name, array):
    array = np.asarray(array, dtype="<f4")
    body = b"".join(field_varint(1, d) for d in array.shape)  # dims
    body += field_varint(2, FLOAT)                              # data_type
    body += field_bytes(8, name)                                # name
    body += field_bytes(9, array.tobytes())                     # raw_data
    return body


def value_info(name, dims):
    shape = b""
    for d in dims:
        dim = field_bytes(2, d) if isinstance(d, str) else field_varint(1, d)  # dim_param / dim_value
        shape += field_bytes(1, dim)
    tensor_type = field_varint(1, FLOAT) + field_bytes(2, shape)  # elem_type, shape
    type_proto = field_bytes(1, tensor_type)                       # tensor_type
    return field_bytes(1, name) + field_bytes(2, type_proto)


def node(op_type, inputs, outputs, name, attributes=b""):
    body = b"".join(field_bytes(1, i) for i in inputs)
    body += b"".join(field_bytes(2, o) for o in outputs)
    body += field_bytes(3, name) + field_bytes(4, op_type) + attributes
    return body


def int_attribute(name, value):
    INT = 2  # AttributeProto.AttributeType.INT
    return field_bytes(5, field_bytes(1, name) + field_varint(3, value) + field_varint(20, INT))


def model_bytes(w1, b1, w2, b2):
    nodes = [
        node("Mul", ["pixels", "scale"], ["scaled"], "scale_pixels"),
        node("MatMul", ["scaled", "W1"], ["hidden_mm"], "hidden_matmul"),
        node("Add", ["hidden_mm", "b1"], ["hidden_pre"], "hidden_bias"),
        node("Relu", ["hidden_pre"], ["hidden"], "hidden_relu"),
        node("MatMul", ["hidden", "W2"], ["logits_mm"], "logits_matmul"),
        node("Add", ["logits_mm", "b2"], ["logits"], "logits_bias"),
        node("Softmax", ["logits"], ["probabilities"], "softmax", int_attribute("axis", 1)),
    ]
    initializers = [
        tensor("scale", np.array(1.0 / 16.0, dtype=np.float32)),
        tensor("W1", w1), tensor("b1", b1), tensor("W2", w2), tensor("b2", b2),
    ]
    graph = b"".join(field_bytes(1, n) for n in nodes)
    graph += field_bytes(2, "digits_mlp")
    graph += b"".join(field_bytes(5, t) for t in initializers)
    graph += field_bytes(11, value_info("pixels", ["N", 64]))
    graph += field_bytes(12, value_info("probabilities", ["N", 10]))
    opset = field_bytes(1, "") + field_varint(2, 13)
    return (field_varint(1, 8)                      # ir_version
            + field_bytes(2, "atc-dotnet digits sample")  # producer_name
            + field_bytes(7, graph)                 # graph
            + field_bytes(8, opset))                # opset_import


def main():
    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data, digits.target, test_size=0.2, random_state=7, stratify=digits.target)
    classifier = MLPClassifier(hidden_layer_sizes=(32,), max_iter=600, random_state=0)
    classifier.fit(x_train / 16.0, y_train)
    accuracy = classifier.score(x_test / 16.0, y_test)
    print(f"held-out accuracy (scikit-learn): {accuracy:.4f} on {len(y_test)} digits")

    (w1, w2), (b1, b2) = classifier.coefs_, classifier.intercepts_
    with open(os.path.join(SAMPLE, "Models", "digits.onnx"), "wb") as f:
        f.write(model_bytes(w1, b1, w2, b2))

    # Check the exported graph's math against scikit-learn's own probabilities.
    x = (x_test / 16.0).astype(np.float32)
    hidden = np.maximum(x @ w1.astype(np.float32) + b1.astype(np.float32), 0)
    logits = hidden @ w2.astype(np.float32) + b2.astype(np.float32)
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    assert np.allclose(probabilities, classifier.predict_proba(x_test / 16.0), atol=1e-4)

    with open(os.path.join(SAMPLE, "Data", "digits-test.csv"), "w") as f:
        f.write("# label,64 pixels (8x8, row-major, 0..16); held-out 20% of scikit-learn's digits\n")
        for label, pixels in zip(y_test, x_test.astype(int)):
            f.write(str(label) + "," + ",".join(str(p) for p in pixels) + "\n")
    with open(os.path.join(SAMPLE, "Data", "reference.txt"), "w") as f:
        f.write(f"accuracy {accuracy:.6f}\n")
        for row in probabilities[:5]:
            f.write("probabilities " + " ".join(f"{p:.6f}" for p in row) + "\n")


if __name__ == "__main__":
    main()
