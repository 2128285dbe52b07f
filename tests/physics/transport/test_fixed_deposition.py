"""The Monte Carlo deposition on the solvers' grids (physics.transport.fixed_deposition).

Photon counts are small; tolerances come from the Monte Carlo standard error
at that count (stated at each assertion).
"""

import numpy as np
import pytest

from dermalase.forward.conditions import arrhenius_parameters, tissue_profiles
from dermalase.physics import column, damage
from dermalase.physics.heat import make_grid, solve_pulses
from dermalase.physics.transport.fixed_deposition import (
    column_bins,
    column_deposition,
    slab_deposition,
    trace,
)
from dermalase.tissue import skin_model
from dermalase.tissue.layer_stack import LayerStack, from_area

PHOTONS = 20_000
GRID = column.make_column_grid(5e-6, 200e-6, 1.2e-3, 5e-6, 600e-6, 2e-3)


def clear_slab(mu_a: float, n: float = 1.0) -> LayerStack:
    """A semi-infinite absorber without scattering (Beer-Lambert holds exactly)."""
    return LayerStack(
        names=("slab",),
        refractive_index=np.array([n]),
        absorption_coefficient=np.array([mu_a]),
        scattering_coefficient=np.array([0.0]),
        anisotropy=np.array([0.0]),
        thickness=np.array([np.inf]),
        n_above=1.0,
        n_below=n,
    )


@pytest.mark.parametrize("wavelength", [1470e-9, 1550e-9, 1927e-9])
def test_column_ledger_closes(wavelength):
    # every joule is in a cell, below the grid, or out of the surface / beyond the radius
    out = column_deposition(from_area("cheek", wavelength), GRID, 50e-6, photons=PHOTONS)
    inside = float((out.absorbed * GRID.volume).sum())
    assert inside + out.transmitted + out.escaped == pytest.approx(1.0, abs=1e-12)
    assert np.all(out.absorbed >= 0.0)
    assert 0.0 <= out.transmitted < 0.2 and 0.0 < out.escaped < 0.5


def test_column_escape_is_reflectance_and_light_beyond_the_radius():
    # escaped = the run's specular and diffuse reflectance + what it absorbed
    # beyond the grid's radius (its last radial bin, which starts within one
    # bin of the grid's edge: allow the share of one ring of bins, 0.5 %);
    # at 1550 nm light spreads in the subcutis far enough that this is ~14 %
    stack = from_area("cheek", 1550e-9)
    out = column_deposition(stack, GRID, 50e-6, photons=PHOTONS)
    dr, nr, dz, nz = column_bins(50e-6, GRID.radial.faces[-1], GRID.axial.faces[-1])
    run = trace(
        stack, beam="gaussian", beam_radius=50e-6, radial_bin=dr, radial_bins=nr,
        depth_bin=dz, depth_bins=nz, photons=PHOTONS,
    )  # fmt: skip
    ring = np.pi * np.diff(run.radial_edges**2)
    beyond = float((run.absorbed_rz[-1, :-1] * ring[-1] * dz).sum())
    reflected = run.specular_reflectance + run.diffuse_reflectance
    assert out.escaped == pytest.approx(reflected + beyond, abs=0.005)
    # what the cells hold plus what lies deeper is the rest of what it absorbed
    inside = float((out.absorbed * GRID.volume).sum())
    assert inside + out.transmitted == pytest.approx(run.absorbed - beyond, abs=0.005)


def test_clear_absorber_column_is_beer_lambert():
    # no scattering, matched index: a cell at depth z0-z1 inside the beam gets
    # exp(-mu z0) - exp(-mu z1) times the beam share of its ring. The Monte Carlo
    # draws each photon's depth, so each depth band carries a binomial error
    # sqrt(p (1 - p) / N) of the share p; allow 4 standard errors.
    mu_a = 50e2
    photons = 40_000
    out = column_deposition(clear_slab(mu_a), GRID, 50e-6, beam="top_hat", photons=photons)
    per_row = (out.absorbed * GRID.volume).sum(axis=1)
    z = GRID.axial.faces
    expected = np.exp(-mu_a * z[:-1]) - np.exp(-mu_a * z[1:])
    error = np.sqrt(expected * (1 - expected) / photons)
    assert np.all(np.abs(per_row - expected) <= 4 * error + 1e-12)
    # all of a top hat's light stays within its radius (rings beyond get none)
    outside = GRID.radial.faces[:-1] >= 50e-6 + 5e-6
    assert np.all(out.absorbed[:, outside] == 0.0)


