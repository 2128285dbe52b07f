"""One way to suggest a name: every unknown-name error reads alike."""

import pytest

import dermalase.tissue.parameters  # noqa: F401  (registers the citations)
from dermalase import citations
from dermalase.devices import load_device
from dermalase.exceptions import InputError, did_you_mean
from dermalase.tissue.areas import resolve_area


def test_the_closest_name_is_suggested_and_a_distant_one_is_not():
    assert did_you_mean("periorbitl", ["perioral", "periorbital", "neck"]) == (
        "did you mean 'periorbital'? "
    )
    assert did_you_mean("zzzz", ["perioral", "periorbital"]) == ""


def test_an_alias_is_suggested_as_the_name_it_stands_for():
    assert did_you_mean("cheekz", ["full_face"], aliases={"cheeks": "full_face"}) == (
        "did you mean 'full_face'? "
    )


def test_a_lower_cutoff_reaches_further():
    assert did_you_mean("nek", ["neckline"], cutoff=0.9) == ""
    assert did_you_mean("nek", ["neckline"], cutoff=0.4) == "did you mean 'neckline'? "


@pytest.mark.parametrize(
    ("lookup", "typo", "expected"),
    [
        (resolve_area, "periorbitl", "did you mean 'periorbital'?"),
        (load_device, "fractional_co3", "did you mean 'fractional_co2'?"),
        (citations.get, "Chopra2105", "did you mean 'Chopra2015'?"),
    ],
)
def test_area_device_and_citation_typos_get_the_same_wording(lookup, typo, expected):
    with pytest.raises(InputError) as error:
        lookup(typo)
    assert expected in str(error.value)
    assert "\n" not in str(error.value)
