import pytest

from dermalase.exceptions import InputError
from dermalase.tissue import LAYER_NAMES, area_names, skin_model

REQUIRED = [
    "forehead",
    "glabella",
    "temple",
    "periorbital",
    "cheek",
    "nose",
    "perioral",
    "chin",
    "jawline",
    "neck",
    "chest",
    "dorsal_hand",
]


def test_required_areas_exist_with_ordered_layers():
    assert set(REQUIRED) <= set(area_names())
    for name in REQUIRED:
        model = skin_model(name)
        assert tuple(layer.name for layer in model.layers) == LAYER_NAMES
        assert model.sources


def test_eyelid_has_thinnest_facial_dermis():
    # Meng 2022 and Chopra 2015 both find the eyelid dermis the thinnest of the face.
    dermis = {name: skin_model(name).dermis_thickness for name in REQUIRED[:10]}
    assert min(dermis, key=dermis.get) == "periorbital"


def test_cheek_dermis_from_meng_table():
    # zygoma: 1.14 mm (men), 0.87 mm (women); mean 1.005 mm
    assert skin_model("cheek").dermis_thickness == pytest.approx(1.005e-3)


def test_upper_lip_epidermis_from_chopra():
    assert skin_model("perioral").epidermis_thickness == pytest.approx(62.6e-6)


def test_user_thicknesses_replace_defaults():
    model = skin_model("cheek", viable_epidermis=80e-6)
    assert model.thickness("viable_epidermis") == 80e-6
    assert model.layer_name_at(85e-6) == "viable_epidermis"


def test_unknown_area_suggests_closest():
    with pytest.raises(InputError, match="did you mean 'cheek'"):
        skin_model("cheeks")


def test_bad_thickness_rejected():
    with pytest.raises(InputError, match="thickness"):
        skin_model("cheek", viable_epidermis=-1e-6)
    with pytest.raises(InputError, match="layer"):
        skin_model("cheek", epidermis=1e-6)


def test_layers_between():
    model = skin_model("cheek")
    assert model.layers_between(0.0, 5e-6) == ["stratum_corneum"]
    assert model.layers_between(0.0, 0.0) == []
    assert model.layers_between(0.0, 60e-6)[-1] == "papillary_dermis"
