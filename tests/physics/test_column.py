"""Invariants of the axisymmetric column solver (physics.column), run through simulate_column."""

import numpy as np
import pytest

from dermalase.forward.fractional import simulate_column
from dermalase.forward.full_field import simulate
from dermalase.laser import LaserSettings
from dermalase.physics import ablation, column
from dermalase.physics.transport import gaussian_rays
from dermalase.tissue import skin_model

CHEEK = skin_model("cheek")
UM = 1e-6
CO2, ER = 10.6e-6, 2.94e-6


@pytest.mark.parametrize(
    ("wavelength", "energy", "spot", "duration", "pulses", "beam"),
    [
        (CO2, 20e-3, 120e-6, 1e-3, 1, "gaussian"),
        (CO2, 10e-3, 120e-6, 200e-6, 3, "gaussian"),
        (ER, 5e-3, 250e-6, 300e-6, 3, "gaussian"),
        (ER, 2e-3, 250e-6, 90e-9, 1, "gaussian"),  # blow-off regime
        (ER, 20e-3, 300e-6, 300e-6, 1, "top_hat"),
        (CO2, 0.05e-3, 120e-6, 1e-3, 1, "gaussian"),  # below threshold: heating only
    ],
)
def test_energy_balance_closes(wavelength, energy, spot, duration, pulses, beam):
    # absorbed = stored + removed with ablated tissue + air + boundaries + blood
    effect = simulate_column(
        wavelength, energy, spot, CHEEK, pulse_duration=duration, pulses=pulses, beam=beam
    )
    ledger = effect.energy
    assert effect.solution.energy_balance_error() < 0.01
    # every delivered joule is absorbed, transmitted, launched outside the
    # grid or taken out of the crater by the ejecta
    accounted = ledger["absorbed"] + ledger["transmitted"] + ledger["escaped"] + ledger["plume"]
    assert accounted == pytest.approx(pulses * energy, rel=1e-9)
    assert ledger["absorbed"] + ledger["plume"] > 0.999 * pulses * energy
    # the plume takes light only once there is a crater for it to fill, and
    # only light that tissue removal sent up it
    if not effect.solution.removed.any():
        assert ledger["plume"] == 0.0
    else:
        assert ledger["removed"] > 0.0


@pytest.mark.parametrize(("wavelength", "spot"), [(CO2, 120e-6), (ER, 250e-6)])
def test_no_column_below_threshold(wavelength, spot):
    # 0.05 mJ gives a peak fluence of 0.2-0.9 J/cm^2, under the ablation
    # enthalpy over the absorption coefficient (~3 J/cm^2 for CO2, ~0.9 J/cm^2
    # for Er:YAG with its dynamic absorption factor)
    effect = simulate_column(wavelength, 0.05e-3, spot, CHEEK, pulse_duration=300e-6)
    assert effect.ablation_depth == 0.0
    assert effect.ablation_diameter == 0.0
    assert not effect.solution.removed.any()
    assert effect.peak_temperature > 310.15 + 1.0  # the pulse still heated the skin


@pytest.mark.parametrize(
    ("wavelength", "energy", "spot", "duration", "beam"),
    [
        (CO2, 5e-3, 120e-6, 1e-3, "gaussian"),
        (ER, 10e-3, 120e-6, 300e-6, "gaussian"),
        # a flat 120 um Er:YAG spot at 88 J/cm^2 (161 vs 160 um when halved;
        # 14 % apart while the droplets' albedo was the geometric-optics law)
        (ER, 10e-3, 120e-6, 300e-6, "top_hat"),
    ],
)
def test_converged_on_grid_refinement(wavelength, energy, spot, duration, beam):
    # halving both spacings moves the depth by less than 2 %, the crater and
    # MTZ diameters by less than one coarse radial cell (1.5 um and 3 um here),
    # and the coagulation below the floor by less than two coarse axial cells
    default = simulate_column(wavelength, energy, spot, CHEEK, pulse_duration=duration, beam=beam)
    fine = simulate_column(
        wavelength, energy, spot, CHEEK, pulse_duration=duration, grid_refinement=2.0, beam=beam
    )
    radial = default.solution.grid.radial.widths[0]
    axial = default.solution.grid.axial.widths[0]
    assert fine.ablation_depth == pytest.approx(default.ablation_depth, rel=0.02)
    assert abs(fine.ablation_diameter - default.ablation_diameter) <= 2 * radial + 1e-12
    assert abs(fine.mtz_diameter - default.mtz_diameter) <= 2 * radial
    assert abs(fine.coagulation_depth - default.coagulation_depth) <= 2 * axial


