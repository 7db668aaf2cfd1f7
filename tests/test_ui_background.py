import base64
import struct
import zlib

import numpy as np
import pytest

import optim_core as oc
from ui.figures.background import band_image, layout_image, levels, png_bytes, surface_data_uri


def _decode_png(data: bytes) -> np.ndarray:
    """A minimal reader for the PNGs we write (RGB, 8-bit, filter 0): an independent check."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body)
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 2)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, 1 + 3 * width)
    assert (raw[:, 0] == 0).all()
    return raw[:, 1:].reshape(height, width, 3)


def test_png_round_trip():
    rgb = np.random.default_rng(0).integers(0, 256, (7, 5, 3), dtype=np.uint8)
    np.testing.assert_array_equal(_decode_png(png_bytes(rgb)), rgb)


def test_low_loss_is_light_and_top_row_is_largest_y():
    s = oc.get_surface("elongated_quadratic")  # minimum at the centre, highest at the y edges
    img = band_image(s, 101).astype(int)
    assert img.shape == (101, 101, 3)
    centre, top_edge = img[50, 50].sum(), img[0, 50].sum()
    assert centre == 255 * 3 and top_edge < centre
    sad = band_image(oc.get_surface("saddle"), 101).astype(int)
    # x² − y²: high at the left/right edges, low at the top/bottom edges
    assert sad[50, 2].sum() < sad[2, 50].sum()


def test_levels_are_log_scaled_where_the_surface_spans_decades():
    ros = oc.get_surface("rosenbrock")
    z = np.array([1e-3, 1.0, 1e3, 1e6])
    lv = levels(ros, np.concatenate([z] * 30))
    assert lv.min() == 0.0 and lv.max() == 1.0
    # on a log scale 1 and 1000 sit evenly between 1e-3 and 1e6
    assert lv[1] == pytest.approx(1 / 3, abs=0.02) and lv[2] == pytest.approx(2 / 3, abs=0.02)


def test_the_picture_has_enough_bands_to_read_the_shape():
    img = band_image(oc.get_surface("himmelblau"), 201).reshape(-1, 3)
    shades = {tuple(c) for c in img}
    assert len(shades) >= 10 + 1  # at least ten fills, plus the contour line colour


def test_data_uri_and_layout_image_cover_the_bounds():
    uri = surface_data_uri("beale")
    assert uri.startswith("data:image/png;base64,")
    assert _decode_png(base64.b64decode(uri.split(",", 1)[1])).shape == (480, 480, 3)
    img = layout_image(oc.get_surface("beale"))
    assert (img["x"], img["y"], img["sizex"], img["sizey"]) == (-4.5, 4.5, 9.0, 9.0)
    assert img["layer"] == "below" and img["xref"] == "x"
    assert len(uri) < 40_000  # small enough to resend on every rerun


def test_concurrent_first_requests_for_one_picture_compute_it_once(monkeypatch):
    import threading
    import time

    import ui.figures.background as bg

    calls = []

    def slow_image(surface, size=480):
        calls.append(surface.name)
        time.sleep(0.2)  # long enough for every thread to arrive while the first computes
        return np.zeros((4, 4, 3), dtype=np.uint8)

    monkeypatch.setattr(bg, "band_image", slow_image)
    bg.surface_data_uri.cache_clear()
    try:
        results = []
        threads = [threading.Thread(target=lambda: results.append(bg.surface_data_uri("saddle", 4)))
                   for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert calls == ["saddle"] and len(results) == 8 and len(set(results)) == 1
        bg.surface_data_uri("beale", 4)  # another key is its own computation
        assert calls == ["saddle", "beale"]
    finally:
        bg.surface_data_uri.cache_clear()


def test_surface_colors_are_exactly_what_the_picture_paints():
    from ui.figures.background import BANDS, band_colors, surface_colors

    assert len(band_colors()) == BANDS and surface_colors()[:BANDS] == band_colors()
    for name in ("rosenbrock", "saddle", "himmelblau"):
        img = band_image(oc.get_surface(name), 121).reshape(-1, 3)
        painted = {"#{:02X}{:02X}{:02X}".format(*c) for c in img}
        assert painted <= set(surface_colors()), name
        assert surface_colors()[-1] in painted  # the contour line colour is really drawn
    # the lowest band is white, and the colours change monotonically up the ramp
    sums = [sum(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in band_colors()]
    assert band_colors()[0] == "#FFFFFF" and all(a > b for a, b in zip(sums, sums[1:]))


def test_surface_contrast_is_the_worst_ratio_over_the_picture():
    from ui.figures.background import surface_contrast

    # black on the darkest colour, the contour line #ACBCD0 (L = 0.4929): (0.4929 + 0.05) / 0.05 = 10.86
    assert surface_contrast("#000000") == pytest.approx(10.86, abs=0.01)
    assert surface_contrast("#FFFFFF") == pytest.approx(1.0)  # white on the white lowest band
    assert surface_contrast("#D55E00") < 3  # Okabe–Ito vermilion is too light to draw on the surface
