"""Speed of the non-ablative microbeam model and its dosimetry (prints figures; asserts nothing).

A microbeam costs one Monte Carlo run (cached per wavelength, skin and beam)
and one column solve. The figures: a cold call (photons traced), a warm call
(the run recalled from the cache: the solve alone), and a dosimetry search for
a 300 um zone on the 1550 nm device.

Run: ``python benchmarks/bench_nonablative.py``.
"""

import time

from dermalase.devices import load_device
from dermalase.dosimetry import dose
from dermalase.forward.nonablative import simulate_microbeam
from dermalase.physics.transport import fixed_deposition
from dermalase.prescription import Prescription
from dermalase.tissue import skin_model


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def main() -> None:
    cheek = skin_model("cheek")
    simulate_microbeam(1550e-9, 10e-3, 140e-6, cheek, 3e-3, photons=1000)  # numba load
    for wavelength, energy, spot in ((1550e-9, 10e-3, 140e-6), (1470e-9, 5e-3, 150e-6)):
        for photons in (50_000, fixed_deposition.PHOTONS):
            fixed_deposition._traced.cache_clear()

            def run(w=wavelength, e=energy, s=spot, p=photons):
                return simulate_microbeam(w, e, s, cheek, 3e-3, photons=p)

            effect, cold = timed(run)
            _, warm = timed(run)
            print(
                f"{wavelength * 1e9:.0f} nm {energy * 1e3:g} mJ {spot * 1e6:.0f} um, "
                f"{photons} photons: cold {cold:.2f} s, warm {warm:.2f} s; zone "
                f"{effect.total_depth * 1e6:.0f} x {effect.mtz_diameter * 1e6:.0f} um"
            )
    device = load_device("fractional_1550")
    prescription = Prescription(
        area="cheek",
        modality="fractional",
        wavelength=device.wavelength,
        ablation_depth=0.0,
        coagulation_depth=300e-6,
        coverage=0.2,  # the device lays 19.4 % with the ~143 um zones of that depth
    )
    fixed_deposition._traced.cache_clear()
    result, seconds = timed(lambda: dose(prescription, device))
    print(
        f"dose 300 um on fractional_1550: {seconds:.1f} s -> "
        f"{result.settings.energy * 1e3:.2f} mJ, {result.coagulation_depth * 1e6:.0f} um"
    )


if __name__ == "__main__":
    main()
