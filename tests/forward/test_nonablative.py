"""Non-ablative microbeams with the Monte Carlo deposition (forward.nonablative).

Published numbers are in tests/data/nonablative_reference.toml with their
provenance. Monte Carlo runs use 50 000 photons: between seeds the zone's
depth and width move by a few um (tested below), far inside every tolerance.
"""

import tomllib
from pathlib import Path

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.forward.nonablative import simulate_microbeam
from dermalase.tissue import skin_model

REFERENCE = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "nonablative_reference.toml").read_text()
)
CHEEK = skin_model("cheek")
UM, MJ, MS = 1e-6, 1e-3, 1e-3
PHOTONS = 50_000
#: The microbeam of the bundled 1550 nm device file (an assumption there).
SPOT_1550 = 140 * UM


def microbeam(wavelength, energy, spot=SPOT_1550, duration=3 * MS, **kwargs):
    return simulate_microbeam(wavelength, energy, spot, CHEEK, duration, photons=PHOTONS, **kwargs)


def test_1550_at_10_mj_coagulates_a_column_without_ablation():
    # Manstein 2004: ~100 um wide, ~300 um deep; the abstract gives neither the
    # energy nor the spot (10 mJ and the device file's 140 um are assumptions),
    # and histology shrinks zones by ~12 % in width and ~21 % in depth against
    # simulation (Marqa & Mordon 2014). "Of order": within a factor of two.
    ref = REFERENCE["manstein2004"]
    effect = microbeam(1550e-9, ref["energy_mj"] * MJ)
    assert effect.ablation_depth == 0.0
    assert not effect.warnings
    assert 0.5 * ref["depth_um"] * UM <= effect.total_depth <= 2 * ref["depth_um"] * UM
    assert 0.5 * ref["width_um"] * UM <= effect.mtz_diameter <= 2 * ref["width_um"] * UM
    assert effect.model == "column_2d_monte_carlo"


@pytest.mark.parametrize(
    ("wavelength", "energy"), [(1550e-9, 10 * MJ), (1470e-9, 5 * MJ), (1927e-9, 5 * MJ)]
)
def test_energy_balance_closes_with_the_monte_carlo_source(wavelength, energy):
    effect = microbeam(wavelength, energy)
    ledger = effect.energy
    # absorbed = stored + removed + air + boundaries + blood, to rounding
    assert effect.solution.energy_balance_error() < 1e-8
    # every delivered joule is absorbed in the grid, transmitted below it or escaped
    accounted = ledger["absorbed"] + ledger["transmitted"] + ledger["escaped"]
    assert accounted == pytest.approx(energy, rel=1e-9)
    # the skin reflects part of it (Fresnel at the surface, diffuse backscatter)
    assert 0.05 < ledger["escaped"] / energy < 0.4


def test_depth_and_width_rise_with_energy():
    # Bedi 2007: depth and width grow with pulse energy over 4.5-40 mJ
    effects = [microbeam(1550e-9, e * MJ) for e in (4.5, 10, 20)]
    depths = [e.total_depth for e in effects]
    widths = [e.mtz_diameter for e in effects]
    assert np.all(np.diff(depths) > 20 * UM)
    assert np.all(np.diff(widths) > 5 * UM)
    assert all(e.ablation_depth == 0.0 for e in effects)


@pytest.mark.xfail(
    strict=True,
    reason="Bedi 2007: depth > 1 mm at 40 mJ; with water bleaching the model's zone reaches "
    "~0.85 mm (it stopped near 0.5 mm without). Still missing: the focusing optics of the "
    "handpiece (the beam enters here unfocused, so light is not concentrated at depth).",
)
def test_1550_high_energy_reaches_a_millimetre():
    ref = REFERENCE["bedi2007"]
    effect = microbeam(1550e-9, ref["energy_range_mj"][1] * MJ, duration=10 * MS)
    assert effect.ablation_depth == 0.0
    # histology shrinks depth ~21 % against simulation: the model should pass it
    assert effect.total_depth >= ref["depth_high_energy_min_um"] * UM


def test_1470_coagulation_spans_the_shallow_end_of_the_hybrid_range():
    # hybrid 1470 nm: coagulation adjustable 100-700 um (manufacturer, weak).
    # Over 2-10 mJ on the hybrid file's 150 um spot the model stays inside the
    # range, starts near its shallow end and deepens with energy without ablation
    low, high = REFERENCE["hybrid1470"]["coagulation_range_um"]
    effects = [microbeam(1470e-9, e * MJ, spot=150 * UM) for e in (2, 5, 10)]
    depths = np.array([e.total_depth for e in effects]) / UM
    assert np.all((depths >= low) & (depths <= high))
    assert depths[0] < 2 * low
    assert np.all(np.diff(depths) > 0)
    assert all(e.ablation_depth == 0.0 for e in effects)


