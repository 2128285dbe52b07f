"""Tests of the eye and skin MPE: table values, breakpoints, monotonicity, refusals."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.safety import correction_factors
from dermalase.safety.exposure_limits import (
    EYE_BRANCHES,
    SKIN_BRANCHES,
    branch,
    limit,
    limiting_aperture,
    mpe_eye,
    mpe_irradiance,
    mpe_skin,
)

CASES = tomllib.loads((Path(__file__).parents[1] / "data" / "safety_mpe.toml").read_text())["case"]
MPE = {"eye": mpe_eye, "skin": mpe_skin}


@pytest.mark.parametrize("case", CASES, ids=[case["label"] for case in CASES])
def test_table_values(case):
    value = MPE[case["tissue"]](case["wavelength_nm"] * 1e-9, case["duration_s"])
    assert value == pytest.approx(case["mpe_j_m2"], rel=case["tolerance"])


def test_every_branch_carries_its_table():
    assert all(
        "Table A.1" in row.reference or "ICNIRP 2013" in row.reference for row in EYE_BRANCHES
    )
    assert all("Table A.5" in row.reference for row in SKIN_BRANCHES)
    assert all(" nm" in row.reference for row in EYE_BRANCHES + SKIN_BRANCHES)


def test_rows_tile_the_range_without_gaps():
    """Every wavelength and duration of the range has a row, in both tables."""
    for tissue in ("eye", "skin"):
        for wavelength in np.geomspace(180e-9, 1e-3, 157):
            for duration in np.geomspace(1e-9, 3e4, 41):
                assert limit(wavelength, duration, tissue).radiant_exposure > 0


# Duration breakpoints, each with the gap the standard's own rounding leaves there:
# (wavelength [m], breakpoint [s], relative gap allowed, why).
DURATION_BREAKPOINTS = [
    # 5.6e3 (1e-3)^0.25 = 995.8 against 1e3 J/m²; 5.6e3 10^0.25 = 9958 against 1e4 J/m²
    *[(w, t, 5e-3, "5.6e3 t^0.25 rounding") for w in (1450e-9, 1927e-9) for t in (1e-3, 10.0)],
    *[(w, 10.0, 5e-3, "5.6e3 t^0.25 vs 1e3 W/m²") for w in (2940e-9, 10.6e-6, 500e-6)],
    (2940e-9, 1e-7, 5e-3, "5.6e3 (1e-7)^0.25 = 99.6 against 100 J/m²"),
    (1550e-9, 10.0, 1e-12, "1e4 J/m² = 1e3 W/m² x 10 s"),
    # ultraviolet: C_1(10 s) = 9958 against 1e4 J/m²; 1e4 J/m² = 10 W/m² x 1000 s
    (355e-9, 10.0, 5e-3, "C_1(10 s) rounding"),
    (355e-9, 1e3, 1e-12, "1e4 J/m² = 10 W/m² x 1e3 s"),
    # retina, 2014 plateau: 18 (5e-6)^0.75 = 1.903e-3 against 2e-3 J/m² (5 %);
    # 90 (1.3e-5)^0.75 = 1.946e-2 against 2e-2 J/m² (2.8 %)
    (532e-9, 5e-6, 5.5e-2, "18 t^0.75 meets the 2e-3 J/m² plateau to 5 %"),
    (905e-9, 5e-6, 5.5e-2, "18 C_A t^0.75 meets 2e-3 C_A J/m² to 5 %"),
    (1064e-9, 1.3e-5, 3e-2, "90 t^0.75 meets 2e-2 J/m² to 2.8 %"),
    # retina, T_2 = 10 s: 18 x 10^0.75 = 101.2 J/m² against 10 W/m² x 10 s
    (532e-9, 10.0, 1.3e-2, "18 t^0.75 at T_2 against 10 W/m² (1.2 %)"),
    (450e-9, 10.0, 1.3e-2, "thermal below 10 s against the blue-light 100 J/m²"),
    (810e-9, 10.0, 1.3e-2, "18 C_A t^0.75 at T_2 against 10 C_A W/m²"),
    (1064e-9, 10.0, 1.3e-2, "90 t^0.75 at T_2 against 50 W/m²"),
    (450e-9, 100.0, 1e-12, "100 C_B J/m² = 1 C_B W/m² x 100 s"),
    # skin, 400-1400 nm: 1.1e4 (1e-7)^0.25 = 195.6 against 200 J/m²; 1.1e4 10^0.25 =
    # 19 561 against 2e3 W/m² x 10 s (2.2 %)
    (694e-9, 1e-7, 2.3e-2, "skin 1.1e4 t^0.25 against 200 J/m²"),
    (694e-9, 10.0, 2.3e-2, "skin 1.1e4 t^0.25 against 2e3 W/m²"),
]


@pytest.mark.parametrize(
    ("wavelength", "breakpoint", "gap", "tissue"),
    [(w, t, g, "skin" if "skin" in why else "eye") for w, t, g, why in DURATION_BREAKPOINTS],
)
def test_continuous_across_duration_breakpoints(wavelength, breakpoint, gap, tissue):
    below = MPE[tissue](wavelength, breakpoint * (1 - 1e-9))
    above = MPE[tissue](wavelength, breakpoint)
    assert above == pytest.approx(below, rel=gap)


# Wavelength breakpoints where the standard is continuous: (breakpoint [m],
# durations [s], relative gap allowed). The discontinuous ones are listed in
# docs/safety.md and tested below. A gap of 1e-6 is the step (1e-9 of the
# wavelength, 3e-7 nm) times the steepest slope of a factor (C_2: 0.46 per nm).
WAVELENGTH_BREAKPOINTS = [
    (315e-9, [1e-6, 1e-3, 1.0, 100.0], 1e-6),  # C_1 both sides; C_2(315) = 1e4 J/m²
    (450e-9, [1e-6, 1.0, 50.0, 1e3], 1e-6),  # C_B = 1 at 450 nm
    (500e-9, [1e-6, 1.0, 50.0, 1e3], 1e-6),
    (600e-9, [1e-6, 1.0, 50.0, 1e3], 1e-6),  # photochemical 1e3 W/m² > thermal 10 W/m²
    (700e-9, [1e-8, 1e-3, 1.0, 100.0], 1e-6),  # C_A = 1 at 700 nm
    (1150e-9, [1e-8, 1e-3, 100.0], 1e-6),  # C_C = 1 at 1150 nm
    (1200e-9, [1e-8, 1e-3, 100.0], 1e-2),  # 10^0.9 = 7.94 against 8 + 10^-2 = 8.01
    (2600e-9, [1e-3, 0.1, 5.0, 100.0], 1e-6),  # 5.6e3 t^0.25 both sides from 1 ms
    (100e-6, [1e-6, 1e-3, 1.0, 100.0], 1e-6),  # only the aperture changes at 0.1 mm
]


@pytest.mark.parametrize(("breakpoint", "durations", "gap"), WAVELENGTH_BREAKPOINTS)
@pytest.mark.parametrize("tissue", ["eye", "skin"])
def test_continuous_across_wavelength_breakpoints(breakpoint, durations, gap, tissue):
    for duration in durations:
        below = MPE[tissue](breakpoint * (1 - 1e-9), duration)
        above = MPE[tissue](breakpoint, duration)
        assert above == pytest.approx(below, rel=gap), duration


@pytest.mark.parametrize(
    ("breakpoint", "duration"),
    [(400e-9, 1e-6), (1050e-9, 1e-8), (1400e-9, 1e-3), (1500e-9, 1.0), (1800e-9, 1.0)],
)
def test_documented_discontinuities_are_real(breakpoint, duration):
    """Where docs/safety.md says the standard jumps, it does (by more than 10 %)."""
    below = mpe_eye(breakpoint * (1 - 1e-9), duration)
    above = mpe_eye(breakpoint, duration)
    assert abs(above / below - 1) > 0.1


WAVELENGTHS = [193e-9, 308e-9, 355e-9, 450e-9, 532e-9, 810e-9, 1064e-9, 1320e-9]
WAVELENGTHS += [1470e-9, 1550e-9, 1927e-9, 2790e-9, 2940e-9, 10.6e-6]


@pytest.mark.parametrize("wavelength", WAVELENGTHS)
@pytest.mark.parametrize("tissue", ["eye", "skin"])
def test_radiant_exposure_grows_with_duration(wavelength, tissue):
    """Never falls by more than the rounding gaps of the breakpoints above (5 %)."""
    durations = np.geomspace(1e-9, 3e4, 400)
    values = MPE[tissue](wavelength, durations)
    ratios = values[1:] / values[:-1]
    assert np.all(ratios >= 1 - 5.5e-2)
    assert values[-1] >= values[0]


@pytest.mark.parametrize("wavelength", WAVELENGTHS)
def test_irradiance_falls_with_duration(wavelength):
    durations = np.logspace(-9, 4, 120)
    irradiance = mpe_irradiance(wavelength, durations)
    assert np.all(irradiance[1:] <= irradiance[:-1] * (1 + 5.5e-2))


def test_long_exposure_is_1000_w_m2_beyond_1400_nm():
    assert mpe_irradiance(np.array([1.47e-6, 1.55e-6, 1.927e-6, 2.94e-6]), 1e3) == pytest.approx(
        1e3
    )


@pytest.mark.parametrize("wavelength", [450e-9, 532e-9, 633e-9, 810e-9, 1064e-9, 1150e-9])
def test_retina_is_more_sensitive_than_skin(wavelength):
    """In the retinal hazard region the focusing eye tolerates far less than skin."""
    for duration in (1e-8, 1e-3, 1.0, 100.0):
        assert mpe_eye(wavelength, duration) < mpe_skin(wavelength, duration) / 10


@pytest.mark.parametrize("wavelength", [193e-9, 308e-9, 355e-9, 1470e-9, 2940e-9, 10.6e-6])
def test_eye_and_skin_tables_agree_outside_the_retinal_region(wavelength):
    durations = np.geomspace(1e-9, 3e4, 60)
    assert mpe_eye(wavelength, durations) == pytest.approx(mpe_skin(wavelength, durations))


def test_cornea_dual_limit_near_1400_nm():
    """Near 1400 nm C_C lifts the retinal limit above the skin limit; the skin rows
    then hold for the cornea too (ICNIRP 2013), so the eye's MPE never exceeds them."""
    for wavelength in np.linspace(1250e-9, 1399e-9, 30):
        for duration in (1e-8, 1e-3, 100.0):
            assert mpe_eye(wavelength, duration) <= mpe_skin(wavelength, duration)
    assert "corneal" in branch(1390e-9, 100.0).reference
    assert "retinal" in branch(1100e-9, 100.0).reference


