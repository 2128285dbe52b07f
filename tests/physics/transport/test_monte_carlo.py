"""Monte Carlo transport in layered media (physics.transport.monte_carlo).

Every statistical tolerance is 3 standard errors of the estimate at the
photon count used (the engine's photon-to-photon standard error,
``sqrt((<x^2> - <x>^2) / N)``, or the binomial ``sqrt(p (1 - p) / N)`` where
each packet goes one way or the other), plus the reference's own uncertainty.
The seeds are fixed, so a run passes or fails the same way every time.
"""

import tomllib
from pathlib import Path

import numpy as np
import pytest

from dermalase.physics.heat import Grid
from dermalase.physics.transport import LightTransport
from dermalase.physics.transport.beer_lambert import BeerLambert
from dermalase.physics.transport.monte_carlo import MonteCarlo, transport

REFERENCE = tomllib.loads((Path(__file__).parents[2] / "data" / "mcml_reference.toml").read_text())[
    "case"
]
PER_CM = 100.0  # 1/cm -> 1/m


def _run(case, photons, **kwargs):
    thickness = np.inf if case["thickness_cm"] == "inf" else case["thickness_cm"] / 100.0
    return transport(
        [case["n"]], [case["mua_per_cm"] * PER_CM], [case["mus_per_cm"] * PER_CM],
        [case["g"]], [thickness], photons=photons, **kwargs,
    )  # fmt: skip


@pytest.mark.parametrize("case", REFERENCE, ids=[c["label"][:40] for c in REFERENCE])
def test_reflectance_and_transmittance_match_adding_doubling(case):
    out = _run(case, 40_000, seed=18)
    rd_tolerance = 3.0 * out.diffuse_reflectance_stderr + case["reference_uncertainty"]
    assert out.diffuse_reflectance == pytest.approx(case["diffuse_reflectance"], abs=rd_tolerance)
    tt_tolerance = 3.0 * out.transmittance_stderr + case["reference_uncertainty"]
    assert out.transmittance == pytest.approx(case["transmittance"], abs=tt_tolerance)


def test_stderr_shrinks_as_one_over_root_n():
    # the reported standard error is that of the mean: x4 photons, /2 error
    case = REFERENCE[0]
    small, large = _run(case, 10_000), _run(case, 40_000)
    ratio = small.diffuse_reflectance_stderr / large.diffuse_reflectance_stderr
    assert ratio == pytest.approx(2.0, rel=0.1)


def test_energy_ledger_closes_with_the_roulette_balance():
    # R_sp + R_d + T_t + A = 1 + (weight roulette added) to rounding, and the
    # roulette balance itself is zero within its statistical error
    out = transport(
        [1.37, 1.4, 1.44], [2.0e3, 1.8e3, 0.5e3], [2.0e4, 1.5e4, 1.0e4], [0.8, 0.9, 0.85],
        [100e-6, 1.2e-3, np.inf], photons=20_000, seed=3,
    )  # fmt: skip
    total = out.specular_reflectance + out.diffuse_reflectance + out.transmittance + out.absorbed
    assert total == pytest.approx(1.0 + out.roulette_gain, abs=1e-9)
    assert out.absorbed_per_layer.sum() == pytest.approx(out.absorbed, rel=1e-12)
    assert abs(out.roulette_gain) < 3.0 * out.absorbed_stderr
    # the binned scores hold all the light (the last bins collect the overflow)
    dz = np.diff(out.depth_edges)
    assert np.sum(out.absorbed_depth * dz) == pytest.approx(out.absorbed, rel=1e-12)
    ring = np.pi * np.diff(out.radial_edges**2)
    assert np.sum(out.diffuse_reflectance_radial * ring) == pytest.approx(
        out.diffuse_reflectance, rel=1e-12
    )


def test_same_seed_same_answer_on_one_and_two_threads():
    args = ([1.4, 1.4], [2e3, 5e2], [1.5e4, 1e4], [0.9, 0.8], [2e-4, np.inf])
    one = transport(*args, photons=5_000, seed=7, threads=1)
    two = transport(*args, photons=5_000, seed=7, threads=2)
    other = transport(*args, photons=5_000, seed=8, threads=2)
    assert one.diffuse_reflectance == two.diffuse_reflectance
    np.testing.assert_array_equal(one.absorbed_rz, two.absorbed_rz)
    np.testing.assert_array_equal(one.diffuse_reflectance_radial, two.diffuse_reflectance_radial)
    assert other.diffuse_reflectance != one.diffuse_reflectance


