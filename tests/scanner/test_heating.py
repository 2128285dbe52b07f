import math

import numpy as np
import pytest
from scipy import integrate

from dermalase.exceptions import InputError
from dermalase.scanner.heating import (
    CONDUCTIVITY,
    DENSITY,
    SPECIFIC_HEAT,
    bulk_temperature_rise,
    compare_figures,
    heat_figures,
    line_source_rise,
    min_spacing_within_window,
    residual_fluence,
    spot_relaxation_time,
    surface_source_rise,
    thermal_diffusivity,
)

RHO_C = DENSITY * SPECIFIC_HEAT
ALPHA = thermal_diffusivity()


@pytest.mark.parametrize("width", [0.0, 100e-6])
def test_surface_source_conserves_energy(width):
    # integral of rho c dT over the half space equals Q (no perfusion); quadrature
    # tolerance 1e-6 relative
    heat, time = 1e-3, 0.5
    scale = math.sqrt(4 * ALPHA * time) + width

    def integrand(z, r):
        return 2 * math.pi * r * surface_source_rise(r, time, heat, source_width=width, depth=z)

    total, _ = integrate.dblquad(integrand, 0, 12 * scale, 0, 12 * scale, epsrel=1e-9)
    assert RHO_C * total == pytest.approx(heat, rel=1e-6)


def test_line_source_conserves_energy_per_length():
    per_length, time = 5.0, 0.2
    scale = math.sqrt(4 * ALPHA * time)
    total, _ = integrate.quad(
        lambda r: 2 * math.pi * r * line_source_rise(r, time, per_length),
        0,
        12 * scale,
        epsrel=1e-10,
    )
    assert RHO_C * total == pytest.approx(per_length, rel=1e-6)


def test_point_and_line_kernels_match_the_textbook_forms():
    r, time, heat = 0.4e-3, 0.3, 2e-3
    point = (
        2
        * heat
        / (RHO_C * (4 * math.pi * ALPHA * time) ** 1.5)
        * math.exp(-(r**2) / (4 * ALPHA * time))
    )
    line = heat / (4 * math.pi * CONDUCTIVITY * time) * math.exp(-(r**2) / (4 * ALPHA * time))
    assert surface_source_rise(r, time, heat) == pytest.approx(point, rel=1e-12)
    assert line_source_rise(r, time, heat) == pytest.approx(line, rel=1e-12)


def test_single_earlier_spot_superposes_to_the_closed_form():
    heat, r, dt = 3e-3, 0.5e-3, 0.4
    x, y, t = np.array([0.0, r]), np.zeros(2), np.array([0.0, dt])
    rise = bulk_temperature_rise(x, y, t, heat, spot_diameter=0.0, perfusion_rate=0.0)
    closed = (
        2
        * heat
        / (RHO_C * (4 * math.pi * ALPHA * dt) ** 1.5)
        * math.exp(-(r**2) / (4 * ALPHA * dt))
    )
    assert rise[0] == 0.0
    assert rise[1] == pytest.approx(closed, rel=1e-12)


def test_perfusion_and_horizon_only_lower_the_rise():
    rng = np.random.default_rng(1)
    x, y = rng.random(400) * 5e-3, rng.random(400) * 5e-3
    t = np.arange(400) / 100.0
    kwargs = {"spot_diameter": 300e-6, "time_horizon": 10.0}
    without = bulk_temperature_rise(x, y, t, 5e-3, perfusion_rate=0.0, **kwargs)
    perfused = bulk_temperature_rise(x, y, t, 5e-3, perfusion_rate=0.05, **kwargs)
    shorter = bulk_temperature_rise(
        x, y, t, 5e-3, perfusion_rate=0.0, spot_diameter=300e-6, time_horizon=1.0
    )
    assert np.all(perfused <= without) and perfused.max() < without.max()
    assert np.all(shorter <= without + 1e-15)
    # linear in the heat per spot
    double = bulk_temperature_rise(x, y, t, 10e-3, perfusion_rate=0.0, **kwargs)
    assert np.allclose(double, 2 * without)


