"""Tests of the eyewear optical density."""

from __future__ import annotations

import numpy as np
import pytest

from dermalase.safety.eyewear import optical_density


def test_each_decade_is_one_od():
    assert optical_density([1e3, 1e4, 1e5], 10.0) == pytest.approx([2.0, 3.0, 4.0])


def test_monotone_in_power_and_zero_below_the_mpe():
    exposures = np.geomspace(1.0, 1e7, 50)
    densities = optical_density(exposures, 100.0)
    assert np.all(np.diff(densities) >= 0)
    assert np.all(densities[exposures <= 100.0] == 0.0)
    assert np.all(densities[exposures > 100.0] > 0.0)


def test_attenuated_exposure_meets_the_mpe():
    exposure, limit = 3.7e5, 23.6
    assert exposure * 10 ** -optical_density(exposure, limit) == pytest.approx(limit)
