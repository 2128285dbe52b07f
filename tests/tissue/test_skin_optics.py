"""Per-layer skin optics: published scattering, limits and invariants."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.tissue import optics, skin_model
from dermalase.tissue.skin_optics import layer_optics, reduced_scattering, skin_type_number

REFERENCE = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "skin_optics_reference.toml").read_text()
)


_CONSTITUENTS = ("water", "oxyhaemoglobin", "deoxyhaemoglobin", "melanin", "lipid")


def _by_name(wavelength, skin_type=2, area="cheek"):
    return {layer.name: layer for layer in layer_optics(skin_model(area), wavelength, skin_type)}


def test_dermis_scattering_against_bashkatov_2005():
    ref = REFERENCE["dermis_scattering_bashkatov"]
    nm = np.linspace(*ref["range_nm"], 15)
    theirs = ref["rayleigh"] * nm**-4 + ref["mie"] * nm ** -ref["mie_power"]
    ours = reduced_scattering(nm * 1e-9, "dermis") / 100
    # Two independent in vitro data sets (Salomatina 2006 via Jacques 2013, and
    # Bashkatov 2005): they agree to 6-19 % over 600-2000 nm; published skin mu_s'
    # spread by a factor of two or more (Lister 2012), so 25 % is the tight end.
    assert ours == pytest.approx(theirs, rel=0.25)


def test_scattering_falls_with_wavelength_in_every_layer():
    wavelength = np.geomspace(400e-9, 11e-6, 40)
    for law in ("epidermis", "dermis", "fat"):
        assert np.all(np.diff(reduced_scattering(wavelength, law)) < 0)


@pytest.mark.parametrize("wavelength", [2.94e-6, 10.6e-6])
def test_mid_infrared_absorption_is_the_water_of_the_thermal_model(wavelength):
    # where water dominates, the library and the water-only optics the heat
    # solvers use must agree: two models where both apply
    model = skin_model("cheek")
    for layer, computed in zip(model.layers, layer_optics(model, wavelength), strict=True):
        expected = optics.absorption_coefficient(wavelength, layer.water_fraction)
        assert computed.absorption_coefficient == pytest.approx(expected, rel=2e-3)


def test_melanin_raises_epidermal_absorption_monotonically_and_only_there():
    epidermis = [
        _by_name(633e-9, t)["viable_epidermis"].absorption_coefficient for t in range(1, 7)
    ]
    assert np.all(np.diff(epidermis) > 0)
    dermis = {_by_name(633e-9, t)["reticular_dermis"].absorption_coefficient for t in range(1, 7)}
    assert len(dermis) == 1
    # in the mid infrared, pigment hardly matters (water dominates by > 1000x)
    light, dark = (_by_name(2.94e-6, t)["viable_epidermis"] for t in (1, 6))
    assert dark.absorption_coefficient / light.absorption_coefficient < 1.001


def test_blood_left_out_beyond_its_table_is_small_beside_water():
    # at 1000 nm, the last tabulated wavelength, the dermis's blood absorbs less
    # than a tenth of its water: leaving it out beyond 1000 nm errs below that
    dermis = _by_name(1000e-9)["reticular_dermis"].absorption_by_chromophore
    blood = dermis["oxyhaemoglobin"] + dermis["deoxyhaemoglobin"]
    assert blood < 0.1 * dermis["water"]
    at_1470 = _by_name(1470e-9)
    assert at_1470["reticular_dermis"].not_included == ("oxyhaemoglobin", "deoxyhaemoglobin")
    assert "lipid" in at_1470["subcutis"].not_included
    assert at_1470["viable_epidermis"].not_included == ()


def test_properties_are_physical_at_every_wavelength():
    for wavelength in np.geomspace(400e-9, 11e-6, 25):
        for layer in layer_optics(skin_model("neck"), wavelength, "VI"):
            assert layer.absorption_coefficient > 0
            assert layer.scattering_coefficient == pytest.approx(
                layer.reduced_scattering_coefficient / (1 - layer.anisotropy)
            )
            assert 1.3 < layer.refractive_index < 1.6
            f = {name: layer.fractions.get(name, 0.0) for name in _CONSTITUENTS}
            others = f["oxyhaemoglobin"] + f["deoxyhaemoglobin"] + f["melanin"] + f["lipid"]
            # melanosomes and blood are hydrated: their water is in the layer's
            # water fraction, so water overlaps them and only the rest must fit
            assert others <= 1.0 + 1e-12 and f["water"] <= 1.0
            assert layer.sources


def test_wavelength_and_skin_type_errors_name_the_field():
    with pytest.raises(InputError, match=r"wavelength.*400-11000 nm"):
        layer_optics(skin_model("cheek"), 300e-9)
    with pytest.raises(InputError, match="skin_type"):
        skin_type_number("VII")
    assert skin_type_number("iv") == skin_type_number(4) == 4


def test_dermis_at_850nm_against_an_in_vivo_cohort():
    ref = REFERENCE["dermis_in_vivo"]
    dermis = _by_name(850e-9)["papillary_dermis"]
    ours = dermis.absorption_coefficient / 1e3  # 1/mm
    low, high = ref["lower_absorption_per_mm"][1], ref["upper_absorption_per_mm"][1]
    # at 850 nm water and blood set dermal mu_a; the cohort's upper and lower
    # dermis medians differ by 37 %, and dermal blood volume varies several-fold
    # between people, so the bracket of the two medians is widened by half
    assert 0.5 * low <= ours <= 1.5 * high
    # in vitro scattering (Salomatina 2006 via Jacques 2013) exceeds in vivo
    # (Lister 2012); the two differ by 1.5-1.8x here: a factor 2 catches a wrong
    # coefficient or exponent without pretending the two agree
    for nm, theirs in zip(ref["wavelength_nm"], ref["reduced_scattering_per_mm"], strict=True):
        mine = reduced_scattering(nm * 1e-9, "dermis") / 1e3
        assert theirs <= mine <= 2.0 * theirs
