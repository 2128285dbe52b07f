"""Lorenz-Mie efficiencies of a sphere against published values and limits."""

import math

import numpy as np
import pytest

from dermalase.physics import ablation
from dermalase.physics.mie import sphere_efficiencies


def test_bohren_huffman_worked_example():
    # Bohren & Huffman (1983), appendix A: a sphere of index 1.55, radius
    # 0.525 um, at 0.6328 um in vacuum; their BHMIE prints Q_sca = Q_ext =
    # 3.10543. Five digits: the printed precision.
    x = 2.0 * math.pi * 0.525 / 0.6328
    q_ext, q_sca, g = sphere_efficiencies(1.55 + 0j, x)
    assert q_ext == pytest.approx(3.10543, abs=1e-5)
    assert q_sca == pytest.approx(q_ext, rel=1e-12)
    assert 0.0 < g < 1.0


@pytest.mark.parametrize("m", [1.33 + 0.01j, 1.5 + 0j, 1.18 + 0.07j])
def test_rayleigh_limit(m):
    # x << 1: Q_sca = 8/3 x^4 |(m^2-1)/(m^2+2)|^2, Q_abs = 4 x Im((m^2-1)/(m^2+2)),
    # symmetric scattering (van de Hulst 1957; Bohren & Huffman eq. 5.8)
    x = 1e-2
    q_ext, q_sca, g = sphere_efficiencies(m, x)
    a = (m * m - 1) / (m * m + 2)
    assert q_sca == pytest.approx(8.0 / 3.0 * x**4 * abs(a) ** 2, rel=1e-3)
    assert q_ext - q_sca == pytest.approx(4.0 * x * a.imag, rel=1e-3, abs=1e-12)
    assert abs(g) < 1e-3


@pytest.mark.parametrize("m", [1.33 + 0j, 1.33 + 0.1j])
def test_large_spheres_take_twice_their_cross_section(m):
    # extinction paradox: Q_ext -> 2 as x grows (diffraction doubles the
    # geometric shadow); the approach is ~x^(-2/3), under 1 % at x = 3000
    q_ext, _, _ = sphere_efficiencies(m, 3000.0)
    assert q_ext == pytest.approx(2.0, rel=0.01)


def test_absorption_takes_a_share_and_scattering_turns_forward_with_size():
    for x in (0.5, 2.0, 10.0):
        q_ext, q_sca, _ = sphere_efficiencies(1.3 + 0j, x)
        assert q_sca == pytest.approx(q_ext, rel=1e-10)
        q_ext, q_sca, _ = sphere_efficiencies(1.3 + 0.05j, x)
        assert 0.0 < q_sca < q_ext
    g = [sphere_efficiencies(1.3 + 0.05j, x)[2] for x in (0.3, 1.0, 3.0, 10.0)]
    assert np.all(np.diff(g) > 0)


def test_refuses_a_size_or_index_outside_the_series():
    with pytest.raises(ValueError):
        sphere_efficiencies(1.3 + 0j, 0.0)
    with pytest.raises(ValueError):
        sphere_efficiencies(1.3 - 0.1j, 1.0)


def test_ejecta_scatter_forward_at_the_erbium_line_and_nearly_isotropically_at_co2():
    # ~1 um droplets (kappa = 1.6e6 1/m) against 2.94 and 10.6 um
    erbium = ablation.ejecta_asymmetry(1.6e6, 0.27 * 1.2e6, 2.94e-6, 1.274)
    co2 = ablation.ejecta_asymmetry(1.6e6, 8.55e4, 10.6e-6, 1.179)
    assert 0.5 < erbium < 0.9
    assert 0.0 < co2 < 0.15
    assert ablation.ejecta_asymmetry(0.0, 8.55e4, 10.6e-6, 1.179) == 0.0
