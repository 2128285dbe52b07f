"""Tests of the hazard distances: the defining equality, zero below the MPE, limits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dermalase.safety.hazard_distance import (
    beam_exposure,
    diffuse_hazard_distance,
    ocular_hazard_distance,
)


@pytest.mark.parametrize(
    ("energy", "limit", "diameter", "divergence"),
    [(0.04, 1.33, 120e-6, 0.12), (1.4, 23.6, 2.25e-3, 0.08), (0.01, 100.0, 7e-3, 2e-3)],
)
def test_exposure_at_the_nohd_equals_the_mpe(energy, limit, diameter, divergence):
    """The NOHD is defined by H(NOHD) = MPE: check it through the beam's spread."""
    distance = ocular_hazard_distance(energy, limit, diameter, divergence)
    assert distance > 0
    at_nohd = beam_exposure(energy, diameter + distance * divergence)
    assert at_nohd == pytest.approx(limit, rel=1e-12)
    assert beam_exposure(energy, diameter + 1.01 * distance * divergence) < limit


def test_zero_when_the_aperture_exposure_is_below_the_mpe():
    energy = 0.9 * 100.0 * math.pi * (3e-3) ** 2 / 4  # 90 % of the MPE over a 3 mm beam
    assert ocular_hazard_distance(energy, 100.0, 3e-3, 0.05) == 0.0
    # a narrow beam averaged over the 3.5 mm limiting aperture is within the MPE too
    energy = 0.9 * 100.0 * math.pi * (3.5e-3) ** 2 / 4
    assert ocular_hazard_distance(energy, 100.0, 120e-6, 0.1, limiting_aperture=3.5e-3) == 0.0
    assert ocular_hazard_distance(energy, 100.0, 120e-6, 0.1) > 0.0


def test_nohd_grows_with_energy_and_falls_with_divergence():
    energies = np.geomspace(1e-3, 10.0, 30)
    distances = [ocular_hazard_distance(q, 10.0, 1e-3, 0.05) for q in energies]
    assert np.all(np.diff(distances) > 0)
    assert ocular_hazard_distance(1.0, 10.0, 1e-3, 0.1) < ocular_hazard_distance(
        1.0, 10.0, 1e-3, 0.05
    )


def test_diffuse_reflection_inverse_square():
    """A Lambertian spot of reflectance ρ gives ρ Q cos θ / (π r²) at the eye."""
    energy, limit, reflectance = 0.04, 1.33, 0.1
    distance = diffuse_hazard_distance(energy, limit, 120e-6, reflectance)
    assert reflectance * energy / (math.pi * distance**2) == pytest.approx(limit)
    oblique = diffuse_hazard_distance(energy, limit, 120e-6, reflectance, math.radians(60))
    assert oblique == pytest.approx(distance * math.sqrt(0.5))


def test_diffuse_zero_when_the_reflected_exposure_is_below_the_mpe():
    energy = 1e-3
    spot = 3e-3
    on_skin = beam_exposure(energy, spot)
    assert diffuse_hazard_distance(energy, 1.01 * 0.1 * on_skin, spot, 0.1) == 0.0
    assert diffuse_hazard_distance(energy, 0.99 * 0.1 * on_skin, spot, 0.1) > 0.0


def test_divergence_must_be_positive():
    with pytest.raises(ValueError, match="divergence"):
        ocular_hazard_distance(1.0, 10.0, 1e-3, 0.0)


@pytest.mark.parametrize(
    ("wavelength_nm", "power", "diameter", "divergence"),
    [(10600, 30.0, 7e-3, 2e-3), (2940, 5.0, 3e-3, 0.07), (1927, 10.0, 5e-3, 0.01)],
)
def test_cw_nohd_agrees_with_lasercalc(wavelength_nm, power, diameter, divergence):
    """A continuous beam over 100 s, where lasercalc applies: the same NOHD."""
    lasercalc = pytest.importorskip("lasercalc")
    from lasercalc.hazards import nohd

    from dermalase.safety.exposure_limits import mpe_irradiance

    source = lasercalc.LaserSource(
        wavelength_nm=wavelength_nm,
        power_w=power,
        beam_diameter_m=diameter,
        divergence_rad=divergence,
    )
    theirs = nohd(source, 100.0).nohd_m
    ours = ocular_hazard_distance(
        power, mpe_irradiance(wavelength_nm * 1e-9, 100.0), diameter, divergence
    )
    assert ours == pytest.approx(theirs, rel=1e-9)
