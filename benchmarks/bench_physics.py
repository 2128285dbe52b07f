"""Speed of the full-field physics core (prints figures; asserts nothing).

Targets (issue 2): one full-field pulse (ablation, relaxation to 100 ms,
damage) <= 50 ms after warm-up on one core; a 3-pass Er:YAG simulation with a
coagulation train <= 250 ms.
"""

import os
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

from dermalase.forward.full_field import simulate
from dermalase.laser import LaserSettings
from dermalase.tissue import skin_model


def best_of(function, repeats=7):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), sorted(times)[len(times) // 2]


def main():
    cheek = skin_model("cheek")
    cases = {
        "Er:YAG 1 pulse 10 J/cm2 300 us, relax 100 ms": LaserSettings(2.94e-6, 10e4, 300e-6),
        "CO2 1 pulse 7 J/cm2 0.8 ms, relax 100 ms": LaserSettings(10.6e-6, 7e4, 0.8e-3),
        "Er:YAG 3 passes + coagulation train (6 x 1.5 J/cm2)": LaserSettings(
            2.94e-6, 10e4, 300e-6, passes=3, coagulation_fluence=1.5e4, coagulation_pulses=6
        ),
    }
    start = time.perf_counter()
    simulate(cases[next(iter(cases))], cheek)
    print(f"first call (numba load/compile): {1e3 * (time.perf_counter() - start):.0f} ms")
    for name, settings in cases.items():
        best, median = best_of(lambda s=settings: simulate(s, cheek))
        print(f"{name}: best {1e3 * best:.1f} ms, median {1e3 * median:.1f} ms")


if __name__ == "__main__":
    main()
