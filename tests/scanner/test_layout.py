import pytest

from dermalase.exceptions import InputError
from dermalase.scanner.areas import template
from dermalase.scanner.layout import lay_zones
from dermalase.scanner.pattern import COVERAGE_TOLERANCE

OPTIONS = {
    "lattice": None,
    "passes": 1,
    "pass_offset": 0.5,
    "min_spacing": None,
    "seed": 0,
    "edge_tolerance": 0.0,
    "profile": "top-hat",
}


@pytest.mark.parametrize("coverage", [0.05, 0.20])
def test_fractional_layout_reaches_the_coverage_asked_for(coverage):
    layout = lay_zones(template("glabella"), 120e-6, "fractional", coverage, None, **OPTIONS)
    assert abs(layout.covered_fraction - coverage) <= COVERAGE_TOLERANCE
    assert layout.fluence_map is None


def test_full_field_tiling_covers_the_area_and_maps_its_fluence():
    layout = lay_zones(template("glabella"), 3e-3, "full_field", None, 0.1, **OPTIONS)
    # an overlapping hexagonal tiling leaves no gap inside, and overlap raises
    # the local fluence above one spot's somewhere
    assert layout.fluence_map.interior_gap_fraction == 0.0
    assert layout.fluence_map.max_factor > 1.0


@pytest.mark.parametrize(
    ("modality", "coverage", "overlap"),
    [("full_field", 0.1, None), ("full_field", 0.1, 0.1), ("fractional", None, None)],
)
def test_each_modality_takes_its_own_density(modality, coverage, overlap):
    with pytest.raises(InputError):
        lay_zones(template("glabella"), 120e-6, modality, coverage, overlap, **OPTIONS)