def test_1470_reaches_the_deep_end_of_the_hybrid_range():
    # the hybrid's 700 um (manufacturer, weak) within 20 %, without boiling the
    # skin dry: tissue that dries and heats passes the light on (water bleaching)
    high = REFERENCE["hybrid1470"]["coagulation_range_um"][1]
    effect = microbeam(1470e-9, 40 * MJ, spot=150 * UM, duration=10 * MS)
    assert effect.ablation_depth == 0.0
    assert effect.total_depth >= 0.8 * high * UM


@pytest.mark.xfail(
    strict=True,
    reason="1927 nm diode at 5 mJ (Friedman 2020, a review: ~170 um): the model coagulates "
    "~430 um deep, beyond the factor of two. Without water bleaching it boiled the top ~150 um "
    "dry. Unknown here: the diode's pulse duration (20 ms assumed) and its elliptical beam "
    "(an equivalent circle is used); the light that bleached cells pass on goes straight down "
    "their column, without the sideways scattering that would spread it.",
)
def test_1927_diode_depth():
    # Friedman 2020 (review, weak): 110-180 um spot, <= 5 mJ, depth ~170 um.
    # Unknown pulse duration and ellipticity: within a factor of two, no ablation.
    ref = REFERENCE["friedman2020"]
    effect = microbeam(
        1927e-9,
        ref["energy_max_mj"] * MJ,
        spot=np.mean(ref["spot_range_um"]) * UM,
        duration=20 * MS,
    )
    assert effect.ablation_depth == 0.0
    assert 0.5 * ref["depth_um"] * UM <= effect.total_depth <= 2 * ref["depth_um"] * UM


def test_water_bleaching_keeps_a_deep_zone_intact():
    # at 40 mJ in 10 ms the cold-tissue deposition boils the top of the 1470 nm
    # zone dry; when tissue that dries and heats absorbs less, the light goes on
    # down: no ablation, and the zone reaches deeper
    fixed = microbeam(1470e-9, 40 * MJ, spot=150 * UM, duration=10 * MS, water_bleaching=False)
    bleached = microbeam(1470e-9, 40 * MJ, spot=150 * UM, duration=10 * MS)
    assert fixed.ablation_depth > 100 * UM
    assert bleached.ablation_depth == 0.0
    assert bleached.total_depth > 1.5 * fixed.total_depth
    assert bleached.energy["removed"] < fixed.energy["removed"]


def test_water_bleaching_changes_little_in_a_cool_zone():
    # at 4.5 mJ barely any tissue boils; only the ~3 % fall of water absorption
    # per 10 K (Lange 2002) acts, so the zone moves by a few cells at most
    fixed = microbeam(1550e-9, 4.5 * MJ, water_bleaching=False)
    bleached = microbeam(1550e-9, 4.5 * MJ)
    assert abs(bleached.total_depth - fixed.total_depth) < 0.05 * fixed.total_depth
    assert abs(bleached.mtz_diameter - fixed.mtz_diameter) < 0.1 * fixed.mtz_diameter


def test_spot_sweep_at_fixed_fluence_deepens_with_the_beam():
    # at the same peak fluence a wider beam loses a smaller share of its axis
    # to sideways scattering, so its zone reaches deeper; at the same energy a
    # wider beam spreads the energy thinner and its zone is shallower
    fluence_energy = 10 * MJ / SPOT_1550**2
    same_fluence = [
        microbeam(1550e-9, fluence_energy * d**2, spot=d) for d in (80 * UM, SPOT_1550, 300 * UM)
    ]
    depths = [e.total_depth for e in same_fluence]
    assert depths[0] < depths[1] < depths[2]
    same_energy = [microbeam(1550e-9, 10 * MJ, spot=d) for d in (SPOT_1550, 300 * UM, 600 * UM)]
    depths = [e.total_depth for e in same_energy]
    assert depths[0] > depths[1] > depths[2]


def test_seed_changes_the_zone_by_little():
    a = microbeam(1550e-9, 10 * MJ, seed=1)
    b = microbeam(1550e-9, 10 * MJ, seed=2)
    assert abs(a.total_depth - b.total_depth) < 15 * UM
    assert abs(a.mtz_diameter - b.mtz_diameter) < 15 * UM


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("energy", {"energy": 0.5}),
        ("wavelength", {"wavelength": 2940e-9}),
        ("spot_diameter", {"spot": 5e-3}),
        ("pulse_duration", {"duration": 1.0}),
    ],
)
def test_bad_input_names_the_field(field, kwargs):
    arguments = {"wavelength": 1550e-9, "energy": 10 * MJ} | kwargs
    with pytest.raises(InputError) as error:
        microbeam(**arguments)
    assert error.value.field == field
