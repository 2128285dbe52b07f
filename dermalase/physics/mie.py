"""Light scattering by a homogeneous sphere (Lorenz-Mie theory).

The series of Bohren & Huffman (1983, chapter 4 and appendix A, the BHMIE
algorithm): the logarithmic derivative of the Riccati-Bessel function of the
inner field by downward recurrence, the outer Riccati-Bessel functions by
upward recurrence, the coefficients ``a_n`` and ``b_n`` summed to
``x + 4 x^(1/3) + 2`` terms (Wiscombe's criterion). It serves the droplets
that ablation ejects from a crater (:mod:`dermalase.physics.ablation`).
"""

from __future__ import annotations

import math

import numpy as np

from dermalase.citations import Citation, register

BOHREN_HUFFMAN_1983 = register(
    Citation(
        key="BohrenHuffman1983",
        status="peer-reviewed",
        authors="Bohren CF, Huffman DR",
        title="Absorption and Scattering of Light by Small Particles",
        venue="Wiley, New York",
        year=1983,
        doi="10.1002/9783527618156",
        note="Lorenz-Mie series of a sphere (chapter 4) and the BHMIE program (appendix A).",
    )
)


def sphere_efficiencies(
    refractive_index: complex, size_parameter: float
) -> tuple[float, float, float]:
    """Extinction and scattering efficiencies and asymmetry parameter of a sphere [-].

    Parameters
    ----------
    refractive_index : complex
        Refractive index of the sphere relative to its surroundings,
        ``n + i k`` with ``k >= 0`` (absorbing) [-].
    size_parameter : float
        ``x = 2 pi r / lambda`` for a sphere of radius r at the wavelength
        lambda in the surroundings [-], ``0 < x <= 1e4``.

    Returns
    -------
    (float, float, float)
        ``Q_ext``, ``Q_sca`` (cross sections over ``pi r^2``) and the
        asymmetry parameter ``g``, the mean cosine of the scattering angle
        [-].

    Examples
    --------
    Bohren & Huffman's worked example (m = 1.55, x = 5.213): a non-absorbing
    sphere scatters all it intercepts, about three times its cross section.

    >>> q_ext, q_sca, g = sphere_efficiencies(1.55 + 0j, 5.213)
    >>> round(q_ext, 3), round(q_sca, 3), round(g, 2)
    (3.105, 3.105, 0.63)
    """
    m = complex(refractive_index)
    x = float(size_parameter)
    if not (0.0 < x <= 1e4) or m.imag < 0.0 or m.real <= 0.0:
        raise ValueError(f"size parameter {x} or refractive index {m} outside the series' range")
    n_stop = int(x + 4.05 * x ** (1.0 / 3.0) + 2.0)
    y = m * x
    n_start = int(max(n_stop, abs(y))) + 15
    # logarithmic derivative D_n(mx), downward recurrence (stable)
    d = np.zeros(n_start + 1, dtype=complex)
    for n in range(n_start, 0, -1):
        d[n - 1] = n / y - 1.0 / (d[n] + n / y)
    psi_prev, psi_curr = math.cos(x), math.sin(x)
    chi_prev, chi_curr = -math.sin(x), math.cos(x)
    xi_curr = complex(psi_curr, -chi_curr)
    q_sca = q_ext = g_sum = 0.0
    a_prev = b_prev = 0j
    for n in range(1, n_stop + 1):
        psi = (2 * n - 1) * psi_curr / x - psi_prev
        chi = (2 * n - 1) * chi_curr / x - chi_prev
        xi = complex(psi, -chi)
        da = d[n] / m + n / x
        db = d[n] * m + n / x
        a = (da * psi - psi_curr) / (da * xi - xi_curr)
        b = (db * psi - psi_curr) / (db * xi - xi_curr)
        q_sca += (2 * n + 1) * (abs(a) ** 2 + abs(b) ** 2)
        q_ext += (2 * n + 1) * (a.real + b.real)
        g_sum += (2 * n + 1) / (n * (n + 1)) * (a * b.conjugate()).real
        if n > 1:
            g_sum += (n - 1) * (n + 1) / n * (a_prev * a.conjugate() + b_prev * b.conjugate()).real
        a_prev, b_prev = a, b
        psi_prev, psi_curr = psi_curr, psi
        chi_prev, chi_curr = chi_curr, chi
        xi_curr = complex(psi_curr, -chi_curr)
    g = 2.0 * g_sum / q_sca if q_sca > 0.0 else 0.0
    return float(2.0 / x**2 * q_ext), float(2.0 / x**2 * q_sca), float(g)
