import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.tissue import optics


@pytest.mark.parametrize(
    ("wavelength_nm", "expected_per_cm"),
    # Hale & Querry 1973 table points and linear interpolations listed in the
    # reference notes (1540 tabulated; 2940, 10600, 1927 interpolated).
    [(1540, 11.83), (2940, 12478.0), (10600, 854.8), (1927, 116.4), (9600, 594.0)],
)
def test_water_absorption_against_table(wavelength_nm, expected_per_cm):
    value = optics.water_absorption_coefficient(wavelength_nm * 1e-9) / 100.0
    assert value == pytest.approx(expected_per_cm, rel=0.005)


def test_erbium_absorbs_about_fifteen_times_co2():
    ratio = optics.water_absorption_coefficient(2.94e-6) / optics.water_absorption_coefficient(
        10.6e-6
    )
    assert 14.0 < ratio < 16.0


def test_tissue_absorption_scales_with_water():
    full = optics.absorption_coefficient(2.94e-6, 1.0)
    assert optics.absorption_coefficient(2.94e-6, 0.7) == pytest.approx(0.7 * full)
    # ~1.1 um penetration depth at 70 % water (reference notes, derived)
    assert optics.optical_penetration_depth(2.94e-6, 0.7) == pytest.approx(1.14e-6, rel=0.02)


@pytest.mark.parametrize("wavelength", [1.0e-6, 12e-6, np.nan])
def test_outside_table_is_an_error(wavelength):
    with pytest.raises(InputError, match="wavelength"):
        optics.water_absorption_coefficient(wavelength)
