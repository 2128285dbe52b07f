"""Layer stacks for the Monte Carlo: from an area's optics, or from a person's file."""

import math

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.tissue import skin_model
from dermalase.tissue.layer_stack import from_area, parse_layers, read_layer_file
from dermalase.tissue.skin_optics import layer_optics

LAYER = {"n": 1.4, "mua": "10/cm", "mus": "90/cm", "g": 0.75, "thickness": "200um"}


def test_an_area_becomes_its_optics_with_a_semi_infinite_subcutis():
    stack = from_area("cheek", 1470e-9, "IV")
    optics = layer_optics(skin_model("cheek"), 1470e-9, "IV")
    assert stack.names == tuple(layer.name for layer in optics)
    np.testing.assert_allclose(
        stack.absorption_coefficient, [layer.absorption_coefficient for layer in optics]
    )
    assert stack.semi_infinite and math.isinf(stack.thickness[-1])
    assert stack.finite_depth == pytest.approx(skin_model("cheek").dermis_bottom)
    assert stack.n_above == 1.0 and stack.sources


@pytest.mark.parametrize(
    ("text", "per_metre"), [("10/cm", 1e3), ("10 /cm", 1e3), ("10 cm^-1", 1e3), ("1000/m", 1e3),
                            ("0.5/mm", 5e2), ("0/cm", 0.0)],
)  # fmt: skip
def test_coefficients_read_in_any_length_unit(text, per_metre):
    stack = parse_layers({"layer": [{**LAYER, "mua": text}]})
    assert stack.absorption_coefficient[0] == pytest.approx(per_metre)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mua": "-1/cm"}, "layer[1].mua"),
        ({"mua": 10}, "layer[1].mua"),
        ({"mus": "inf/cm"}, "layer[1].mus"),
        ({"g": 1.0}, "layer[1].g"),
        ({"g": float("nan")}, "layer[1].g"),
        ({"n": 0.99}, "layer[1].n"),
        ({"thickness": "0um"}, "layer[1].thickness"),
        ({"thickness": "-5um"}, "layer[1].thickness"),
        ({"colour": "red"}, "layer[1].colour"),
    ],
)
def test_every_bad_value_names_its_layer_and_key(change, field):
    with pytest.raises(InputError) as caught:
        parse_layers({"layer": [{**LAYER, **change}, LAYER]})
    assert caught.value.field == field


def test_only_the_last_layer_may_be_semi_infinite_and_a_stack_needs_a_layer():
    assert parse_layers({"layer": [LAYER, {**LAYER, "thickness": "inf"}]}).semi_infinite
    with pytest.raises(InputError, match="only the last layer"):
        parse_layers({"layer": [{**LAYER, "thickness": "inf"}, LAYER]})
    with pytest.raises(InputError, match="at least one"):
        parse_layers({"n_above": 1.0})
    with pytest.raises(InputError, match="n_below"):
        parse_layers({"n_below": 0.5, "layer": [LAYER]})


def test_a_file_error_names_the_file(tmp_path):
    path = tmp_path / "stack.toml"
    path.write_text('[[layer]]\nn = 1.4\nmua = "10/cm"\nmus = "90/cm"\ng = 2\nthickness = "1mm"\n')
    with pytest.raises(InputError) as caught:
        read_layer_file(str(path))
    assert "stack.toml" in caught.value.field and "layer[1].g" in caught.value.field
    with pytest.raises(InputError, match="TOML"):
        path.write_text("[[layer]\n")
        read_layer_file(str(path))