def test_min_spacing_matches_brute_force():
    rng = np.random.default_rng(7)
    n = 300
    x, y = rng.random(n) * 1e-2, rng.random(n) * 1e-2
    t = np.sort(rng.random(n)) * 10.0
    window = 0.2
    best = math.inf
    for i in range(n):
        for j in range(i + 1, n):
            if abs(t[j] - t[i]) <= window:
                best = min(best, math.hypot(x[i] - x[j], y[i] - y[j]))
    assert min_spacing_within_window(x, y, t, window) == pytest.approx(best, rel=1e-12)


def test_no_pair_in_the_window_gives_infinity():
    x, y, t = np.array([0.0, 1e-3]), np.zeros(2), np.array([0.0, 1.0])
    assert math.isinf(min_spacing_within_window(x, y, t, 0.5))


def test_relaxation_time_of_a_column():
    # d^2 / (16 alpha): 300 um, alpha = 0.37 / (1100 * 3224) (dermis, Ye & De 2017) -> 54 ms
    assert spot_relaxation_time(300e-6) == pytest.approx(300e-6**2 / (16 * ALPHA))
    assert spot_relaxation_time(300e-6) == pytest.approx(0.0539, rel=1e-2)


def test_column_source_spans_line_and_surface_limits():
    r, time, heat = 0.3e-3, 0.2, 4e-3
    reach = math.sqrt(4 * ALPHA * time)  # 0.29 mm
    # a column much deeper than the diffusion length is the infinite line
    deep = line_source_rise(r, time, heat / 5e-3, column_depth=5e-3)
    assert deep == pytest.approx(line_source_rise(r, time, heat / 5e-3), rel=1e-9)
    # a column much shallower is the surface source of the same heat
    shallow = 1e-4 * reach
    column = line_source_rise(r, time, heat / shallow, column_depth=shallow)
    assert column == pytest.approx(surface_source_rise(r, time, heat), rel=1e-6)
    # in between it lies below the infinite line of the same heat per length
    middle = line_source_rise(r, time, heat / reach, column_depth=reach)
    assert middle < line_source_rise(r, time, heat / reach)


def test_column_superposes_to_its_closed_form():
    heat, depth, r, dt = 5e-3, 400e-6, 0.4e-3, 0.5
    x, y, t = np.array([0.0, r]), np.zeros(2), np.array([0.0, dt])
    rise = bulk_temperature_rise(
        x, y, t, heat, spot_diameter=0.0, source="line", column_depth=depth, perfusion_rate=0.0
    )
    closed = line_source_rise(r, dt, heat / depth, column_depth=depth)
    assert rise[1] == pytest.approx(closed, rel=1e-12)


def test_residual_fluence_is_capped_at_the_threshold():
    assert residual_fluence(3e4, 1e4) == 1e4  # above threshold: F_th stays
    assert residual_fluence(0.5e4, 1e4) == 0.5e4  # below: all of it


def test_figures_and_comparison():
    x = np.arange(10) * 1e-3
    y = np.zeros(10)
    t = np.arange(10) / 10.0
    figures = heat_figures(x, y, t, 1e-3, spot_diameter=300e-6, window=0.15)
    assert figures.min_spacing == pytest.approx(1e-3)
    assert figures.peak_rise > 0.0
    same = compare_figures(figures, figures)
    assert same.spacing_ratio == 1.0 and same.temperature_reduction == 0.0


def test_unsorted_times_and_bad_source_are_refused():
    x, y = np.zeros(2), np.zeros(2)
    with pytest.raises(InputError, match="firing order"):
        bulk_temperature_rise(x, y, np.array([1.0, 0.0]), 1e-3, spot_diameter=1e-4)
    with pytest.raises(InputError, match="surface"):
        bulk_temperature_rise(x, y, np.array([0.0, 1.0]), 1e-3, spot_diameter=1e-4, source="volume")
    with pytest.raises(InputError, match="depth"):
        bulk_temperature_rise(x, y, np.array([0.0, 1.0]), 1e-3, spot_diameter=1e-4, source="line")
