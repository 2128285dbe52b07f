"""Write ``adding_doubling_grid.toml``: adding-doubling references for the Monte Carlo tests.

Run from the repository root with the test extra installed::

    python tests/data/make_adding_doubling_grid.py

For each slab of the grid (albedo x optical thickness x anisotropy x index,
in air on both sides) Prahl's adding-doubling (iadpython) gives, for normal
collimated incidence, the total reflectance UR1 (specular included) and the
total transmittance UT1 (unscattered included), and for diffuse incidence
URU and UTU. It is computed with 16, 24 and 32
quadrature points: the 24-point value is the reference, and the largest
difference among the three is its uncertainty. A case whose three values
spread by more than 2e-3 is written with ``converged = false`` and left out of
the tests (some settings converge slowly or not at all).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import iadpython

ALBEDO = (0.3, 0.9, 0.99)
OPTICAL_THICKNESS = (0.5, 2.0, 10.0)
ANISOTROPY = (0.0, 0.5, 0.9)
INDEX = (1.0, 1.4)
POINTS = (16, 24, 32)
CONVERGED = 2e-3


def main() -> None:
    lines = [
        "# Adding-doubling reflectance and transmittance of single slabs in air,",
        "# normal collimated and diffuse incidence: the grid that tests/physics/transport/",
        "# test_adding_doubling.py checks the Monte Carlo engine against.",
        "# Written by tests/data/make_adding_doubling_grid.py with iadpython "
        f"{iadpython.__version__}",
        "# (Prahl SA, adding-doubling; iad.Sample(a, b, g, n=n, quad_pts=q).rt()).",
        "# total_reflectance is UR1 (specular included), total_transmittance UT1",
        "# (unscattered included); diffuse_incidence_* are URU and UTU, the same for",
        "# Lambertian (diffuse) incidence. All at 24 quadrature points; uncertainty is",
        "# the largest spread among 16, 24 and 32 points, over all four.",
        "# Computed values, not published tables.",
        "",
    ]
    for a, b, g, n in itertools.product(ALBEDO, OPTICAL_THICKNESS, ANISOTROPY, INDEX):
        results = []
        for points in POINTS:
            sample = iadpython.Sample(a=a, b=b, g=g, n=n, n_above=1.0, n_below=1.0,
                                      quad_pts=points)  # fmt: skip
            results.append(tuple(float(value) for value in sample.rt()))
        reflectance, transmittance, reflectance_diffuse, transmittance_diffuse = results[1]
        spread = max(
            max(row[k] for row in results) - min(row[k] for row in results) for k in range(4)
        )
        lines += [
            "[[case]]",
            f"albedo = {a}",
            f"optical_thickness = {b}",
            f"g = {g}",
            f"n = {n}",
            f"total_reflectance = {reflectance:.6f}",
            f"total_transmittance = {transmittance:.6f}",
            f"diffuse_incidence_reflectance = {reflectance_diffuse:.6f}",
            f"diffuse_incidence_transmittance = {transmittance_diffuse:.6f}",
            f"uncertainty = {max(spread, 1e-6):.2e}",
            f"converged = {'true' if spread <= CONVERGED else 'false'}",
            "",
        ]
    target = Path(__file__).with_name("adding_doubling_grid.toml")
    target.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
