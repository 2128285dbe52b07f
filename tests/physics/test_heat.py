"""Invariants of the bioheat solver, run through the full-field simulation."""

import numpy as np
import pytest

from dermalase.forward.full_field import simulate
from dermalase.laser import LaserSettings
from dermalase.physics import heat
from dermalase.tissue import skin_model

CHEEK = skin_model("cheek")


@pytest.mark.parametrize(
    "settings",
    [
        LaserSettings(2.94e-6, 10e4, 300e-6),
        LaserSettings(2.94e-6, 5e4, 90e-9),
        LaserSettings(10.6e-6, 7e4, 0.8e-3, passes=3, pass_interval=2.0),
        LaserSettings(
            2.94e-6, 8e4, 300e-6, passes=2, coagulation_fluence=1e4, coagulation_pulses=4
        ),
        LaserSettings(2.94e-6, 0.5e4, 300e-6),  # below threshold: heating only
    ],
)
def test_energy_balance_closes(settings):
    # absorbed = stored + removed with ablated tissue + surface + bottom + blood
    effect = simulate(settings, CHEEK)
    assert effect.solution.energy_balance_error() < 0.01
    assert effect.energy["absorbed"] > 0


def test_absorbed_energy_equals_delivered_when_nothing_transmits():
    # what the tissue does not absorb the ejecta took up and out of the crater
    settings = LaserSettings(2.94e-6, 10e4, 300e-6)
    effect = simulate(settings, CHEEK)
    taken = effect.energy["absorbed"] + effect.energy["plume"]
    assert taken == pytest.approx(settings.fluence, rel=1e-6)
    assert 0.0 < effect.energy["plume"] < 0.2 * settings.fluence


def test_grid_convergence_er_yag():
    settings = LaserSettings(2.94e-6, 10e4, 300e-6)
    coarse, fine, finer = (
        simulate(settings, CHEEK, grid_spacing=h) for h in (0.5e-6, 0.25e-6, 0.125e-6)
    )
    # ablation depth and coagulation converge: successive differences shrink and
    # the two finest grids agree within two fine cells
    assert abs(fine.ablation_depth - finer.ablation_depth) <= 0.5e-6
    assert abs(fine.coagulation_depth - finer.coagulation_depth) <= 0.75e-6
    assert (
        abs(fine.ablation_depth - finer.ablation_depth)
        <= abs(coarse.ablation_depth - fine.ablation_depth) + 0.25e-6
    )


@pytest.mark.parametrize("fluence", [10e4, 25e4])
def test_steady_state_depth_converged_in_the_time_step(monkeypatch, fluence):
    # A cell spent part-way through a step passes on the light it did not
    # need; the depth must not depend on the step (before this was kept, a
    # 2 us step lost 8 % of the depth at 25 J/cm^2 against 0.1 us).
    from dermalase.forward import full_field as module

    settings = LaserSettings(2.94e-6, fluence, 300e-6)
    depths = []
    for step in (8e-6, 2e-6, 0.5e-6, 0.1e-6):
        monkeypatch.setattr(module, "ABLATIVE_PULSE_STEP", step)
        depths.append(module.simulate(settings, CHEEK).ablation_depth)
    # the default 2 us step within one 0.5 um cell of the finest; the ejecta
    # over the floor and the absorption of a drying cell are updated once a
    # step, so the coarse 8 us step may sit one cell further
    assert abs(depths[1] - depths[-1]) <= 0.6e-6
    assert abs(depths[0] - depths[-1]) <= 1.2e-6
    assert abs(depths[2] - depths[-1]) <= abs(depths[0] - depths[-1])


def test_grid_convergence_co2():
    settings = LaserSettings(10.6e-6, 7e4, 0.8e-3)
    fine, finer = (simulate(settings, CHEEK, grid_spacing=h) for h in (1e-6, 0.5e-6))
    assert fine.ablation_depth == pytest.approx(finer.ablation_depth, abs=1.5e-6)
    assert fine.coagulation_depth == pytest.approx(finer.coagulation_depth, abs=2e-6)


def test_pure_conduction_matches_semi_infinite_solution():
    # No laser absorbed (zero water): an initial step in temperature at the
    # top cell spreads as in a uniform semi-infinite slab; check the total heat
    # stays (insulated surface, h=0) and the profile is monotone.
    grid = heat.make_grid(200e-6, 1e-6, 2e-3)
    n = grid.widths.size
    t0 = np.full(n, 310.15)
    t0[:10] = 350.0
    solution = heat.solve_pulses(
        grid,
        density=np.full(n, 1100.0),
        specific_heat=np.full(n, 3400.0),
        conductivity=np.full(n, 0.37),
        water_fraction=np.zeros(n),
        perfusion_capacity=np.zeros(n),
        initial_temperature=t0,
        water_absorption=1e5,
        solid_absorption=0.0,
        decomposition_temperature=673.15,
        ejecta_extinction=1.55e6,
        plume_velocity=1400.0,
        free_plume_length=2.4e-3,
        pulse_start=[0.0],
        pulse_duration=[1e-6],
        pulse_fluence=[1e-9],
        pulse_blowoff=[False],
        pulse_efficiency=[1.0],
        end_time=0.01,
        surface_heat_transfer=0.0,
        air_temperature=300.0,
        bottom_temperature=310.15,
        blood_temperature=310.15,
        damage_parameters=(3.1e98, 6.28e5, 3.1e98, 6.28e5, np.inf),
    )
    heat_initial = np.sum(1100 * 3400 * (t0 - 310.15) * grid.widths)
    heat_final = np.sum(1100 * 3400 * (solution.temperature - 310.15) * grid.widths)
    assert heat_final == pytest.approx(heat_initial, rel=1e-3)
    assert np.all(np.diff(solution.temperature[:300]) <= 1e-9)
    # Gaussian spread: a 10 um slab at 350 K after 10 ms (diffusion length
    # 2*sqrt(alpha t) ~ 63 um) gives a surface rise of Q/(rho c sqrt(pi alpha t))
    alpha = 0.37 / (1100 * 3400)
    expected = (350.0 - 310.15) * 10e-6 / np.sqrt(np.pi * alpha * 0.01)
    assert solution.temperature[0] - 310.15 == pytest.approx(expected, rel=0.05)
