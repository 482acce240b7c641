"""Image sizes: metadata honoured, never larger than the screen, cells from the cell size."""

from __future__ import annotations

from ick.render.images.geometry import CellSize, Placement, fit, requested_size

CELL = CellSize(10, 20)


def test_the_natural_size_is_kept_when_it_fits():
    assert fit(64, 64, {}, CELL, 80, 24) == Placement(64, 64, columns=7, rows=4)


def test_width_and_height_metadata_are_honoured():
    # IPython's Image(width=...) and IRkernel send pixel sizes; one alone keeps the aspect.
    assert requested_size(640, 480, {"width": 320}) == (320, 240)
    assert requested_size(640, 480, {"height": "120"}) == (160, 120)
    assert requested_size(640, 480, {"width": 100, "height": 100}) == (100, 100)
    assert fit(64, 64, {"width": 128}, CELL, 80, 24).pixel_width == 128


def test_nonsense_metadata_is_ignored():
    for bad in ("50%", -3, 0, True, None, float("nan"), [1]):
        assert requested_size(640, 480, {"width": bad}) == (640, 480)


def test_too_wide_or_too_tall_is_shrunk_to_the_screen_keeping_the_aspect():
    wide = fit(2000, 100, {}, CELL, 80, 24)
    assert (wide.pixel_width, wide.pixel_height, wide.columns) == (800, 40, 80)
    tall = fit(100, 2000, {}, CELL, 80, 24)
    assert (tall.pixel_height, tall.pixel_width, tall.rows) == (480, 24, 24)
    asked_huge = fit(64, 64, {"width": 10_000}, CELL, 80, 24)
    assert asked_huge.pixel_width <= 800 and asked_huge.pixel_height <= 480