def test_no_scattering_follows_beer_lambert():
    # mu_s = 0, matched index: A(z) = mu_a exp(-mu_a z). Each packet is
    # absorbed whole at one depth, so the fraction absorbed above z is
    # binomial; 20 depths compared at 4 sigma (family-wise chance ~1e-3).
    mua, photons = 2.0e3, 20_000
    out = transport([1.0], [mua], [0.0], [0.0], [3e-3], photons=photons, seed=1,
                    depth_bin=50e-6, depth_bins=60)  # fmt: skip
    above = np.cumsum(out.absorbed_depth * 50e-6)[::3]
    expected = 1.0 - np.exp(-mua * out.depth_edges[1:][::3])
    sigma = np.sqrt(expected * (1.0 - expected) / photons)
    assert np.all(np.abs(above - expected) < 4.0 * sigma + 1e-12)
    assert out.diffuse_reflectance == 0.0


def test_seam_agrees_with_beer_lambert_without_scattering():
    grid = Grid(np.linspace(0.0, 1e-3, 21))
    absorption = np.full(20, 1.5e3)
    removed = np.zeros(20, bool)
    removed[:2] = True
    photons = 20_000
    model = MonteCarlo(photons=photons, seed=2)
    assert isinstance(model, LightTransport)
    mc = model.deposit(grid, absorption, removed, 1.0)
    bl = BeerLambert().deposit(grid, absorption, removed, 1.0)
    sigma = np.sqrt(bl.transmitted * (1.0 - bl.transmitted) / photons)
    assert mc.transmitted == pytest.approx(bl.transmitted, abs=3.0 * sigma)
    assert np.all(mc.absorbed[:2] == 0.0)
    mc_above = np.cumsum(mc.absorbed * grid.widths)
    bl_above = np.cumsum(bl.absorbed * grid.widths)
    sigma_above = np.sqrt(bl_above * (1.0 - bl_above) / photons)
    assert np.all(np.abs(mc_above - bl_above) < 4.0 * sigma_above + 1e-12)
    assert mc.escaped == 0.0


def test_clear_glass_plate_follows_the_stokes_series():
    # non-absorbing, non-scattering plate n = 1.5 in air: R_sp = 0.04 and the
    # multiple-reflection series T = (1 - R)^2 / (1 - R^2) = (1 - R) / (1 + R)
    # (Fresnel at normal incidence, Born & Wolf, Principles of Optics, 1.5)
    photons = 20_000
    out = transport([1.5], [0.0], [0.0], [0.0], [1e-3], photons=photons, seed=4)
    r = 0.04
    assert out.specular_reflectance == pytest.approx(r, rel=1e-12)
    expected = (1.0 - r) / (1.0 + r)
    sigma = np.sqrt(expected * (1.0 - expected) / photons)
    assert out.transmittance == pytest.approx(expected, abs=3.0 * sigma)
    assert out.absorbed == 0.0


def test_total_internal_reflection_traps_light_in_a_scattering_layer():
    # the same semi-infinite scatterer reflects less diffusely under a
    # higher-index surface: light beyond the critical angle returns inside
    case = REFERENCE[1]
    matched = _run(case, 10_000, seed=5)
    mismatched = _run({**case, "n": 1.5}, 10_000, seed=5)
    assert mismatched.diffuse_reflectance < matched.diffuse_reflectance - 0.1


def test_beam_profile_keeps_the_totals_and_widens_the_reflectance():
    # a laterally infinite medium reflects the same total whatever the beam
    args = ([1.4], [1e3], [1e4], [0.9], [np.inf])
    pencil = transport(*args, photons=10_000, seed=6)
    gaussian = transport(*args, photons=10_000, seed=6, beam="gaussian", beam_radius=300e-6)
    top_hat = transport(*args, photons=10_000, seed=6, beam="top_hat", beam_radius=300e-6)
    for wide in (gaussian, top_hat):
        tolerance = 3.0 * np.hypot(
            pencil.diffuse_reflectance_stderr, wide.diffuse_reflectance_stderr
        )
        assert wide.diffuse_reflectance == pytest.approx(pencil.diffuse_reflectance, abs=tolerance)
        assert wide.diffuse_reflectance_radial[0] < pencil.diffuse_reflectance_radial[0]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"absorption_coefficient": [-1.0]}, "mu_a"),
        ({"scattering_coefficient": [np.nan]}, "mu_s"),
        ({"anisotropy": [1.0]}, "g must"),
        ({"refractive_index": [0.9]}, "n must"),
        ({"thickness": [0.0]}, "thickness"),
        ({"photons": 0}, "photons"),
    ],
)
def test_bad_input_is_refused(change, message):
    args = {
        "refractive_index": [1.4], "absorption_coefficient": [1e3],
        "scattering_coefficient": [1e4], "anisotropy": [0.9], "thickness": [1e-3],
        "photons": 10,
    }  # fmt: skip
    with pytest.raises(ValueError, match=message):
        transport(**{**args, **change})
