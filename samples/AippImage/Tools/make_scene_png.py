"""Draws the sample's picture, a small landscape (sky, sun, hills, a tree), and writes it as an 8-bit RGB PNG.

The image is this project's own work (public domain). Only the standard library is used: PNG is zlib-compressed
scanlines with a filter byte per row, in CRC-checked chunks.
"""
import math
import struct
import sys
import zlib

W, H = 48, 40


def pixel(x, y):
    # Sky: blue, lighter towards the horizon.
    r, g, b = 90 + y * 3, 150 + y * 2, 235
    # Sun, upper right, with a soft edge.
    d = math.hypot(x - 36, y - 9)
    if d < 6:
        r, g, b = 255, 225, 90
    elif d < 8:
        t = (d - 6) / 2
        r, g, b = int(255 * (1 - t) + r * t), int(225 * (1 - t) + g * t), int(90 * (1 - t) + b * t)
    # Rolling hills, shaded by height.
    hill = 26 + 4 * math.sin(x / 7.0) + 2 * math.sin(x / 3.0 + 1)
    if y > hill:
        shade = (y - hill) * 4
        r, g, b = 60 - min(40, int(shade)), 150 - min(60, int(shade)), 50
    # A tree: trunk and crown on the left.
    if 9 <= x <= 11 and 20 <= y <= 31:
        r, g, b = 110, 70, 35
    if math.hypot(x - 10, y - 17) < 5.5:
        r, g, b = 30, 110 + (x * 7 + y * 3) % 25, 40
    return bytes((max(0, min(255, r)), max(0, min(255, g)), max(0, min(255, b))))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(W)) for y in range(H))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
with open(sys.argv[1] if len(sys.argv) > 1 else "scene.png", "wb") as f:
    f.write(png)