def test_clear_absorber_slab_is_beer_lambert():
    # the same check for A(z) on the 1D grid, with the specular reflectance of
    # an n = 1.4 surface booked as escaped (binomial error per band, 4 sigma)
    mu_a = 30e2
    photons = 40_000
    grid = make_grid(300e-6, 2e-6, 2e-3)
    out = slab_deposition(clear_slab(mu_a, 1.4), grid, photons=photons)
    r_sp = ((1.4 - 1.0) / 2.4) ** 2
    assert out.escaped == pytest.approx(r_sp, abs=1e-12)
    z = grid.faces
    expected = (1 - r_sp) * (np.exp(-mu_a * z[:-1]) - np.exp(-mu_a * z[1:]))
    error = np.sqrt(expected * (1 - expected) / photons)
    assert np.all(np.abs(out.absorbed * grid.widths - expected) <= 4 * error + 1e-12)
    assert (out.absorbed * grid.widths).sum() + out.transmitted + out.escaped == pytest.approx(1.0)


def test_runs_are_cached():
    stack = from_area("cheek", 1550e-9)
    first = trace(stack, beam="pencil", beam_radius=0.0, radial_bin=1.0, radial_bins=1,
                  depth_bin=10e-6, depth_bins=50, photons=1000)  # fmt: skip
    again = trace(from_area("cheek", 1550e-9), beam="pencil", beam_radius=0.0, radial_bin=1.0,
                  radial_bins=1, depth_bin=10e-6, depth_bins=50, photons=1000)  # fmt: skip
    assert again is first


def test_narrow_beam_loses_its_axis_faster():
    # scattering carries light out of a narrow beam's axis that a wide beam
    # gets back from its neighbours: on the axis, the absorbed density falls
    # with depth faster for a narrow beam; a broad beam tends to the 1D profile
    stack = from_area("cheek", 1550e-9)
    decay = []
    for radius in (25e-6, 100e-6, 400e-6):
        out = column_deposition(stack, GRID, radius, photons=PHOTONS)
        axis = out.absorbed[:, :3].mean(axis=1)
        z = GRID.z
        near = axis[(z > 20e-6) & (z < 60e-6)].mean()
        deep = axis[(z > 280e-6) & (z < 320e-6)].mean()
        decay.append(deep / near)
    # the ratios differ by far more than their noise (thousands of photons per band)
    assert decay[0] < decay[1] < decay[2]


def test_one_dimensional_solver_takes_the_deposition():
    # the 1D solver with a fixed A(z) closes its ledger, and with a clear
    # absorber's A(z) it heats as its own Beer-Lambert march does
    skin = skin_model("cheek")
    grid = make_grid(400e-6, 10e-6, 2e-3)
    profiles = tissue_profiles(skin, grid.centres)
    mu_water = 10e2
    mu_a = mu_water * profiles["water_fraction"]
    model = damage.damage_model("henriques_moritz")
    common = dict(
        **profiles, initial_temperature=np.full(grid.centres.size, 310.15),
        water_absorption=mu_water, solid_absorption=0.0, decomposition_temperature=673.15,
        ejecta_extinction=0.0, plume_velocity=1400.0, free_plume_length=0.0,
        pulse_start=[0.0],
        pulse_duration=[5e-3], pulse_fluence=[5e4], pulse_blowoff=[False],
        pulse_efficiency=[1.0], end_time=0.02, surface_heat_transfer=10.0,
        air_temperature=295.15, bottom_temperature=310.15, blood_temperature=310.15,
        damage_parameters=arrhenius_parameters(model), max_pulse_step=1e-4,
    )  # fmt: skip
    reference = solve_pulses(grid, **common)
    # the water fraction is uniform over each layer: a stack of one layer per cell
    stack = LayerStack(
        names=tuple(str(i) for i in range(mu_a.size)),
        refractive_index=np.ones(mu_a.size), absorption_coefficient=mu_a,
        scattering_coefficient=np.zeros(mu_a.size), anisotropy=np.zeros(mu_a.size),
        thickness=grid.widths,
    )  # fmt: skip
    deposition = slab_deposition(stack, grid, photons=1_000_000)
    fixed = solve_pulses(grid, **common, deposition=deposition)
    assert fixed.energy_balance_error() < 1e-9
    # peak heating: each 10 um cell's share (~0.7 %) carries a binomial error of
    # ~1.2 % of itself at 1e6 photons, and the peak averages some five cells by
    # conduction (~0.5 %); allow 2 % (4 standard errors)
    rise = reference.peak_temperature - 310.15
    assert np.max(fixed.peak_temperature - 310.15) == pytest.approx(np.max(rise), rel=0.02)
