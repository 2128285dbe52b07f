"""Speed and memory of a full-face fractional pass: layout, heat-aware order, heat check.

Settings: the built-in full-face template (about 284 cm^2), MTZ 120 um, random
(jittered hexagonal) lattice, coverage chosen for the spot count (20 % gives about
500,000 MTZ, ~1770 MTZ/cm^2), 300 Hz, 1 m/s mirrors, 12 mm tiles, 1 s per move,
5 mJ residual heat per MTZ, surface source, default window and horizon. The
heat-aware order scores the raster order and three interleaved candidates, each
with the full timing and heating models.

Run: python benchmarks/bench_scanner.py   (prints, asserts nothing)
"""

from __future__ import annotations

import os
import resource
import time
import tracemalloc

from dermalase.scanner.plan import scan_area

SPOT_DIAMETER = 120e-6
# coverage -> about 50k, 100k, 250k, 500k, 1M MTZ on the full face
COVERAGES = (0.02, 0.04, 0.10, 0.20, 0.40)


def run(coverage: float) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    plan = scan_area(
        "full-face",
        SPOT_DIAMETER,
        "fractional",
        coverage=coverage,
        lattice="random",
        order="heat-aware",
        repetition_rate=300.0,
        scanner_speed=1.0,
        tile_size=12e-3,
        move_time=1.0,
        heat_per_spot=5e-3,
    )
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    summary = plan.to_dict()
    print(
        f"{plan.spots:>9,d} spots  {elapsed:6.2f} s  {elapsed / plan.spots * 1e6:5.2f} us/spot  "
        f"peak traced {peak / 2**20:7.1f} MiB  "
        f"max rise {summary['max_bulk_temperature_rise_c']} K  "
        f"min spacing {summary['min_spacing_within_window_mm']} mm  "
        f"{summary['treatment_minutes']} min"
    )


def main() -> None:
    print(f"cores: {os.cpu_count()}")
    start = time.perf_counter()
    scan_area(
        "glabella",
        SPOT_DIAMETER,
        "fractional",
        coverage=0.05,
        repetition_rate=300.0,
        heat_per_spot=5e-3,
    )
    print(f"warm-up (numba compile or cache load): {time.perf_counter() - start:.2f} s")
    for coverage in COVERAGES:
        run(coverage)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"process peak resident memory: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
