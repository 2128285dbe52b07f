"""Monte Carlo against adding-doubling over a grid of slabs, and invariances.

References: ``tests/data/adding_doubling_grid.toml``, written by
``tests/data/make_adding_doubling_grid.py`` with iadpython at 16, 24 and 32
quadrature points (the 24-point value; its uncertainty is the spread of the
three; unconverged cases are marked and skipped).

Tolerance: 4 standard errors of the Monte Carlo estimate at the photon count
used (the engine's photon-to-photon ``sqrt((<x^2> - <x>^2) / N)``) plus the
reference's uncertainty. Four, not three, because the grid makes about a
hundred comparisons: at 4 sigma the chance that any one of them fails by
chance is about 0.6 % (two-sided 6e-5 each), at 3 sigma it would be ~25 %.
Seeds are fixed, so a run passes or fails the same way every time.
"""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from dermalase.physics.transport.monte_carlo import transport

GRID = tomllib.loads(
    (Path(__file__).parents[2] / "data" / "adding_doubling_grid.toml").read_text()
)["case"]
CONVERGED = [case for case in GRID if case["converged"]]
SIGMAS = 4.0
PHOTONS = 20_000
MU_T = 1e4  # total attenuation of every slab [1/m]; the thickness sets b


def _label(case):
    return f"a{case['albedo']}-b{case['optical_thickness']}-g{case['g']}-n{case['n']}"


def _slab(case, **kwargs):
    mua = MU_T * (1.0 - case["albedo"])
    mus = MU_T * case["albedo"]
    return transport(
        [case["n"]], [mua], [mus], [case["g"]], [case["optical_thickness"] / MU_T],
        **kwargs,
    )  # fmt: skip


def test_the_grid_is_wide_and_mostly_converged():
    assert len(GRID) == 54
    assert len(CONVERGED) >= 45
    assert {case["n"] for case in CONVERGED} == {1.0, 1.4}


@pytest.mark.parametrize("case", CONVERGED, ids=[_label(c) for c in CONVERGED])
def test_monte_carlo_matches_adding_doubling(case):
    out = _slab(case, photons=PHOTONS, seed=1818)
    reflectance = out.specular_reflectance + out.diffuse_reflectance
    tolerance = SIGMAS * out.diffuse_reflectance_stderr + case["uncertainty"]
    assert reflectance == pytest.approx(case["total_reflectance"], abs=tolerance)
    tolerance = SIGMAS * out.transmittance_stderr + case["uncertainty"]
    assert out.transmittance == pytest.approx(case["total_transmittance"], abs=tolerance)


@pytest.mark.parametrize("case", CONVERGED, ids=[_label(c) for c in CONVERGED])
def test_diffuse_incidence_matches_adding_doubling(case):
    out = _slab(case, photons=PHOTONS, seed=2929, beam="diffuse")
    reflectance = out.specular_reflectance + out.diffuse_reflectance
    # the specular share is random too (each ray its Fresnel share R <= 1):
    # its standard error is at most sqrt(E[R^2] / N) <= sqrt(R_sp / N)
    specular_error = np.sqrt(out.specular_reflectance / PHOTONS)
    tolerance = SIGMAS * (out.diffuse_reflectance_stderr + specular_error) + case["uncertainty"]
    assert reflectance == pytest.approx(case["diffuse_incidence_reflectance"], abs=tolerance)
    tolerance = SIGMAS * out.transmittance_stderr + case["uncertainty"]
    assert out.transmittance == pytest.approx(
        case["diffuse_incidence_transmittance"], abs=tolerance
    )


def test_diffuse_specular_is_the_hemispherical_fresnel_reflectance():
    # Lambertian irradiance on a bare n = 1.4 surface: 2 int_0^1 R(mu) mu dmu,
    # with R the unpolarised Fresnel reflectance written out here on its own
    mu = np.linspace(1e-6, 1.0, 200_001)
    sin_t = np.sqrt(1.0 - mu**2) / 1.4
    cos_t = np.sqrt(1.0 - sin_t**2)
    r_s = ((mu - 1.4 * cos_t) / (mu + 1.4 * cos_t)) ** 2
    r_p = ((cos_t - 1.4 * mu) / (cos_t + 1.4 * mu)) ** 2
    expected = np.trapezoid((r_s + r_p) * mu, mu)
    out = transport([1.4], [1e3], [0.0], [0.0], [np.inf], photons=PHOTONS, seed=3, beam="diffuse")
    assert out.specular_reflectance == pytest.approx(
        expected, abs=SIGMAS * np.sqrt(expected / PHOTONS)
    )


