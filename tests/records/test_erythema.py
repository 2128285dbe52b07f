"""The erythema index of photos: colorimetry checks, invariants, and the reference patch."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from dermalase.records.erythema import comparability, erythema_index, linear_rgb
from dermalase.records.testcard import REFERENCE_REGION, SKIN_REGION, card_image


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def test_srgb_red_has_the_published_cielab_a_star():
    # sRGB (255, 0, 0) is CIELAB (53.24, 80.09, 67.20) under D65, 2° (IEC 61966-2-1 with
    # CIE 15:2004); the value is exact arithmetic, so the tolerance only covers rounding of
    # the published figure (two decimals).
    reading = erythema_index(np.full((2, 2, 3), (255, 0, 0), dtype=np.uint8))
    assert reading.a_star == pytest.approx(80.09, abs=0.01)


def test_the_log_ratio_index_is_diffeys_definition():
    # linear red twice linear green: EI = 100 log10(2) = 30.10 (Diffey et al. 1984)
    image = np.zeros((2, 2, 3))
    image[..., 0], image[..., 1], image[..., 2] = 0.5, 0.25, 0.25
    from dermalase.records.erythema import _encode

    reading = erythema_index(_encode(image))
    assert reading.log_index == pytest.approx(30.10, abs=0.02)


def test_a_neutral_surface_has_no_redness():
    for level in (40, 128, 230):
        reading = erythema_index(np.full((3, 3, 3), level, dtype=np.uint8))
        assert abs(reading.a_star) < 0.01
        assert abs(reading.log_index) < 1e-9


def test_both_indices_rise_with_redness():
    readings = [
        erythema_index(_pixels(card_image(r)), SKIN_REGION, REFERENCE_REGION)
        for r in np.linspace(0.0, 1.0, 6)
    ]
    assert all(np.diff([r.a_star for r in readings]) > 0)
    assert all(np.diff([r.log_index for r in readings]) > 0)


@pytest.mark.parametrize("light", [(1.0, 0.85, 0.7), (0.7, 0.7, 0.7), (0.9, 1.0, 1.1)])
def test_the_reference_patch_removes_the_colour_and_level_of_the_light(light):
    neutral = erythema_index(_pixels(card_image(0.5)), SKIN_REGION, REFERENCE_REGION)
    lit = _pixels(card_image(0.5, light=light, seed=1))
    corrected = erythema_index(lit, SKIN_REGION, REFERENCE_REGION)
    uncorrected = erythema_index(lit, SKIN_REGION)
    # JPEG quantisation and the ±2-level texture noise move a* by a few tenths
    assert corrected.a_star == pytest.approx(neutral.a_star, abs=0.6)
    assert corrected.log_index == pytest.approx(neutral.log_index, abs=0.6)
    assert abs(uncorrected.a_star - neutral.a_star) > 1.0
    assert corrected.referenced and not uncorrected.referenced


def test_the_region_reads_only_the_skin():
    card = _pixels(card_image(0.8))
    skin = erythema_index(card, SKIN_REGION)
    whole = erythema_index(card)
    assert skin.pixels == (SKIN_REGION[2] - SKIN_REGION[0]) * (SKIN_REGION[3] - SKIN_REGION[1])
    assert skin.a_star > whole.a_star  # the grey board dilutes the whole image


def test_linearisation_is_the_srgb_transfer_function():
    # IEC 61966-2-1: 0.04045 and below is linear (÷ 12.92); 1.0 maps to 1.0
    assert linear_rgb(np.array([0.04045]))[0] == pytest.approx(0.04045 / 12.92)
    assert linear_rgb(np.array([1.0]))[0] == pytest.approx(1.0)
    assert linear_rgb(np.array([128], dtype=np.uint8))[0] == pytest.approx(0.2158605, rel=1e-6)


def test_comparability_names_what_differs():
    assert comparability(["frontal", "frontal"], [True, True]) == []
    warnings = comparability(["frontal", "close_up"], [True, False])
    assert any("different views" in w for w in warnings)
    assert any("1 of 2" in w and "reference patch" in w for w in warnings)