def test_converged_in_time_step():
    # the default 20 steps a pulse against 60: the ejecta that shield the
    # floor are computed from the light of the same step and the share of
    # it the tissue absorbed in the last, so the depth converges with the
    # step, slowly: 20, 40, 60 and 120 steps give 301, 297, 297 and 288 um
    # (about one 4.2 um cell per doubling), so the default is held to 3 %
    # of 60 steps or two axial cells
    coarse = simulate_column(CO2, 20e-3, 120e-6, CHEEK)
    fine = simulate_column(CO2, 20e-3, 120e-6, CHEEK, steps_per_pulse=60)
    axial = coarse.solution.grid.axial.widths[0]
    tolerance = max(0.03 * fine.ablation_depth, 2 * axial)
    assert coarse.ablation_depth == pytest.approx(fine.ablation_depth, abs=tolerance)
    assert coarse.mtz_diameter == pytest.approx(fine.mtz_diameter, rel=0.02)


@pytest.mark.parametrize(("spot", "energy"), [(40e-6, 10e-3), (120e-6, 30e-3), (300e-6, 5e-3)])
def test_depth_within_the_axial_energy_bound(spot, energy):
    # the axis cannot go deeper than its fluence spent entirely on removing
    # dermis (heat, boil, heat the dry rest to decomposition), with the
    # fluence falling as the beam widens (d + d^3 / 3 z_R^2 = F0 / e); the
    # ejecta and the wall take light away, so a column stays above it
    params = ablation.parameters_for_wavelength(CO2)
    dermis = CHEEK.layer("papillary_dermis")
    removal = ablation.removal_enthalpy(
        dermis.water_fraction,
        dermis.density * dermis.specific_heat,
        params.decomposition_temperature,
    )
    rayleigh = float(gaussian_rays.rayleigh_length(spot, CO2))
    bound = gaussian_rays.axial_depth_bound(energy, spot, 1, float(removal), rayleigh)
    effect = simulate_column(CO2, energy, spot, CHEEK)
    axial = effect.solution.grid.axial.widths.max()
    assert 0.0 < effect.ablation_depth <= bound + axial
    assert effect.energy["plume"] > 0.0


def test_channel_losses_grow_with_the_channel():
    # the deeper and narrower the channel, the larger the share of the pulse
    # its ejecta take out through the mouth
    shallow = simulate_column(CO2, 2e-3, 120e-6, CHEEK)
    deep = simulate_column(CO2, 30e-3, 120e-6, CHEEK)
    assert deep.energy["plume"] / 30e-3 > shallow.energy["plume"] / 2e-3


_ONE_D_EJECTA = (
    "Known miss: the two solvers' ejecta differ. The 1D solver's leave a wide spot as a "
    "free plume at the 1400 m/s front over pi D / 4 and scatter all they take; the "
    "column's leave the crater at the recoil-driven velocity (~17 m/s for Er:YAG at "
    "10 J/cm^2 in 0.3 ms), absorb half of it (Mie) and have no free plume above the "
    "surface. On a 2 mm top hat: 38.7 vs 36.0 um at 10 J/cm^2, 76 vs 65 um at 20 (with "
    "the crater-depth plume the 1D solver had before, 41 vs 36 um at 10 J/cm^2)."
)


@pytest.mark.parametrize(
    ("fluence", "duration"),
    [
        pytest.param(10e4, 300e-6, marks=pytest.mark.xfail(strict=True, reason=_ONE_D_EJECTA)),
        pytest.param(20e4, 300e-6, marks=pytest.mark.xfail(strict=True, reason=_ONE_D_EJECTA)),
        (5e4, 90e-9),
    ],
)
def test_wide_top_hat_matches_the_full_field_solver(fluence, duration):
    # Far from its edge a 2 mm top-hat is a full-field spot: the column model
    # must give the depth and coagulation of the 1D solver (same parameters,
    # same regime). Both send the light the ejecta scatter toward the floor
    # back to it (the column by the solid angle of the floor, ~half in a wide
    # crater; the 1D solver half); 5 % covers the rest of the difference in
    # the ejecta bookkeeping, one cell of the coarser (column) grid the
    # shallow blow-off crater. Coagulation agrees within two such cells.
    spot = 2e-3
    full = simulate(LaserSettings(ER, fluence, duration, spot_diameter=spot), CHEEK)
    energy = fluence * np.pi * (0.5 * spot) ** 2
    wide = simulate_column(ER, energy, spot, CHEEK, pulse_duration=duration, beam="top_hat")
    assert wide.regime[0] == full.regime[0]
    axial = wide.solution.grid.axial.widths[0]
    tolerance = max(0.05 * full.ablation_depth, axial)
    assert wide.ablation_depth == pytest.approx(full.ablation_depth, abs=tolerance)
    assert abs(wide.coagulation_depth - full.coagulation_depth) <= 2 * axial