def test_reciprocity_of_the_transmittance_for_diffuse_light():
    # reciprocity: between identical media, a stack transmits diffuse light
    # equally whichever side it enters; for normal collimated light it does
    # not, which shows the check has teeth
    top = (1.4, 3e2, 1.2e4, 0.8, 3e-4)
    bottom = (1.37, 2e3, 4e3, 0.3, 2e-4)

    def trace(first, second, beam):
        layers = list(zip(first, second, strict=True))
        return transport(*layers, photons=4 * PHOTONS, seed=21, beam=beam)

    forward, backward = trace(top, bottom, "diffuse"), trace(bottom, top, "diffuse")
    error = np.hypot(forward.transmittance_stderr, backward.transmittance_stderr)
    assert forward.transmittance == pytest.approx(backward.transmittance, abs=SIGMAS * error)
    forward, backward = trace(top, bottom, "pencil"), trace(bottom, top, "pencil")
    error = np.hypot(forward.transmittance_stderr, backward.transmittance_stderr)
    assert abs(forward.transmittance - backward.transmittance) > 6 * error


def test_stored_references_are_what_iadpython_computes():
    iadpython = pytest.importorskip("iadpython")
    for case in (CONVERGED[0], CONVERGED[len(CONVERGED) // 2], CONVERGED[-1]):
        sample = iadpython.Sample(
            a=case["albedo"], b=case["optical_thickness"], g=case["g"], n=case["n"],
            n_above=1.0, n_below=1.0, quad_pts=24,
        )  # fmt: skip
        ur1, ut1, uru, utu = sample.rt()
        assert float(ur1) == pytest.approx(case["total_reflectance"], abs=1e-6)
        assert float(ut1) == pytest.approx(case["total_transmittance"], abs=1e-6)
        assert float(uru) == pytest.approx(case["diffuse_incidence_reflectance"], abs=1e-6)
        assert float(utu) == pytest.approx(case["diffuse_incidence_transmittance"], abs=1e-6)


def test_splitting_a_slab_into_matched_sublayers_changes_nothing():
    # a boundary without an index step must be invisible: the step is carried
    # over it and no random number is drawn there
    one = transport([1.4], [1e3], [9e3], [0.8], [4e-4], photons=PHOTONS, seed=5)
    four = transport([1.4] * 4, [1e3] * 4, [9e3] * 4, [0.8] * 4, [1e-4] * 4,
                     photons=PHOTONS, seed=5)  # fmt: skip
    for name in ("diffuse_reflectance", "transmittance", "absorbed"):
        error = getattr(one, f"{name}_stderr")
        assert getattr(four, name) == pytest.approx(getattr(one, name), abs=1e-9 + 1e-3 * error)


_THREADS_SCRIPT = """
import hashlib, json
import numpy as np
from dermalase.physics.transport.monte_carlo import transport
args = ([1.37, 1.4, 1.44], [2e3, 1.8e3, 5e2], [2e4, 1.5e4, 1e4], [0.8, 0.9, 0.85],
        [1e-4, 1.2e-3, np.inf])
out = {}
for threads in (1, 2, 4):
    r = transport(*args, photons=20_000, seed=11, threads=threads)
    out[threads] = [r.diffuse_reflectance, r.transmittance, r.absorbed,
                    hashlib.sha256(r.absorbed_rz.tobytes()).hexdigest()]
print(json.dumps(out))
"""


def test_same_seed_same_bits_on_one_two_and_four_threads():
    # numba may run more threads than cores; NUMBA_NUM_THREADS is read at import,
    # so the run happens in a fresh interpreter that allows four
    env = {**os.environ, "NUMBA_NUM_THREADS": "4"}
    done = subprocess.run(
        [sys.executable, "-c", _THREADS_SCRIPT], env=env, capture_output=True, text=True,
        timeout=300, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout)
    assert result["1"] == result["2"] == result["4"]


def test_per_layer_standard_error_matches_the_spread_of_independent_runs():
    # the per-layer error comes from batch means over the 64 accumulators; it must
    # match the scatter of the estimate over independent seeds. With 12 seeds the
    # sample standard deviation is itself uncertain by ~1/sqrt(2*11) = 21 %, so
    # the ratio must lie within about 2 of those sigmas of 1
    args = ([1.4, 1.4], [2e3, 5e2], [1.5e4, 1e4], [0.9, 0.8], [2e-4, 2e-3])
    runs = [transport(*args, photons=6_000, seed=seed) for seed in range(12)]
    per_layer = np.array([run.absorbed_per_layer for run in runs])
    reported = np.mean([run.absorbed_per_layer_stderr for run in runs], axis=0)
    ratio = per_layer.std(axis=0, ddof=1) / reported
    assert np.all((ratio > 0.55) & (ratio < 1.45)), ratio