def test_ultraviolet_dual_limit_switches_at_t1():
    """302.5-315 nm: thermal C_1 below T_1, photochemical C_2 above."""
    for nanometres in (303.0, 306.0, 310.0, 313.0):
        wavelength = nanometres * 1e-9
        switch = correction_factors.t1(wavelength)
        assert branch(wavelength, switch * 0.9).mechanism == "thermal"
        assert branch(wavelength, switch * 1.1).mechanism == "photochemical"
        assert mpe_eye(wavelength, switch) == pytest.approx(
            correction_factors.c_2(wavelength), rel=1e-2
        )


def test_blue_light_dual_limit():
    """From 10 s, 400-600 nm: the photochemical limit wins at 450 nm, the thermal at 580 nm."""
    assert branch(450e-9, 1e3).mechanism == "photochemical"
    assert branch(580e-9, 1e3).mechanism == "thermal"
    assert branch(450e-9, 1.0).mechanism == "thermal"  # photochemical rows start at 10 s


def test_extended_source_raises_the_retinal_limit():
    """C_E grows with α up to α_max; beyond α_max the limit stops growing."""
    alphas = np.array([0.0, 1.5e-3, 3e-3, 5e-3, 20e-3])
    short = [mpe_eye(532e-9, 1e-6, alpha) for alpha in alphas]
    assert short[0] == short[1]
    assert short[2] == pytest.approx(2 * short[1])
    assert short[4] == short[3]  # α_max = 5 mrad below 625 µs
    long = [mpe_eye(810e-9, 1.0, alpha) for alpha in (1.5e-3, 50e-3, 100e-3, 200e-3)]
    assert long == sorted(long) and long[3] == long[2]
    # and T_2 rises to 100 s, so the t^0.75 growth lasts longer
    assert mpe_eye(810e-9, 50.0, 0.1) == pytest.approx(
        18 * correction_factors.c_a(810e-9) * (0.1 / 1.5e-3) * 50.0**0.75
    )


