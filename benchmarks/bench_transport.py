"""Speed of the Monte Carlo light transport (prints figures; asserts nothing).

Photons per second on 1 and 2 threads for three media (issue 18):

- skin: a skin-like 3-layer stack near 1470 nm (epidermis 100 um, dermis
  1.2 mm, semi-infinite subcutis; indices 1.37/1.40/1.44 in air). The optical
  properties are round illustrative values of the order of water-dominated
  absorption at 1470 nm (~20/cm at 70 % water) and skin scattering, not a
  cited tissue library (that is the tissue-optics part of issue 18).
- B: the van de Hulst slab, n = 1, mua = 10/cm, mus = 90/cm, g = 0.75,
  d = 0.2 mm (Rd 0.09739 by adding-doubling).
- D: semi-infinite, n = 1.4 in air, mua = 20/cm, mus = 150/cm, g = 0.9.

Issue 18 quotes MCML 1.2.2 (C, gcc -O3) at 3.9 M photons/s on B and 251 k
photons/s on D on one core of its machine kind; the ratios below are against
those figures, measured on another machine, so they are indicative only.
"""

import time

import numpy as np

from dermalase.physics.transport.monte_carlo import transport

MEDIA = {
    "skin 3-layer (1470 nm-like)": (
        [1.37, 1.40, 1.44], [2.0e3, 1.8e3, 0.5e3], [2.0e4, 1.5e4, 1.0e4],
        [0.8, 0.9, 0.85], [100e-6, 1.2e-3, np.inf], 1.0, 200_000, None,
    ),
    "B van de Hulst slab": ([1.0], [1e3], [9e3], [0.75], [2e-4], 1.0, 2_000_000, 3.9e6),
    "D semi-infinite dermis": ([1.4], [2e3], [1.5e4], [0.9], [np.inf], 1.0, 200_000, 251e3),
}  # fmt: skip


def main():
    start = time.perf_counter()
    transport([1.0], [1e3], [9e3], [0.75], [2e-4], photons=100)
    print(f"first call (numba load/compile): {time.perf_counter() - start:.2f} s")
    for name, (n, mua, mus, g, d, n_above, photons, c_speed) in MEDIA.items():
        speeds = {}
        for threads in (1, 2):
            best = np.inf
            for _ in range(3):
                start = time.perf_counter()
                out = transport(n, mua, mus, g, d, n_above=n_above, photons=photons,
                                seed=1, threads=threads)  # fmt: skip
                best = min(best, time.perf_counter() - start)
            speeds[threads] = photons / best
        ratio = f", vs MCML C 1 core {speeds[1] / c_speed:.2f}x" if c_speed else ""
        print(
            f"{name}: Rd = {out.diffuse_reflectance:.5f} +- {out.diffuse_reflectance_stderr:.5f},"
            f" {speeds[1] / 1e3:.0f} k photons/s on 1 thread, {speeds[2] / 1e3:.0f} k on 2"
            f" ({speeds[2] / speeds[1]:.2f}x){ratio}"
        )


if __name__ == "__main__":
    main()
