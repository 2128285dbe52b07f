"""Layered skin: lookup by depth, property profiles, thicknesses against their sources."""

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.tissue import LAYER_NAMES, area_names, skin_model
from dermalase.tissue.layers import Layer

UM = 1e-6


def test_total_thickness_is_the_sum_of_the_layers():
    for area in area_names():
        model = skin_model(area)
        assert model.total_thickness == pytest.approx(sum(la.thickness for la in model.layers))
        assert model.boundaries[-1] == pytest.approx(model.total_thickness)
        assert np.all(np.diff(model.boundaries) > 0)


def test_epidermis_and_dermis_are_their_layers_summed():
    model = skin_model("cheek")
    assert model.epidermis_thickness == pytest.approx(
        model.thickness("stratum_corneum") + model.thickness("viable_epidermis")
    )
    assert model.dermis_thickness == pytest.approx(
        model.thickness("papillary_dermis") + model.thickness("reticular_dermis")
    )


def test_neck_dermis_against_meng_2022():
    # Meng 2022, Table 2 (HFUS): neck dermis 0.98 mm (men), 0.99 mm (women).
    assert 0.98e-3 <= skin_model("neck").dermis_thickness <= 0.99e-3


def test_eyelid_dermis_against_meng_and_chopra():
    # Meng 2022, Table 2: eyelid dermis 0.58 mm (women) to 0.67 mm (men). Chopra
    # 2015 finds the thinnest facial dermis at the upper medial eyelid, 758.9 µm
    # (histology): the two methods differ by ~15 %, so the periorbital model
    # must lie within the HFUS range and below Chopra's value.
    dermis = skin_model("periorbital").dermis_thickness
    assert 0.58e-3 <= dermis <= 0.67e-3
    assert dermis < 758.9 * UM


def test_chest_epidermis_against_oltulu_2018():
    # Oltulu 2018: breast epidermis, women, 76.9 +/- 26.2 µm.
    assert skin_model("chest").epidermis_thickness == pytest.approx(76.9 * UM, abs=0.05 * UM)


def test_facial_epidermis_within_chopra_range():
    # Chopra 2015: facial epidermis from 29.6 µm (thinnest) to 62.6 µm (upper lip).
    face = ["forehead", "glabella", "temple", "periorbital", "cheek", "nose", "perioral", "chin"]
    for area in face:
        assert 29.6 * UM <= skin_model(area).epidermis_thickness <= 62.6 * UM, area


def test_stratum_corneum_within_ng_lau_range():
    # Ng & Lau 2015: stratum corneum typically 10-20 µm.
    for area in area_names():
        assert 10 * UM <= skin_model(area).thickness("stratum_corneum") <= 20 * UM, area


# ------------------------------------------------------------------ lookup by depth


def test_layer_at_each_depth():
    model = skin_model("cheek")
    tops = np.concatenate(([0.0], model.boundaries[:-1]))
    for name, top, bottom in zip(LAYER_NAMES, tops, model.boundaries, strict=True):
        middle = 0.5 * (top + bottom)
        assert model.layer_name_at(middle) == name
        # a boundary belongs to the layer below it
        assert model.layer_name_at(top) == name
        assert model.layer_name_at(np.nextafter(bottom, 0.0)) == name


def test_depth_below_the_stack_is_the_last_layer():
    model = skin_model("cheek")
    assert model.layer_name_at(2 * model.total_thickness) == "subcutis"


def test_layer_index_is_vectorised_and_monotone():
    model = skin_model("forehead")
    depth = np.linspace(0.0, model.total_thickness, 2001)
    index = model.layer_index_at(depth)
    assert index.shape == depth.shape
    assert np.all(np.diff(index) >= 0)
    assert set(index.tolist()) == set(range(len(LAYER_NAMES)))


def test_layers_between_spans_every_layer_touched():
    model = skin_model("cheek")
    assert model.layers_between(0.0, model.total_thickness) == list(LAYER_NAMES)
    epidermis = model.epidermis_thickness
    # an interval ending exactly on a boundary does not touch the layer below
    assert model.layers_between(0.0, epidermis) == ["stratum_corneum", "viable_epidermis"]
    assert model.layers_between(epidermis, epidermis) == []


# ------------------------------------------------------------------ property profile


@pytest.mark.parametrize("attribute", ["water_fraction", "thermal_conductivity", "perfusion"])
def test_property_profile_is_constant_within_layers_and_steps_only_at_boundaries(attribute):
    model = skin_model("cheek")
    depth = np.linspace(0.0, model.total_thickness, 5001)
    profile = model.property_profile(depth, attribute)
    for layer, top, bottom in zip(
        model.layers,
        np.concatenate(([0.0], model.boundaries[:-1])),
        model.boundaries,
        strict=True,
    ):
        inside = (depth >= top) & (depth < bottom)
        assert np.all(profile[inside] == getattr(layer, attribute))
    # every change of value happens across a layer boundary
    steps = np.flatnonzero(np.diff(profile) != 0)
    for i in steps:
        assert np.any((depth[i] < model.boundaries) & (model.boundaries <= depth[i + 1]))


def test_viable_epidermis_is_not_perfused():
    # Gowrishankar 2004: the viable epidermis is avascular; the dermis is perfused.
    model = skin_model("cheek")
    assert model.layer("viable_epidermis").perfusion == 0.0
    assert model.layer("papillary_dermis").perfusion > 0.0


def test_diffusivity_of_dermis_near_published_value():
    # k / (rho c) ~ 1e-7 m^2/s for soft tissue (0.37 / (1100 x 3400), physics
    # notes §2.2); the layer's own parameters must give the same order.
    diffusivity = skin_model("cheek").layer("reticular_dermis").thermal_diffusivity
    assert 0.5e-7 <= diffusivity <= 2e-7


@pytest.mark.parametrize(
    "field, changes",
    [
        ("thickness", dict(thickness=0.0)),
        ("water_fraction", dict(water_fraction=1.2)),
        ("density", dict(density=0.0)),
        ("perfusion", dict(perfusion=-1e-3)),
    ],
)
def test_bad_layer_values_are_refused(field, changes):
    values = dict(
        name="dermis_test",
        thickness=1e-3,
        water_fraction=0.7,
        density=1100.0,
        specific_heat=3400.0,
        thermal_conductivity=0.37,
        perfusion=1e-3,
    )
    values.update(changes)
    with pytest.raises(InputError) as error:
        Layer(**values)
    assert error.value.field.endswith(field)


def test_unknown_layer_is_refused():
    with pytest.raises(InputError, match="known layers"):
        skin_model("cheek").layer("hypodermis")


def test_precooled_skin_starts_below_body_temperature_within_range():
    from dermalase.constants import body_temperature

    cheek = skin_model("cheek")
    assert cheek.temperature == body_temperature
    cooled = cheek.precooled(293.15)
    assert cooled.temperature == 293.15
    assert cooled.layers == cheek.layers
    with pytest.raises(InputError, match=r"skin\.temperature"):
        cheek.precooled(body_temperature + 5.0)
    with pytest.raises(InputError, match=r"skin\.temperature"):
        cheek.precooled(250.0)