def test_branch_reference_names_the_band():
    assert "2600 nm-1 mm" in branch(10.6e-6, 1e-4).reference
    assert "Table A.5" in branch(694e-9, 1e-3, "skin").reference


@pytest.mark.parametrize("wavelength", [170e-9, 179e-9, 1.01e-3, float("nan"), -1.0])
def test_wavelength_outside_rows_refused(wavelength):
    with pytest.raises(InputError, match="wavelength"):
        mpe_eye(wavelength, 1e-3)


@pytest.mark.parametrize("duration", [1e-10, 0.0, -1.0, 3.1e4, float("inf")])
def test_duration_outside_rows_refused(duration):
    with pytest.raises(InputError, match="exposure_duration"):
        mpe_skin(2.94e-6, duration)


def test_bad_tissue_and_angular_subtense_refused():
    with pytest.raises(InputError, match="tissue"):
        limit(532e-9, 1e-3, "lung")
    with pytest.raises(InputError, match="angular_subtense"):
        mpe_eye(532e-9, 1e-3, angular_subtense=-1e-3)


@pytest.mark.parametrize(
    ("wavelength", "duration", "tissue", "expected"),
    [
        (2.94e-6, 0.1, "eye", 1e-3),
        (2.94e-6, 100.0, "eye", 3.5e-3),
        (500e-6, 1.0, "eye", 11e-3),
        (532e-9, 1e-8, "eye", 7e-3),
        (308e-9, 1e-8, "eye", 1e-3),
        (1064e-9, 1.0, "skin", 3.5e-3),
    ],
)
def test_limiting_aperture(wavelength, duration, tissue, expected):
    assert limiting_aperture(wavelength, duration, tissue) == pytest.approx(expected)


