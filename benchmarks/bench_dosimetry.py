"""Speed of the dosimetry inverse problem (prints figures; asserts nothing).

Target (issue 4): one prescription solved <= 100 ms warm. "Warm" means the
numba kernels are loaded and, for fractional work, the column response table
is on disk; each solve starts with an empty forward-model cache, so every
forward simulation it needs is run again.
"""

import os
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

from dermalase.devices import load_device
from dermalase.dosimetry import dose
from dermalase.prescription import Prescription


def best_of(function, repeats=5):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), sorted(times)[len(times) // 2]


CASES = {
    "Er:YAG full field 50 um, cheek": (
        "tunable_er_yag",
        Prescription("cheek", "full_field", 2940e-9, 50e-6),
    ),
    "Er:YAG full field 150 um, forehead": (
        "tunable_er_yag",
        Prescription("forehead", "full_field", 2940e-9, 150e-6),
    ),
    "Er:YAG 50 um + 40 um coagulation train, cheek": (
        "tunable_er_yag",
        Prescription("cheek", "full_field", 2940e-9, 50e-6, 40e-6),
    ),
    "CO2 full field 80 um, cheek": (
        "pulsed_co2",
        Prescription("cheek", "full_field", 10600e-9, 80e-6),
    ),
    "CO2 fractional 600 um at 15 %, cheek": (
        "fractional_co2",
        Prescription("cheek", "fractional", 10600e-9, 600e-6, coverage=0.15),
    ),
    "Er:YAG fractional 800 um at 16 %, cheek": (
        "fractional_er_yag",
        Prescription("cheek", "fractional", 2940e-9, 800e-6, coverage=0.16),
    ),
}


def main():
    start = time.perf_counter()
    dose(CASES["Er:YAG full field 50 um, cheek"][1], load_device("tunable_er_yag"))
    print(f"first call (numba load): {1e3 * (time.perf_counter() - start):.0f} ms")
    for name, (device_name, prescription) in CASES.items():
        device = load_device(device_name)
        result = dose(prescription, device)  # warm-up: table on disk
        best, median = best_of(lambda p=prescription, d=device: dose(p, d))
        print(
            f"{name:48s} best {1e3 * best:7.1f} ms  median {1e3 * median:7.1f} ms  "
            f"-> {result.ablation_depth * 1e6:.0f} um ablation, "
            f"{result.coagulation_depth * 1e6:.0f} um coagulation, "
            f"{result.coverage * 100:.1f} % coverage"
        )


if __name__ == "__main__":
    main()