def test_column_dimensions_of_a_drawn_column():
    # A hand-drawn crater 10 cells deep and 3 cells wide (radius) on a 1 um
    # grid, with one coagulated cell (Omega = 100) around the wall and two
    # below the floor, and Omega = 0.01 in the next cells out. Omega = 1 lies
    # half-way between those centres on a log scale.
    grid = column.make_column_grid(1e-6, 20e-6, 20e-6, 1e-6, 30e-6, 30e-6)
    n_z, n_r = grid.shape
    removed = np.zeros((n_z, n_r), bool)
    removed[:10, :3] = True
    damage = np.zeros((n_z, n_r))
    damage[:10, 3] = 100.0
    damage[:10, 4] = 0.01
    damage[10:12, :3] = 100.0
    damage[12, :3] = 0.01
    dims = column.column_dimensions(grid, removed, damage)
    assert dims["ablation_depth"] == pytest.approx(10e-6)
    assert dims["ablation_diameter"] == pytest.approx(6e-6)
    assert dims["coagulation_depth"] == pytest.approx(2e-6)
    assert dims["coagulation_cuff"] == pytest.approx(1e-6)
    assert dims["mtz_diameter"] == pytest.approx(8e-6)
    assert dims["total_depth"] == pytest.approx(12e-6)


def test_collimated_beam_drills_deeper_than_a_diverging_one():
    # without divergence the axial fluence does not fall with depth; past the
    # waist the diverging beam spreads its light (at 40 mJ the ejecta, not
    # the divergence, limit the depth, so the gain is small but not negative)
    diverging = simulate_column(CO2, 40e-3, 120e-6, CHEEK)
    collimated = simulate_column(CO2, 40e-3, 120e-6, CHEEK, beam_quality=0)
    assert collimated.ablation_depth > diverging.ablation_depth
    wide = simulate_column(CO2, 40e-3, 120e-6, CHEEK, beam_quality=4.0)
    assert wide.ablation_depth < diverging.ablation_depth


@pytest.mark.parametrize(
    ("wavelength", "spot", "duration"),
    [(CO2, 120e-6, None), (ER, 250e-6, 300e-6)],
)
def test_no_jump_over_energy(wavelength, spot, duration):
    # a 10 % step in energy moves depth and MTZ width by less than 15 % (or
    # two grid cells where they are small); CO2 at 30 W, as the devices
    # deliver it (the pulse lengthens with the energy). From 2 mJ up: just
    # above threshold depth grows as (E - E_th), so a 10 % step moves it by
    # more than 10 % without any jump (continuity there is the threshold test
    # of tests/forward/test_full_field.py)
    energies = 2e-3 * 1.1 ** np.arange(0, 31)
    effects = [
        simulate_column(
            wavelength,
            e,
            spot,
            CHEEK,
            pulse_duration=duration if duration is not None else e / 30.0,
        )
        for e in energies
    ]
    depths = np.array([f.ablation_depth for f in effects])
    widths = np.array([f.mtz_diameter for f in effects])
    axial = max(f.solution.grid.axial.widths[0] for f in effects)
    radial = max(f.solution.grid.radial.widths[0] for f in effects)
    for values, cell in ((depths, axial), (widths, radial)):
        step = np.abs(np.diff(values))
        relative = np.where(step <= 2 * cell, 0.0, step / np.maximum(values[1:], 1e-12))
        assert relative.max() < 0.15


def test_ejecta_move_faster_and_shield_less_per_watt_at_higher_irradiance():
    # recoil-driven ejecta: the velocity rises with the irradiance, so the
    # ejecta volume per watt (1 / u) falls; the droplets absorb more of what
    # they intercept on the line that tissue absorbs more strongly
    irradiance = np.array([1e8, 1e9, 1e10])
    velocity = ablation.recoil_ejecta_velocity(irradiance, 0.7, 2.0e9, 1100.0, 1400.0)
    assert np.all(np.diff(velocity) > 0)
    coefficient = ablation.ejecta_shielding_coefficient(1.6e6, 2.0e9, velocity)
    assert np.all(np.diff(coefficient) < 0)
    erbium = ablation.ejecta_albedo(1.6e6, 3.2e5, 2.94e-6, 1.274)
    co2 = ablation.ejecta_albedo(1.6e6, 8.6e4, 10.6e-6, 1.179)
    # Mie: ~1 um droplets about the Er:YAG wavelength scatter about half of
    # what they take; small against the CO2 wavelength they absorb nearly all
    assert 0 < co2 < 0.1 < erbium < 1
    assert ablation.ejecta_albedo(0.0, 8.6e4, 10.6e-6, 1.179) == 1.0
    # a droplet that absorbs nothing scatters all it takes
    assert ablation.ejecta_albedo(1.6e6, 0.0, 10.6e-6, 1.179) == pytest.approx(1.0)


