"""Worked examples from laser-safety course notes, checked against the package.

Each example (tests/data/safety_worked_examples.toml) carries its source, its
inputs and its published answer; the tolerance is the answer's own rounding.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from dermalase.safety.exposure_limits import limiting_aperture, mpe_eye, mpe_irradiance
from dermalase.safety.eyewear import optical_density
from dermalase.safety.hazard_distance import beam_exposure

EXAMPLES = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "safety_worked_examples.toml").read_text()
)["example"]


def _computed(example: dict) -> float:
    kind = example["kind"]
    if kind == "irradiance":
        aperture = 0.0
        if "wavelength_nm" in example:
            aperture = limiting_aperture(example["wavelength_nm"] * 1e-9, example["duration_s"])
        return beam_exposure(example["power_w"], example["beam_diameter_m"], aperture)
    if kind == "optical_density_given_mpe":
        return optical_density(example["exposure"], example["mpe"])
    wavelength = example["wavelength_nm"] * 1e-9
    duration = example["duration_s"]
    if kind == "mpe_radiant_exposure":
        return mpe_eye(wavelength, duration)
    if kind == "mpe_irradiance":
        return mpe_irradiance(wavelength, duration)
    if kind == "optical_density":
        return optical_density(example["exposure"], mpe_irradiance(wavelength, duration))
    if kind == "edition_change":
        return mpe_eye(wavelength, duration) / example["earlier"]
    raise AssertionError(f"unknown kind {kind}")


@pytest.mark.parametrize("example", EXAMPLES, ids=[example["label"] for example in EXAMPLES])
def test_worked_example(example):
    expected = example.get("answer", example.get("ratio"))
    if example.get("absolute", False):
        assert _computed(example) == pytest.approx(expected, abs=example["tolerance"])
    else:
        assert _computed(example) == pytest.approx(expected, rel=example["tolerance"])


def test_examples_span_the_retinal_region_and_name_their_source():
    wavelengths = {example.get("wavelength_nm") for example in EXAMPLES}
    assert {488, 651, 1064} <= wavelengths
    assert len(EXAMPLES) >= 4
    assert all(example["label"].startswith("Source ") for example in EXAMPLES)