def test_cross_check_with_lasercalc():
    """Where both apply the values agree: 2.6 µm-1 mm from 100 ns; every band beyond
    1400 nm from 1 ms; the retina from 18 µs (below 1150 nm). They differ (docs/safety.md)
    at 1400-1500 nm and 1800-2600 nm below 1 ms (lasercalc's one 5600 t^0.25 curve lies
    below the table's 1e3 J/m² plateau), on the retinal plateau below 18 µs (lasercalc
    keeps the 2007 edition's 5e-3 J/m²) and above 1200 nm (it keeps C_C = 8)."""
    lasercalc = pytest.importorskip("lasercalc.mpe")
    agree = [(10600, 1e-4), (2940, 3e-4), (2790, 1.0), (1927, 0.1), (488, 0.25), (633, 0.25)]
    agree += [(810, 1.0), (1064, 1e-3), (1064, 100.0), (532, 100.0)]
    for wavelength_nm, duration in agree:
        theirs = lasercalc.mpe_eye(wavelength_nm, duration).radiant_exposure_j_m2
        assert mpe_eye(wavelength_nm * 1e-9, duration) == pytest.approx(theirs), wavelength_nm
    for wavelength_nm, duration, ours_higher in [
        (1470, 1e-4, True),  # the plateau
        (532, 1e-8, False),  # 2014: 2e-3 against 5e-3 J/m²
        (1300, 100.0, True),  # C_C = 108 against 8
    ]:
        theirs = lasercalc.mpe_eye(wavelength_nm, duration).radiant_exposure_j_m2
        assert (mpe_eye(wavelength_nm * 1e-9, duration) > theirs) is ours_higher
