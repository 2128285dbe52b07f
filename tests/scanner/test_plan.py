import json

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.scanner.areas import template
from dermalase.scanner.figures import plot_fluence_map, plot_spots
from dermalase.scanner.pattern import fluence_map, full_field_lattice
from dermalase.scanner.plan import scan_area

KEYS = {
    "area_cm2",
    "spots",
    "passes",
    "coverage_percent",
    "fluence_min_factor",
    "fluence_max_factor",
    "firing_seconds",
    "treatment_minutes",
    "min_spacing_within_window_mm",
    "max_bulk_temperature_rise_c",
    "order",
}


def test_plan_wires_the_modules_and_serialises():
    plan = scan_area(
        "cheek",
        300e-6,
        "fractional",
        coverage=0.1,
        passes=2,
        repetition_rate=300.0,
        heat_per_spot=5e-3,
    )
    summary = plan.to_dict()
    assert set(summary) == KEYS
    json.dumps(summary)
    assert summary["passes"] == 2 and summary["spots"] == plan.x.size
    assert np.all(np.diff(plan.t) > 0)
    assert np.all(np.diff(plan.pass_index) >= 0)  # passes one after another


def test_full_field_plan_reports_fluence_factors():
    plan = scan_area(
        "chin", 3e-3, "full-field", overlap=0.2, repetition_rate=10.0, heat_per_spot=0.05
    )
    assert plan.fluence_min_factor >= 1.0
    assert plan.fluence_max_factor >= 2.0


def test_modality_and_arguments_must_match():
    with pytest.raises(InputError, match="overlap"):
        scan_area(
            "chin", 3e-3, "full-field", coverage=0.2, repetition_rate=10.0, heat_per_spot=0.05
        )
    with pytest.raises(InputError, match="modality"):
        scan_area("chin", 3e-3, "fractionl", coverage=0.2, repetition_rate=10.0, heat_per_spot=0.05)


def test_figures_are_written(tmp_path):
    area = template("perioral")
    plan = scan_area(
        area, 300e-6, "fractional", coverage=0.1, repetition_rate=300.0, heat_per_spot=5e-3
    )
    spots = plot_spots(area, plan.x, plan.y, plan.t, tmp_path / "spots.png")
    pattern = full_field_lattice(area, 3e-3, 0.2)
    raster = plot_fluence_map(area, fluence_map(pattern, area), tmp_path / "fluence.png")
    for path in (spots, raster):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
