"""The loss surface as a raster image with contour bands, drawn with NumPy alone.

Plotly drops contour traces while an animation plays with ``redraw=False``
(plotly.js #1221), and redrawing a contour costs 100+ ms a frame. A picture in
``layout.images`` is part of the layout, not a trace, so it stays on screen and
costs nothing per frame. The contour lines are baked into the picture.
"""

from __future__ import annotations

import base64
import struct
import threading
import zlib
from functools import lru_cache, wraps

import numpy as np

import optim_core as oc
from ui.figures.theme import contrast_ratio

BANDS = 16
# Light to less light: low loss reads as white ground, high loss as pale grey-blue hills, and the
# contour lines a shade darker still. The whole ramp stays light (relative luminance 0.49 or more)
# so that every path colour in ``theme`` keeps 3:1 contrast or more on it (WCAG 2.2, SC 1.4.11):
# chosen together with the palette, and checked in tests/test_ui_theme.py.
_LOW = np.array([255, 255, 255], dtype=float)
_HIGH = np.array([190, 204, 222], dtype=float)
_LINE = np.array([172, 188, 208], dtype=float)
# where a typed f is undefined: warm grey with darker diagonal stripes, unlike any band (they are blue-white)
_UNDEFINED = np.array([226, 222, 214], dtype=float)
_HATCH = np.array([170, 160, 146], dtype=float)
HATCH = 10  # pixels between stripes


def _hex(rgb) -> str:
    return "#" + "".join(f"{int(round(float(c))):02X}" for c in rgb)


def band_colors() -> tuple[str, ...]:
    """The fill of every band, lowest loss first, as ``#RRGGBB`` (exactly what ``band_image`` paints)."""
    shade = np.arange(BANDS)[:, None] / (BANDS - 1)
    return tuple(_hex(c) for c in (_LOW + shade * (_HIGH - _LOW)).round())


def surface_colors() -> tuple[str, ...]:
    """Every colour a path can cross on a surface picture: the band fills and the contour line colour."""
    return band_colors() + (_hex(_LINE),)


def surface_contrast(hex_color: str) -> float:
    """The lowest WCAG contrast ratio of ``hex_color`` against the surface picture (3 or more to pass SC 1.4.11)."""
    return min(contrast_ratio(hex_color, c) for c in surface_colors())


def levels(surface: oc.Surface, z: np.ndarray) -> np.ndarray:
    """Loss mapped to [0, 1] for colouring: log-scaled on surfaces that span decades. Where the loss is not
    a finite number (a typed f undefined there) the level is NaN."""
    z = np.where(np.isfinite(z), np.asarray(z, dtype=float), np.nan)
    if not np.isfinite(z).any():
        return z
    with np.errstate(invalid="ignore"):
        if surface.log_contours:
            z = np.log10(z - np.nanmin(z) + 1e-3)
        lo, hi = np.nanpercentile(z, [1, 99])
        return np.clip((z - lo) / (hi - lo if hi > lo else 1.0), 0.0, 1.0)


def band_image(surface: oc.Surface, size: int = 480) -> np.ndarray:
    """An RGB image (size × size × 3, uint8), top row = largest y, with contour lines; where the loss is
    undefined, grey with diagonal hatching (masked: no band, no contour)."""
    _, _, z = surface.grid(size)
    level = levels(surface, z)
    defined = np.isfinite(level)
    band = np.minimum((np.where(defined, level, 0.0) * BANDS).astype(int), BANDS - 1)
    shade = (band / (BANDS - 1))[..., None]
    rgb = _LOW + shade * (_HIGH - _LOW)
    edge = np.zeros(band.shape, dtype=bool)
    edge[:, 1:] |= (band[:, 1:] != band[:, :-1]) & defined[:, 1:] & defined[:, :-1]
    edge[1:, :] |= (band[1:, :] != band[:-1, :]) & defined[1:, :] & defined[:-1, :]
    rgb[edge] = _LINE
    rows, cols = np.indices(band.shape)
    rgb[~defined] = np.where(((rows + cols) % HATCH < 2)[~defined, None], _HATCH, _UNDEFINED)
    return rgb[::-1].round().astype(np.uint8)


def png_bytes(rgb: np.ndarray) -> bytes:
    """Encode an RGB or RGBA uint8 image (h, w, 3 or 4) as PNG (colour type 2 or 6, filter 0 on every row)."""
    height, width, channels = rgb.shape
    raw = np.concatenate([np.zeros((height, 1), dtype=np.uint8), rgb.reshape(height, -1)], axis=1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, {3: 2, 4: 6}[channels], 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw.tobytes(), 9)) + chunk(b"IEND", b""))


def once_per_key(maxsize: int):
    """``lru_cache`` whose first callers of one key wait for a single computation.

    ``functools.lru_cache`` lets every thread that misses compute the value at once:
    a class opening the same page on a cold server would build one picture thirty
    times over (about 17 MB each).
    """
    def decorate(func):
        cached = lru_cache(maxsize=maxsize)(func)
        locks: dict[tuple, threading.Lock] = {}
        guard = threading.Lock()

        @wraps(func)
        def wrapper(*args):
            with guard:
                lock = locks.setdefault(args, threading.Lock())
            with lock:
                return cached(*args)

        wrapper.cache_clear = cached.cache_clear
        return wrapper

    return decorate


@once_per_key(maxsize=16)
def surface_data_uri(surface_name: str, size: int = 480) -> str:
    """The background picture of a named surface as a ``data:`` URI (memoised: it never changes)."""
    png = png_bytes(band_image(oc.get_surface(surface_name), size))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def layout_image(surface: oc.Surface) -> dict:
    """A ``layout.images`` entry that stretches the picture over the surface's bounds."""
    (x0, x1), (y0, y1) = surface.bounds
    return {"source": surface_data_uri(surface.name), "xref": "x", "yref": "y", "x": x0, "y": y1,
            "sizex": x1 - x0, "sizey": y1 - y0, "sizing": "stretch", "layer": "below"}