def test_short_co2_pulse_keeps_most_of_the_depth():
    # 40 mJ in 0.3 ms (the bundled device's shortest pulse, 133 W) against the
    # same energy at 30 W: with ejecta at a fixed velocity the shielding grew
    # as the power and the short pulse kept 60 % of the depth (251 vs 420 um);
    # with the recoil-driven velocity it grows as sqrt(power). A third of the
    # depth lost would mean the shielding again follows the power.
    short = simulate_column(CO2, 40e-3, 120e-6, CHEEK, pulse_duration=0.3e-3)
    long = simulate_column(CO2, 40e-3, 120e-6, CHEEK, pulse_duration=40e-3 / 30.0)
    assert short.ablation_depth < long.ablation_depth
    assert short.ablation_depth > 0.7 * long.ablation_depth


def test_wall_light_lands_where_its_directions_meet_the_wall():
    # a straight crater 50 rows deep and 10 rings wide: light scattered
    # isotropically from the axis at row 25 reaches every row of the wall,
    # most near its own depth, symmetrically up and down; all of it is given
    # to the wall ring (none lost), none to the floor or beyond it
    from dermalase.physics.column.solver import _spread_wall_light

    n_z, n_r = 80, 30
    removed = np.zeros((n_z, n_r), dtype=bool)
    removed[:50, :10] = True
    r_faces = np.arange(n_r + 1) * 1e-6
    dz = np.full(n_z, 1e-6)
    light = np.zeros(n_z)
    light[25] = 1.0
    wall = np.zeros((n_z, n_r))
    ledger = np.zeros(len(column.LEDGER))
    _spread_wall_light(light, wall, removed, r_faces, dz, ledger, np.zeros(n_z), 0.5)
    assert wall.sum() == pytest.approx(1.0, rel=1e-12)
    assert light.sum() == 0.0 and ledger.sum() == 0.0
    received = wall[:, 10]
    assert np.count_nonzero(wall) == 50 and received[50:].sum() == 0.0
    assert received.argmax() == 25
    assert np.allclose(received[20:25], received[26:31][::-1], rtol=1e-9)
    assert np.all(np.diff(received[25:50]) < 0)


def test_ejecta_in_the_crater_take_wall_light_on_its_way():
    # the same crater filled with ejecta of 0.1 per um: the wall gets less,
    # the plume the rest (nothing lost), rows far from row 25 (longer paths
    # through the ejecta) lose a larger share; droplets that absorb nothing
    # (albedo 1) pass all of it on to the wall in the end
    from dermalase.physics.column.solver import _spread_wall_light

    n_z, n_r = 80, 30
    removed = np.zeros((n_z, n_r), dtype=bool)
    removed[:50, :10] = True
    r_faces = np.arange(n_r + 1) * 1e-6
    dz = np.full(n_z, 1e-6)
    mu = np.full(n_z, 1e5)
    received = {}
    for albedo in (0.0, 0.5, 1.0):
        light = np.zeros(n_z)
        light[25] = 1.0
        wall = np.zeros((n_z, n_r))
        ledger = np.zeros(len(column.LEDGER))
        _spread_wall_light(light, wall, removed, r_faces, dz, ledger, mu, albedo)
        assert wall.sum() + ledger.sum() == pytest.approx(1.0, rel=1e-12)
        assert ledger.sum() == ledger[list(column.LEDGER).index("plume")]
        received[albedo] = wall[:, 10]
    clear = np.zeros(n_z)
    clear[25] = 1.0
    wall = np.zeros((n_z, n_r))
    _spread_wall_light(clear, wall, removed, r_faces, dz, np.zeros(len(column.LEDGER)),
                       np.zeros(n_z), 0.0)  # fmt: skip
    assert received[0.0].sum() < received[0.5].sum() < 1.0
    assert received[1.0].sum() == pytest.approx(1.0, rel=1e-12)
    kept = received[0.0][25:50] / wall[25:50, 10]
    assert np.all(np.diff(kept) < 0)
