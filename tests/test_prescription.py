"""Prescription: the device-neutral request and the values it refuses."""

import pytest

from dermalase.exceptions import InputError
from dermalase.prescription import MODALITIES, Prescription

UM = 1e-6


def full_field(**changes):
    values = dict(area="cheek", modality="full_field", wavelength=2940e-9, ablation_depth=50 * UM)
    values.update(changes)
    return Prescription(**values)


def fractional(**changes):
    values = dict(
        area="cheek",
        modality="fractional",
        wavelength=10600e-9,
        ablation_depth=300 * UM,
        coverage=0.15,
    )
    values.update(changes)
    return Prescription(**values)


def test_two_modalities():
    assert set(MODALITIES) == {"full_field", "fractional"}


@pytest.mark.parametrize("wavelength_nm", [2940, 10600, 2790, 1927, 1470, 1550])
def test_every_water_absorbed_line_of_the_brief_is_accepted(wavelength_nm):
    # DESIGN.md: Er:YAG, CO2, Er:YSGG, thulium, and the non-ablative 1470/1550 nm lines
    assert full_field(wavelength=wavelength_nm * 1e-9).wavelength == wavelength_nm * 1e-9


@pytest.mark.parametrize(
    "depth_um",
    [
        4,  # NanoLaserPeel, "like a glycolic peel" (dscmd.com, secondary)
        120,  # full resurfacing effect (dscmd.com)
    ],
)
def test_published_full_field_depths_are_accepted(depth_um):
    assert full_field(ablation_depth=depth_um * UM).ablation_depth == depth_um * UM


def test_published_fractional_columns_are_accepted():
    # ProFractional 25-1500 µm at 5-30 % (realself, secondary); Fraxel re:pair
    # up to 1.6 mm at 5-70 % (realself, secondary).
    for depth_um, coverage in ((25, 0.05), (1500, 0.30), (1600, 0.70)):
        assert fractional(ablation_depth=depth_um * UM, coverage=coverage).coverage == coverage


def test_total_depth_is_ablation_plus_coagulation():
    prescription = full_field(ablation_depth=80 * UM, coagulation_depth=50 * UM)
    assert prescription.total_depth == pytest.approx(130 * UM)
    assert full_field().total_depth == full_field().ablation_depth


def test_clinical_units_of_the_view():
    view = fractional(coagulation_depth=40 * UM, passes=2, spot_diameter=120 * UM).to_dict()
    assert view == {
        "area": "cheek",
        "modality": "fractional",
        "wavelength_nm": 10600.0,
        "ablation_depth_um": 300.0,
        "coagulation_depth_um": 40.0,
        "coverage_percent": 15.0,
        "passes": 2,
        "spot_diameter_um": 120.0,
    }


@pytest.mark.parametrize(
    "field, changes",
    [
        ("modality", dict(modality="partial")),
        ("wavelength", dict(wavelength=1064e-9)),  # Nd:YAG: not water-absorbed
        ("wavelength", dict(wavelength=12e-6)),
        ("ablation_depth", dict(ablation_depth=0.0)),
        ("ablation_depth", dict(ablation_depth=5e-3)),  # typing error: 5 mm
        ("coagulation_depth", dict(coagulation_depth=-1 * UM)),
        ("coverage", dict(coverage=0.5)),  # full field is 100 %
        ("passes", dict(passes=0)),
        ("passes", dict(passes=21)),
        ("spot_diameter", dict(spot_diameter=10 * UM)),
        ("spot_diameter", dict(spot_diameter=3e-3)),
    ],
)
def test_out_of_range_values_are_refused_by_name(field, changes):
    with pytest.raises(InputError) as error:
        full_field(**changes)
    assert error.value.field == field


@pytest.mark.parametrize("coverage", [0.0, 1.01])
def test_fractional_coverage_is_a_fraction(coverage):
    with pytest.raises(InputError) as error:
        fractional(coverage=coverage)
    assert error.value.field == "coverage"


def test_refusal_speaks_in_clinical_units():
    with pytest.raises(InputError, match="5000 um"):
        full_field(ablation_depth=5e-3)


def test_zero_ablation_with_coagulation_is_a_non_ablative_prescription():
    # coagulation only: the prescription of a non-ablative (1.3-2.1 um) device
    wanted = fractional(wavelength=1550e-9, ablation_depth=0.0, coagulation_depth=300 * UM)
    assert wanted.total_depth == 300 * UM
