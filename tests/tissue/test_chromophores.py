"""Chromophore spectra against other published measurements, and their limits."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.tissue import chromophores, optics

REFERENCE = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "skin_optics_reference.toml").read_text()
)


def test_water_near_1930nm_against_kou_1993():
    ref = REFERENCE["water_kou"]
    ours = chromophores.water(np.array(ref["wavelength_nm"]) * 1e-9) / 100
    # Hale & Querry lie 13-15 % below Kou here and Segelstein 7-11 % below: the
    # sources themselves spread by ~15 %, and near 1.93 um water's absorption
    # falls by about 0.5 %/K, so 22 vs 25 degC alone is ~2 %. 20 % covers both.
    assert ours == pytest.approx(ref["absorption_per_cm"], rel=0.20)


def test_water_at_the_non_ablative_lines_against_segelstein():
    ref = REFERENCE["water_segelstein"]
    ours = chromophores.water(np.array(ref["wavelength_nm"]) * 1e-9) / 100
    # Hale & Querry's table has a 20 nm step across the steep 1450-1480 nm
    # flank, where linear interpolation and the two compilations differ by up to
    # ~15 %; 20 % allows that spread and fails on a mistyped row or unit.
    assert ours == pytest.approx(ref["absorption_per_cm"], rel=0.20)


def test_water_joins_hale_querry_at_1300nm_and_agrees_with_the_thermal_optics():
    wavelength = np.array([1.3e-6, 1.47e-6, 2.94e-6, 10.6e-6])
    assert chromophores.water(wavelength) == pytest.approx(
        optics.water_absorption_coefficient(wavelength), rel=1e-12
    )
    # the join is continuous: the last Segelstein row used is 1291 nm
    assert chromophores.water(1.2999e-6) == pytest.approx(chromophores.water(1.3e-6), rel=1e-3)


def test_water_has_its_visible_minimum_and_its_bands_where_they_belong():
    wavelength = np.arange(400e-9, 1000e-9, 1e-9)
    absorption = chromophores.water(wavelength)
    # the minimum of liquid water absorption lies near 420-480 nm
    assert 415e-9 < wavelength[np.argmin(absorption)] < 500e-9
    # the O-H overtone bands: 970 nm above 900 nm; 1450 nm above 1300 nm; 2940 the top
    assert chromophores.water(970e-9) > 5 * chromophores.water(900e-9)
    assert chromophores.water(1450e-9) > 10 * chromophores.water(1300e-9)
    assert chromophores.water(2940e-9) > chromophores.water(np.array([2800e-9, 3100e-9])).max()


def test_haemoglobin_crosses_at_its_isosbestic_point_near_800nm():
    wavelength = np.arange(780e-9, 820e-9, 1e-9)
    difference = chromophores.oxyhaemoglobin(wavelength) - chromophores.deoxyhaemoglobin(wavelength)
    crossing = wavelength[np.nonzero(np.diff(np.sign(difference)))[0][0]]
    # the isosbestic point of HbO2 and Hb lies at 797-800 nm
    assert 790e-9 <= crossing <= 805e-9
    # and deoxy absorbs ~10x more than oxy at 660 nm (the pulse-oximetry red line)
    assert chromophores.deoxyhaemoglobin(660e-9) > 8 * chromophores.oxyhaemoglobin(660e-9)


def test_melanosome_within_the_spread_of_two_published_fits():
    ref = REFERENCE["melanosome_omlc"]
    nm = np.array([450.0, 600.0, 800.0, 1000.0])
    older = ref["prefactor"] * nm ** -ref["power"]
    ours = chromophores.melanin(nm * 1e-9) / 100
    # the 1998 and 2013 fits of the same data differ by ~25-35 %; melanosome
    # melanin content itself varies ten-fold (omlc); 40 % catches a wrong exponent
    assert ours == pytest.approx(older, rel=0.40)
    assert np.all(np.diff(ours) < 0)


def test_lipid_band_at_930nm():
    assert chromophores.lipid(930e-9) > 4 * chromophores.lipid(870e-9)


@pytest.mark.parametrize(
    ("function", "wavelength"),
    [
        (chromophores.water, 399e-9),
        (chromophores.water, 11.1e-6),
        (chromophores.oxyhaemoglobin, 1001e-9),
        (chromophores.lipid, 1100e-9),
        (chromophores.melanin, 350e-9),
        (chromophores.melanin, float("nan")),
    ],
)
def test_a_wavelength_outside_a_table_is_an_error(function, wavelength):
    with pytest.raises(InputError, match="wavelength"):
        function(wavelength)


def test_coverage_names_what_each_wavelength_has():
    assert all(chromophores.coverage(800e-9).values())
    at_1470 = chromophores.coverage(1470e-9)
    assert at_1470["water"] and at_1470["melanin"]
    assert not at_1470["oxyhaemoglobin"] and not at_1470["lipid"]
