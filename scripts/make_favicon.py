"""Write the site's icon: static/favicon.svg and root_files/favicon.ico, from one drawing.

Two arrows passing each other (an exchange) on the links' blue. The ICO holds PNGs at 16,
32 and 48 px, rasterised here with the standard library alone, so no image tool or download
is needed and running it again writes the same bytes:

    .venv/bin/python scripts/make_favicon.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = 32  # the drawing's own units
CORNER = 6
BLUE = (0x0A, 0x58, 0xCA)
WHITE = (0xFF, 0xFF, 0xFF)
# Right-pointing arrow above, left-pointing below, mirror images of each other.
ARROWS = (
    ((7, 10), (19, 10), (19, 6.5), (26, 11.5), (19, 16.5), (19, 13), (7, 13)),
    ((25, 19), (13, 19), (13, 15.5), (6, 20.5), (13, 25.5), (13, 22), (25, 22)),
)
ICO_SIZES = (16, 32, 48)
SAMPLES = 4  # per pixel side, for smooth edges


def svg() -> bytes:
    paths = " ".join(
        "M" + " ".join(f"{x:g} {y:g}" for x, y in arrow) + "Z" for arrow in ARROWS)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
            f'<rect width="{SIZE}" height="{SIZE}" rx="{CORNER}" fill="#{bytes(BLUE).hex()}"/>'
            f'<path fill="#{bytes(WHITE).hex()}" d="{paths}"/></svg>\n').encode()


def _in_square(x: float, y: float) -> bool:
    # Distance from the nearest corner's centre decides only inside the corner boxes.
    cx = min(max(x, CORNER), SIZE - CORNER)
    cy = min(max(y, CORNER), SIZE - CORNER)
    return 0 <= x <= SIZE and 0 <= y <= SIZE and (x - cx) ** 2 + (y - cy) ** 2 <= CORNER ** 2


def _in_polygon(x: float, y: float, points: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _pixels(size: int) -> list[bytes]:
    """Rows of RGBA bytes: each pixel the average of SAMPLES x SAMPLES points of the drawing."""
    rows = []
    step = SIZE / size / SAMPLES
    for py in range(size):
        row = bytearray()
        for px in range(size):
            rgb, alpha = [0, 0, 0], 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x, y = (px * SAMPLES + sx + 0.5) * step, (py * SAMPLES + sy + 0.5) * step
                    if not _in_square(x, y):
                        continue
                    colour = WHITE if any(_in_polygon(x, y, a) for a in ARROWS) else BLUE
                    rgb = [total + part for total, part in zip(rgb, colour, strict=True)]
                    alpha += 1
            row += bytes(c // alpha for c in rgb) if alpha else bytes(3)
            row.append(255 * alpha // SAMPLES ** 2)
        rows.append(bytes(row))
    return rows


def png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    data = zlib.compress(b"".join(b"\0" + row for row in _pixels(size)), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def ico() -> bytes:
    """An ICO of PNG images (read by every current browser), one directory entry per size."""
    images = [png(size) for size in ICO_SIZES]
    offset = 6 + 16 * len(images)
    directory = struct.pack("<HHH", 0, 1, len(images))
    for size, image in zip(ICO_SIZES, images, strict=True):
        directory += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return directory + b"".join(images)


def main() -> None:
    (ROOT / "static" / "favicon.svg").write_bytes(svg())
    (ROOT / "root_files").mkdir(exist_ok=True)
    (ROOT / "root_files" / "favicon.ico").write_bytes(ico())


if __name__ == "__main__":
    main()
