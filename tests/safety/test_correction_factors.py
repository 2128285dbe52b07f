"""Tests of the MPE correction factors: published values, continuity, limits."""

from __future__ import annotations

import numpy as np
import pytest

from dermalase.safety.correction_factors import (
    ALPHA_MIN,
    alpha_max,
    c_1,
    c_2,
    c_a,
    c_b,
    c_c,
    c_e,
    t1,
    t2,
)


@pytest.mark.parametrize(
    ("factor", "wavelength", "expected", "tolerance"),
    [
        # Directive 2006/25/EC Annex II Table 2.5 formulas, evaluated by hand
        (c_a, 532e-9, 1.0, 1e-12),
        (c_a, 1030e-9, 4.571, 1e-3),  # 10^0.66
        (c_a, 1064e-9, 5.0, 1e-12),
        (c_b, 430e-9, 1.0, 1e-12),
        (c_b, 500e-9, 10.0, 1e-12),
        (c_c, 1064e-9, 1.0, 1e-12),
        (c_c, 1175e-9, 2.818, 1e-3),  # 10^0.45
        # Directive 2006/25/EC Table 2.2 per-nm UV-B values of C_2 (two figures)
        (c_2, 303e-9, 40.0, 1e-2),
        (c_2, 310e-9, 1e3, 1e-12),
        (c_2, 314e-9, 6.3e3, 1e-2),
    ],
)
def test_factor_values(factor, wavelength, expected, tolerance):
    assert factor(wavelength) == pytest.approx(expected, rel=tolerance)


@pytest.mark.parametrize(
    ("nanometres", "directive"),
    # Directive 2006/25/EC Table 2.2: "if t < T1 then H = 5.6e3 t^0.25"
    [(303, 2.6e-9), (305, 1.0e-7), (308, 2.6e-5), (310, 1.0e-3), (313, 2.6e-1)],
)
def test_t1_matches_the_directive_and_meets_c1_with_c2(nanometres, directive):
    wavelength = nanometres * 1e-9
    # The Directive lists the exact crossing (C_2 / 5.6e3)^4 to two figures; the formula
    # 10^(0.8 (λ - 295)) 1e-15 s differs from it by 5.6e3^4 / 1e15 (1.7 %), plus the
    # two-figure rounding (up to 2 %).
    assert t1(wavelength) == pytest.approx(directive, rel=4e-2)
    # T_1 is where the thermal C_1 meets the photochemical C_2 (to the 5.6e3 rounding)
    assert c_1(t1(wavelength)) == pytest.approx(c_2(wavelength), rel=5e-3)


def test_factors_continuous_at_their_breakpoints():
    assert c_a(1050e-9 * (1 - 1e-9)) == pytest.approx(c_a(1050e-9), rel=3e-3)  # 10^0.7 = 5.012
    assert c_c(1150e-9 * (1 - 1e-9)) == pytest.approx(c_c(1150e-9), rel=1e-6)
    assert c_c(1200e-9 * (1 - 1e-9)) == pytest.approx(c_c(1200e-9), rel=1e-2)


def test_source_size_factors():
    assert c_e(0.0, 1.0) == c_e(ALPHA_MIN, 1.0) == 1.0
    assert t2(0.0) == t2(ALPHA_MIN) == 10.0
    assert t2(0.1) == pytest.approx(100.0) and t2(1.0) == 100.0
    alphas = np.geomspace(1e-4, 1.0, 50)
    assert np.all(np.diff([t2(alpha) for alpha in alphas]) >= 0)
    # α_max of the 2014 edition: 5 mrad below 625 µs, 200 t^0.5 mrad, 100 mrad beyond 0.25 s
    assert alpha_max(1e-4) == 5e-3
    assert alpha_max(625e-6) == pytest.approx(5e-3)  # continuous at 625 µs
    assert alpha_max(0.25) == pytest.approx(0.1)  # and at 0.25 s
    assert c_e(1.0, 1e-6) == pytest.approx(5e-3 / ALPHA_MIN)
