"""The ray model of a fractional microbeam (physics.transport.gaussian_rays)."""

import numpy as np
import pytest

from dermalase.physics.column import make_column_grid
from dermalase.physics.transport import Deposition, LightTransport
from dermalase.physics.transport.gaussian_rays import (
    GaussianRays,
    beam_expansion,
    beam_rays,
    rayleigh_length,
)

CO2 = 10.6e-6


def test_rayleigh_length_of_the_hantash_microbeam():
    # pi w0^2 / lambda for w0 = 60 um at 10.6 um: 1.067 mm, worked by hand
    assert rayleigh_length(120e-6, CO2) == pytest.approx(1.0669e-3, rel=1e-3)
    assert beam_expansion(1.0669e-3, 1.0669e-3) == pytest.approx(np.sqrt(2.0))


def test_beam_quality_shortens_the_rayleigh_length_in_proportion():
    # z_R = pi w0^2 / (M^2 lambda) (Siegman 1986, ch. 17): M^2 = 2 halves it
    assert rayleigh_length(120e-6, CO2, 2.0) == pytest.approx(0.5 * rayleigh_length(120e-6, CO2))


def test_gaussian_rays_carry_the_beam():
    radius, fraction, outside = beam_rays("gaussian", 120e-6, 0.5e-6, 1.0)
    assert fraction.sum() + outside == pytest.approx(1.0, abs=1e-12)
    # 1 - exp(-2) of a Gaussian's power lies inside its 1/e^2 radius
    assert fraction[radius < 60e-6].sum() == pytest.approx(1 - np.exp(-2.0), abs=2e-3)
    radius, fraction, outside = beam_rays("top_hat", 100e-6, 1e-6, 1.0)
    assert outside == 0.0 and radius.max() < 50e-6
    # a top-hat's rays carry power in proportion to their annulus area
    assert fraction[0] == pytest.approx((1e-6 / 50e-6) ** 2)


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="top_hat"):
        beam_rays("bessel", 120e-6, 1e-6, 1.0)


@pytest.mark.parametrize("depth", [0.0, 0.3e-3, 1.0e-3, 3.0e-3])
def test_beam_radius_grows_with_depth_per_the_divergence(depth):
    # w(z) = w0 sqrt(1 + (z/z_R)^2); far below the focus the half-angle
    # divergence is w0 / z_R = M^2 lambda / (pi w0)
    spot, quality = 120e-6, 1.5
    z_r = float(rayleigh_length(spot, CO2, quality))
    beam = GaussianRays("gaussian", spot, z_r, 1e-6, 1e-3)
    w0 = 0.5 * spot
    assert beam.beam_radius(depth) == pytest.approx(w0 * np.sqrt(1.0 + (depth / z_r) ** 2))
    far = beam.beam_radius(1.0) / 1.0
    assert far == pytest.approx(quality * CO2 / (np.pi * w0), rel=1e-6)


def test_ray_paths_fan_out_with_depth():
    grid = make_column_grid(2e-6, 200e-6, 400e-6, 5e-6, 2e-3, 2e-3)
    beam = GaussianRays("gaussian", 120e-6, float(rayleigh_length(120e-6, CO2)), 1e-6, 400e-6)
    path = beam.paths(grid)
    outer = path[-1]
    assert np.all(np.diff(outer[outer >= 0]) >= 0)
    assert grid.radial.faces[outer[-1] + 1] > beam.beam_radius(grid.z[-1]) * 2.5
    collimated = GaussianRays("gaussian", 120e-6, np.inf, 1e-6, 400e-6).paths(grid)
    assert np.all(collimated == collimated[:, :1])


def _beam_and_column():
    grid = make_column_grid(2e-6, 100e-6, 200e-6, 2e-6, 100e-6, 300e-6)
    beam = GaussianRays("gaussian", 120e-6, float(rayleigh_length(120e-6, CO2)), 0.5e-6, 150e-6)
    absorption = np.full(grid.shape, 0.7 * 85480.0)
    removed = np.zeros(grid.shape, bool)
    removed[:10, :15] = True  # an open crater 20 um deep, 30 um across
    return grid, beam, absorption, removed


def test_is_a_light_transport():
    assert isinstance(GaussianRays("top_hat", 1e-4, np.inf, 1e-6, 1e-3), LightTransport)


@pytest.mark.parametrize("weak", [False, True])
def test_energy_is_conserved(weak):
    # absorbed + transmitted + escaped = pulse energy; a weak absorber lets
    # light through the bottom and past the outer radius (the beam launched
    # beyond 150 um escapes too)
    grid, beam, absorption, removed = _beam_and_column()
    if weak:
        absorption = absorption * 1e-3
    out = beam.deposit(grid, absorption, removed, 20e-3)
    assert isinstance(out, Deposition)
    absorbed = float(np.sum(out.absorbed * grid.volume))
    assert absorbed + out.transmitted + out.escaped == pytest.approx(20e-3, rel=1e-9)
    assert np.all(out.absorbed[removed] == 0.0)
    if weak:
        assert out.transmitted > 0.0


def test_total_power_equals_pulse_power():
    # the rays and what is launched beyond them carry the whole pulse power
    spot, duration, energy = 120e-6, 1e-3, 20e-3
    beam = GaussianRays("gaussian", spot, np.inf, 0.5e-6, 1.0)
    _, fraction, outside = beam.rays()
    power = energy / duration
    assert power * (fraction.sum() + outside) == pytest.approx(power, rel=1e-12)
    # the tail beyond three 1/e^2 radii is exp(-18) of the Gaussian
    assert outside == pytest.approx(np.exp(-18.0), rel=1e-6)
