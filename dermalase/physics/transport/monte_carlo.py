"""Monte Carlo photon transport in layered tissue (MCML class).

Photon packets carry a weight through a stack of plane-parallel layers, each
with its refractive index ``n``, absorption coefficient ``mu_a``, scattering
coefficient ``mu_s``, anisotropy ``g`` and thickness (the last one may be
semi-infinite). The algorithm is that of MCML [1]_:

- the packet enters at normal incidence with weight ``1 - R_sp``, where
  ``R_sp = ((n_0 - n_1) / (n_0 + n_1))^2`` is the specular reflectance of the
  top surface, reported on its own
  (diffuse light instead enters at a Lambertian angle, ``cos(theta) =
  sqrt(xi)``, with weight ``1 - R(theta)``, the Fresnel share ``R(theta)``
  counted as its specular reflectance);
- a step ``s = -ln(xi) / mu_t`` (``mu_t = mu_a + mu_s``) is drawn in optical
  depth so that it carries over a layer boundary;
- at each interaction the packet deposits ``w mu_a / mu_t`` and scatters by
  Henyey-Greenstein [2]_: ``cos(theta) = (1 + g^2 - ((1 - g^2) / (1 - g +
  2 g xi))^2) / (2 g)``;
- at every boundary with an index mismatch the packet is reflected with the
  unpolarised Fresnel reflectance or refracted by Snell's law (total internal
  reflection included); a packet that leaves through the top is diffuse
  reflectance, through the bottom transmittance;
- below a weight of 1e-4 Russian roulette keeps the packet with chance 1/10 at
  ten times its weight (unbiased in the mean).

Random numbers are a xorshift64* stream per batch of photons, its state set
by splitmix64 from ``(seed, batch index)`` [3]_; batches are spread over a
fixed number of accumulators whose sums are added in a fixed order, so one
seed gives bit-identical results on any number of threads.

References
----------
.. [1] Wang L, Jacques SL, Zheng L (1995). MCML - Monte Carlo modeling of light
   transport in multi-layered tissues. Comput Methods Programs Biomed
   47:131-146. doi:10.1016/0169-2607(95)01640-F
.. [2] Henyey LG, Greenstein JL (1941). Diffuse radiation in the galaxy.
   Astrophys J 93:70-83. doi:10.1086/144246
.. [3] Vigna S (2016). An experimental exploration of Marsaglia's xorshift
   generators, scrambled. ACM Trans Math Softw 42:30. doi:10.1145/2845077
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numba
import numpy as np
from numba import njit, prange

from dermalase.physics.transport import Deposition, monte_carlo_gpu
from dermalase.physics.transport.beer_lambert import cell_absorptance

if TYPE_CHECKING:
    from dermalase.physics.heat import Grid

WEIGHT_THRESHOLD = 1e-4  # roulette below this packet weight [-] (MCML [1])
ROULETTE_CHANCE = 0.1  # survival chance in roulette [-] (MCML [1])
ACCUMULATORS = 64  # fixed number of partial sums (independent of threads)
BEAM_PROFILES = {"pencil": 0, "gaussian": 1, "top_hat": 2, "diffuse": 3}
CPU_BATCH_SIZE = 1000  # photons per random stream on the CPU
DEVICES = ("auto", "cpu", "gpu")

_MASK53 = 1.0 / 9007199254740992.0  # 2^-53


@njit(cache=True, inline="always")
def _splitmix64(x):
    z = x + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, inline="always")
def _uniform(state):
    """Next xorshift64* number in (0, 1); ``state`` is a 1-element uint64 array."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    r = x * np.uint64(0x2545F4914F6CDD1D)
    return (float(r >> np.uint64(11)) + 0.5) * _MASK53


@njit(cache=True, inline="always")
def _fresnel(n_incident, n_transmitted, cos_incident):
    """Unpolarised Fresnel reflectance and the cosine of the refracted ray."""
    if n_incident == n_transmitted:
        return 0.0, cos_incident
    if cos_incident > 1.0 - 1e-12:
        r = (n_transmitted - n_incident) / (n_transmitted + n_incident)
        return r * r, cos_incident
    if cos_incident < 1e-6:
        return 1.0, 0.0
    sin_incident = math.sqrt(1.0 - cos_incident * cos_incident)
    sin_transmitted = n_incident * sin_incident / n_transmitted
    if sin_transmitted >= 1.0:
        return 1.0, 0.0
    cos_transmitted = math.sqrt(1.0 - sin_transmitted * sin_transmitted)
    # r_s and r_p by the sum and difference of the two angles
    cos_sum = cos_incident * cos_transmitted - sin_incident * sin_transmitted
    cos_diff = cos_incident * cos_transmitted + sin_incident * sin_transmitted
    sin_sum = sin_incident * cos_transmitted + cos_incident * sin_transmitted
    sin_diff = sin_incident * cos_transmitted - cos_incident * sin_transmitted
    reflectance = (
        0.5
        * sin_diff
        * sin_diff
        * (cos_diff * cos_diff + cos_sum * cos_sum)
        / (sin_sum * sin_sum * cos_diff * cos_diff)
    )
    return min(reflectance, 1.0), cos_transmitted


@njit(cache=True, inline="always")
def _bin(value, width, count):
    k = int(value / width)
    return k if k < count else count - 1


def make_photon_tracer(compile_function, uniform, fresnel, bin_index, score2, score3):
    """Build the per-photon walk for one compilation target.

    The walk is written once and compiled for the CPU (numba ``njit``) and,
    where a CUDA GPU is used, as a CUDA device function
    (:mod:`~dermalase.physics.transport.monte_carlo_gpu`); only the random
    numbers, the Fresnel law, the binning and the way a tally is added
    differ in how they are compiled.

    Parameters
    ----------
    compile_function : callable
        Decorator that compiles a Python function for the target.
    uniform, fresnel, bin_index : compiled functions
        :func:`_uniform`, :func:`_fresnel`, :func:`_bin` for the target.
    score2, score3 : compiled functions
        ``score2(array, i, j, value)`` and ``score3(array, i, j, k, value)``
        add a tally to a 2D or 3D array (a plain ``+=`` on the CPU, an
        atomic fixed-point add on a GPU).

    Returns
    -------
    compiled function
        ``trace(state, beam, beam_radius, n, mua, mus, g, top, bottom, n_above,
        n_below, r_specular, dr, nr, dz, nz, slot, a_rz, a_z, rd_r, tt_r,
        a_layer, moments, row)`` walks one packet, scores A(r, z), A(z),
        Rd(r), Tt(r) in row ``slot``, the layer absorption and each roulette
        gain or loss (column 6 of ``moments``, as it happens, so that the sum
        is that of every event in turn) in row ``row``, and returns the
        packet's ``(Rd, Tt, A, specular reflectance of a diffuse ray)``.
    """

    def trace(
        state, beam, beam_radius, n, mua, mus, g, top, bottom, n_above, n_below,
        r_specular, dr, nr, dz, nz, slot, a_rz, a_z, rd_r, tt_r, a_layer, moments, row,
    ):  # fmt: skip
        layers = n.shape[0]
        w = 1.0 - r_specular
        specular = 0.0
        x = 0.0
        y = 0.0
        if beam == 1:
            x = beam_radius * math.sqrt(-0.5 * math.log(uniform(state)))
        elif beam == 2:
            x = beam_radius * math.sqrt(uniform(state))
        z = 0.0
        ux = 0.0
        uy = 0.0
        uz = 1.0
        if beam == 3:
            # Lambertian irradiance: cos(theta) = sqrt(xi) in the medium above;
            # the Fresnel share at this angle is specular reflectance
            cos_in = math.sqrt(uniform(state))
            phi = 2.0 * math.pi * uniform(state)
            reflectance, cos_t = fresnel(n_above, n[0], cos_in)
            w = 1.0 - reflectance
            specular = reflectance
            sin_t = math.sqrt(max(0.0, 1.0 - cos_t * cos_t))
            ux = sin_t * math.cos(phi)
            uy = sin_t * math.sin(phi)
            uz = cos_t
        layer = 0
        s_left = 0.0  # optical depth left of the current step [-]
        p_rd = 0.0
        p_tt = 0.0
        p_a = 0.0
        alive = w > 0.0  # a grazing diffuse ray may be wholly reflected
        while alive:
            mut = mua[layer] + mus[layer]
            if s_left == 0.0 and mut > 0.0:
                s_left = -math.log(uniform(state))
            if uz > 0.0:
                to_boundary = (bottom[layer] - z) / uz
            elif uz < 0.0:
                to_boundary = (top[layer] - z) / uz
            else:
                to_boundary = math.inf
            step = s_left / mut if mut > 0.0 else math.inf
            if step <= to_boundary:
                x += step * ux
                y += step * uy
                z += step * uz
                s_left = 0.0
                dw = w * mua[layer] / mut
                w -= dw
                p_a += dw
                ir = bin_index(math.sqrt(x * x + y * y), dr, nr)
                iz = bin_index(z, dz, nz)
                score3(a_rz, slot, ir, iz, dw)
                score2(a_z, slot, iz, dw)
                score2(a_layer, row, layer, dw)
                # Henyey-Greenstein deflection, uniform azimuth
                gl = g[layer]
                xi = uniform(state)
                if gl == 0.0:
                    ct = 2.0 * xi - 1.0
                else:
                    t = (1.0 - gl * gl) / (1.0 - gl + 2.0 * gl * xi)
                    ct = (1.0 + gl * gl - t * t) / (2.0 * gl)
                    ct = max(-1.0, min(1.0, ct))
                st = math.sqrt(1.0 - ct * ct)
                phi = 2.0 * math.pi * uniform(state)
                cp = math.cos(phi)
                sp = math.sin(phi)
                if abs(uz) > 0.99999:
                    ux = st * cp
                    uy = st * sp
                    uz = ct if uz > 0.0 else -ct
                else:
                    root = math.sqrt(1.0 - uz * uz)
                    nux = st * (ux * uz * cp - uy * sp) / root + ux * ct
                    nuy = st * (uy * uz * cp + ux * sp) / root + uy * ct
                    uz = -st * cp * root + uz * ct
                    ux = nux
                    uy = nuy
            else:
                x += to_boundary * ux
                y += to_boundary * uy
                if mut > 0.0:
                    s_left -= to_boundary * mut
                if uz > 0.0:
                    z = bottom[layer]
                    n_next = n_below if layer == layers - 1 else n[layer + 1]
                else:
                    z = top[layer]
                    n_next = n_above if layer == 0 else n[layer - 1]
                reflectance, cos_t = fresnel(n[layer], n_next, abs(uz))
                if reflectance > 0.0 and uniform(state) <= reflectance:
                    uz = -uz
                elif uz < 0.0 and layer == 0:
                    p_rd += w
                    score2(rd_r, slot, bin_index(math.sqrt(x * x + y * y), dr, nr), w)
                    alive = False
                elif uz > 0.0 and layer == layers - 1:
                    p_tt += w
                    score2(tt_r, slot, bin_index(math.sqrt(x * x + y * y), dr, nr), w)
                    alive = False
                else:
                    ratio = n[layer] / n_next
                    ux *= ratio
                    uy *= ratio
                    if uz > 0.0:
                        uz = cos_t
                        layer += 1
                    else:
                        uz = -cos_t
                        layer -= 1
                continue
            if alive and w < WEIGHT_THRESHOLD and w > 0.0:
                if uniform(state) <= ROULETTE_CHANCE:
                    score2(moments, row, 6, w * (1.0 / ROULETTE_CHANCE - 1.0))
                    w /= ROULETTE_CHANCE
                else:
                    score2(moments, row, 6, -w)
                    alive = False
            elif w <= 0.0:
                # nothing left to carry (a layer with no scattering absorbs
                # the whole packet at its first interaction)
                alive = False
        return p_rd, p_tt, p_a, specular

    return compile_function(trace)


@njit(cache=True, inline="always")
def _score2(array, i, j, value):
    array[i, j] += value


@njit(cache=True, inline="always")
def _score3(array, i, j, k, value):
    array[i, j, k] += value


@njit(cache=True, inline="always")
def stream_state(seed, batch):
    """Starting state of the xorshift64* stream of one batch of photons."""
    state = _splitmix64(
        _splitmix64(np.uint64(seed)) ^ np.uint64(batch) * np.uint64(0xD1B54A32D192ED03)
    )
    return state if state != 0 else np.uint64(1)


_trace_cpu = make_photon_tracer(
    njit(cache=False, inline="always"), _uniform, _fresnel, _bin, _score2, _score3
)


@njit(cache=True)
def _slot_order(slots):
    """Accumulators in bit-reversed order of their index (of 64), those below ``slots``.

    The first ``batches % slots`` accumulators walk one batch more than the
    rest; numba hands each thread an equal run of consecutive ``prange``
    iterations, so in index order the first thread would get all of them.
    Bit-reversed, each run of 64/2^k iterations holds every 2^k-th index, so
    the extra batches are shared between 2, 4, ... threads as evenly as
    they can be. Only the schedule changes: each accumulator sums the same
    batches in the same order whichever thread runs it.
    """
    order = np.empty(slots, np.int64)
    bits = 0
    while (1 << bits) < ACCUMULATORS:
        bits += 1
    k = 0
    for code in range(1 << bits):
        reversed_code = 0
        for b in range(bits):
            if code & (1 << b):
                reversed_code |= 1 << (bits - 1 - b)
        if reversed_code < slots:
            order[k] = reversed_code
            k += 1
    return order


@njit(cache=True, parallel=True)
def _transport_kernel(
    n, mua, mus, g, top, bottom, n_above, n_below,
    photons, batch_size, seed, beam, beam_radius,
    dr, nr, dz, nz,
):  # fmt: skip
    """Trace ``photons`` packets; return partial sums per accumulator."""
    layers = n.shape[0]
    batches = (photons + batch_size - 1) // batch_size
    slots = min(ACCUMULATORS, batches)
    a_rz = np.zeros((slots, nr, nz))
    a_z = np.zeros((slots, nz))
    a_layer = np.zeros((slots, layers))
    rd_r = np.zeros((slots, nr))
    tt_r = np.zeros((slots, nr))
    # per slot: sum and sum of squares of each photon's Rd, Tt, A; roulette gain;
    # specular reflectance of diffuse incidence
    moments = np.zeros((slots, 8))
    r_specular = ((n_above - n[0]) / (n_above + n[0])) ** 2
    order = _slot_order(slots)
    for k in prange(slots):
        slot = order[k]
        # thread-local sums, written back once (no false sharing in the loop)
        state = np.zeros(1, np.uint64)
        layer_sum = np.zeros((1, layers))
        moment = np.zeros((1, 8))
        for batch in range(slot, batches, slots):
            state[0] = stream_state(seed, batch)
            first = batch * batch_size
            last = min(first + batch_size, photons)
            for _ in range(first, last):
                p_rd, p_tt, p_a, specular = _trace_cpu(
                    state, beam, beam_radius, n, mua, mus, g, top, bottom, n_above, n_below,
                    r_specular, dr, nr, dz, nz, slot, a_rz, a_z, rd_r, tt_r, layer_sum, moment, 0,
                )  # fmt: skip
                moment[0, 0] += p_rd
                moment[0, 1] += p_rd * p_rd
                moment[0, 2] += p_tt
                moment[0, 3] += p_tt * p_tt
                moment[0, 4] += p_a
                moment[0, 5] += p_a * p_a
                moment[0, 7] += specular
        a_layer[slot, :] = layer_sum[0]
        moments[slot, :] = moment[0]
    return a_rz, a_z, a_layer, rd_r, tt_r, moments


@dataclass(frozen=True)
class LayeredTransport:
    """Where the light of a beam goes in a layered medium (per unit incident energy).

    Every quantity is a fraction of the incident energy, or a density of it.

    Attributes
    ----------
    specular_reflectance : float
        Reflected at the top surface before entering [-].
    diffuse_reflectance, transmittance, absorbed : float
        Left through the top after entering, left through the bottom
        (unscattered included), absorbed in the medium [-].
    diffuse_reflectance_stderr, transmittance_stderr, absorbed_stderr : float
        Standard errors of the three above from the photon-to-photon spread
        [-]: ``sqrt((<x^2> - <x>^2) / N)``.
    absorbed_per_layer : numpy.ndarray
        Absorbed in each layer [-].
    absorbed_per_layer_stderr : numpy.ndarray
        Standard error of each layer's absorption [-], by batch means over the
        fixed accumulators (each holds every 64th batch of photons):
        ``sqrt(sum_k n_k (m_k - m)^2 / ((K - 1) N))`` with ``m_k`` the mean
        per photon of accumulator ``k`` and ``n_k`` its photons; zero when
        there is a single accumulator.
    roulette_gain : float
        Net weight Russian roulette added (positive) or removed [-]; zero in
        the mean, so that ``R_sp + R_d + T_t + A = 1 + roulette_gain``
        exactly.
    radial_edges, depth_edges : numpy.ndarray
        Bin edges in radius and depth [m]; the last bin also holds what lies
        beyond.
    absorbed_depth : numpy.ndarray
        A(z), absorbed per depth [1/m], shape (nz,).
    absorbed_rz : numpy.ndarray
        A(r, z), absorbed per volume [1/m^3], shape (nr, nz).
    fluence_rz : numpy.ndarray
        Fluence per unit incident energy [1/m^2], ``A(r, z) / mu_a`` with the
        ``mu_a`` of the layer at each bin's upper edge (zero where ``mu_a``
        is), shape (nr, nz); put layer boundaries on bin edges for exact
        values.
    diffuse_reflectance_radial, transmittance_radial : numpy.ndarray
        Rd(r) and Tt(r) per area [1/m^2], shape (nr,).
    photons : int
        Packets traced.
    device : {"cpu", "gpu"}
        Where they were traced.
    """

    specular_reflectance: float
    diffuse_reflectance: float
    transmittance: float
    absorbed: float
    diffuse_reflectance_stderr: float
    transmittance_stderr: float
    absorbed_stderr: float
    absorbed_per_layer: np.ndarray
    absorbed_per_layer_stderr: np.ndarray
    roulette_gain: float
    radial_edges: np.ndarray
    depth_edges: np.ndarray
    absorbed_depth: np.ndarray
    absorbed_rz: np.ndarray
    fluence_rz: np.ndarray
    diffuse_reflectance_radial: np.ndarray
    transmittance_radial: np.ndarray
    photons: int
    device: str


def transport(
    refractive_index,
    absorption_coefficient,
    scattering_coefficient,
    anisotropy,
    thickness,
    *,
    n_above: float = 1.0,
    n_below: float = 1.0,
    photons: int = 100_000,
    seed: int = 0,
    threads: int | None = None,
    beam: str = "pencil",
    beam_radius: float = 0.0,
    radial_bin: float = 10e-6,
    radial_bins: int = 100,
    depth_bin: float = 10e-6,
    depth_bins: int = 100,
    batch_size: int | None = None,
    device: str = "auto",
) -> LayeredTransport:
    """Trace photon packets through a layered medium (MCML [1]_).

    Parameters
    ----------
    refractive_index, absorption_coefficient, scattering_coefficient, anisotropy : array_like
        Per layer, top first: ``n`` [-] (>= 1), ``mu_a`` [1/m], ``mu_s`` [1/m]
        (>= 0) and Henyey-Greenstein ``g`` [-] in (-1, 1).
    thickness : array_like
        Per layer [m], > 0; ``numpy.inf`` for a semi-infinite last layer.
    n_above, n_below : float
        Refractive index of the media above and below the stack [-].
    photons : int
        Packets to trace (> 0).
    seed : int
        Seed of the random streams; the same seed and ``batch_size`` give
        identical results whatever ``threads`` is (on a GPU, whatever the
        launch configuration). A GPU run walks the same streams as a CPU run
        of the same ``batch_size``, but its math library (``log``, ``sin``,
        ``cos``) need not round as the CPU's does, so that the two agree
        within the Monte Carlo error, not bit for bit.
    threads : int, optional
        numba threads to use on the CPU (default: numba's default, all
        cores); not used on a GPU.
    beam : {"pencil", "gaussian", "top_hat", "diffuse"}
        Source profile: the first three at normal incidence, the Gaussian and
        top-hat beams sampled at the source; ``"diffuse"`` is Lambertian
        irradiance at one point (``cos(theta) = sqrt(xi)`` in the medium
        above), its specular reflectance the Fresnel share of each ray.
    beam_radius : float
        1/e^2 radius of the Gaussian or radius of the top hat [m].
    radial_bin, depth_bin : float
        Bin widths of the r and z grids [m].
    radial_bins, depth_bins : int
        Number of r and z bins.
    batch_size : int, optional
        Photons per random stream (changes the streams, not the physics);
        default :data:`CPU_BATCH_SIZE` on the CPU,
        :data:`~dermalase.physics.transport.monte_carlo_gpu.GPU_BATCH_SIZE`
        on a GPU.
    device : {"auto", "cpu", "gpu"}
        Where to walk the photons: ``"auto"`` uses a CUDA GPU when one is
        present (:mod:`~dermalase.physics.transport.monte_carlo_gpu`), else
        the CPU; ``"gpu"`` requires one.

    Returns
    -------
    LayeredTransport

    Raises
    ------
    ValueError
        On a property out of range (negative or NaN coefficient, ``g``
        outside (-1, 1), ``n < 1``, thickness not > 0, an infinite layer
        that is not the last), ``photons < 1``, an unknown ``device``, or
        ``device="gpu"`` with no CUDA GPU.

    Examples
    --------
    A matched non-scattering slab one penetration depth thick transmits 1/e.

    >>> out = transport([1.0], [1e3], [0.0], [0.0], [1e-3], photons=1000)
    >>> round(out.transmittance + out.absorbed + out.diffuse_reflectance, 6)
    1.0
    """
    n = np.atleast_1d(np.asarray(refractive_index, float))
    mua = np.atleast_1d(np.asarray(absorption_coefficient, float))
    mus = np.atleast_1d(np.asarray(scattering_coefficient, float))
    g = np.atleast_1d(np.asarray(anisotropy, float))
    d = np.atleast_1d(np.asarray(thickness, float))
    _check(n, mua, mus, g, d, n_above, n_below, photons)
    if beam not in BEAM_PROFILES:
        raise ValueError(f"beam {beam!r} is not one of {sorted(BEAM_PROFILES)}")
    on_gpu = _use_gpu(device)
    if batch_size is None:
        batch_size = monte_carlo_gpu.GPU_BATCH_SIZE if on_gpu else CPU_BATCH_SIZE
    bottom = np.cumsum(d)
    top = np.concatenate(([0.0], bottom[:-1]))
    arguments = (
        n, mua, mus, g, top, bottom, float(n_above), float(n_below),
        int(photons), int(batch_size), int(seed) & 0x7FFFFFFFFFFFFFFF,
        BEAM_PROFILES[beam], float(beam_radius),
        float(radial_bin), int(radial_bins), float(depth_bin), int(depth_bins),
    )  # fmt: skip
    if on_gpu:
        a_rz, a_z, a_layer, rd_r, tt_r, moments = monte_carlo_gpu.transport_kernel(*arguments)
    else:
        previous = numba.get_num_threads()
        if threads is not None:
            numba.set_num_threads(int(threads))
        try:
            a_rz, a_z, a_layer, rd_r, tt_r, moments = _transport_kernel(*arguments)
        finally:
            numba.set_num_threads(previous)
    layer_stderr = _batch_means_stderr(a_layer, int(photons), int(batch_size))
    # add the accumulators in their fixed order
    a_rz, a_z, a_layer, rd_r, tt_r, m = (
        _ordered_sum(a) for a in (a_rz, a_z, a_layer, rd_r, tt_r, moments)
    )
    count = float(photons)
    r_edges = np.arange(radial_bins + 1) * radial_bin
    z_edges = np.arange(depth_bins + 1) * depth_bin
    ring_area = np.pi * np.diff(r_edges**2)
    layer_of_bin = np.clip(np.searchsorted(bottom, z_edges[:-1], side="right"), 0, len(n) - 1)
    mua_bin = mua[layer_of_bin]
    absorbed_rz = a_rz / count / (ring_area[:, None] * depth_bin)
    fluence = np.divide(absorbed_rz, mua_bin[None, :], out=np.zeros_like(absorbed_rz),
                        where=mua_bin[None, :] > 0)  # fmt: skip

    def mean_stderr(total, squares):
        mean = total / count
        return mean, float(np.sqrt(max(squares / count - mean * mean, 0.0) / count))

    rd, rd_se = mean_stderr(m[0], m[1])
    tt, tt_se = mean_stderr(m[2], m[3])
    ab, ab_se = mean_stderr(m[4], m[5])
    return LayeredTransport(
        specular_reflectance=(
            float(m[7] / count)
            if beam == "diffuse"
            else float(((n_above - n[0]) / (n_above + n[0])) ** 2)
        ),
        diffuse_reflectance=float(rd),
        transmittance=float(tt),
        absorbed=float(ab),
        diffuse_reflectance_stderr=rd_se,
        transmittance_stderr=tt_se,
        absorbed_stderr=ab_se,
        absorbed_per_layer=a_layer / count,
        absorbed_per_layer_stderr=layer_stderr,
        roulette_gain=float(m[6] / count),
        radial_edges=r_edges,
        depth_edges=z_edges,
        absorbed_depth=a_z / count / depth_bin,
        absorbed_rz=absorbed_rz,
        fluence_rz=fluence,
        diffuse_reflectance_radial=rd_r / count / ring_area,
        transmittance_radial=tt_r / count / ring_area,
        photons=int(photons),
        device="gpu" if on_gpu else "cpu",
    )


def _use_gpu(device: str) -> bool:
    """Whether this run goes to the GPU (``device`` checked)."""
    if device not in DEVICES:
        raise ValueError(f"device {device!r} is not one of {list(DEVICES)}")
    if device == "cpu":
        return False
    present = monte_carlo_gpu.available()
    if device == "gpu" and not present:
        raise ValueError("device 'gpu' asked for, but no CUDA GPU is available")
    return present


def _batch_means_stderr(partial: np.ndarray, photons: int, batch_size: int) -> np.ndarray:
    """Standard error of per-photon means from the accumulators' partial sums."""
    slots = partial.shape[0]
    if slots < 2:
        return np.zeros(partial.shape[1:])
    batches = (photons + batch_size - 1) // batch_size
    sizes = np.zeros(slots)
    for batch in range(batches):
        sizes[batch % slots] += min(batch_size, photons - batch * batch_size)
    means = partial / sizes.reshape((-1,) + (1,) * (partial.ndim - 1))
    overall = partial.sum(axis=0) / photons
    spread = (sizes.reshape((-1,) + (1,) * (partial.ndim - 1)) * (means - overall) ** 2).sum(axis=0)
    return np.sqrt(spread / ((slots - 1) * photons))


def _ordered_sum(partial: np.ndarray) -> np.ndarray:
    total = np.zeros(partial.shape[1:])
    for part in partial:
        total = total + part
    return total


def _check(n, mua, mus, g, d, n_above, n_below, photons) -> None:
    sizes = {a.size for a in (n, mua, mus, g, d)}
    if len(sizes) != 1:
        raise ValueError("every layer needs n, mu_a, mu_s, g and a thickness")
    problems = [
        (not np.all(n >= 1.0) or not (n_above >= 1.0 and n_below >= 1.0), "n must be >= 1"),
        (not np.all(mua >= 0.0), "mu_a must be >= 0 and finite"),
        (not np.all(mus >= 0.0), "mu_s must be >= 0 and finite"),
        (not np.all(np.isfinite(mua)) or not np.all(np.isfinite(mus)), "mu_a, mu_s must be finite"),
        (not np.all(np.abs(g) < 1.0), "g must lie in (-1, 1)"),
        (not np.all(d > 0.0), "a thickness must be > 0"),
        (not np.all(np.isfinite(d[:-1])), "only the last layer may be semi-infinite"),
        (int(photons) < 1, "photons must be >= 1"),
    ]
    for bad, message in problems:
        if bad:
            raise ValueError(message)


class MonteCarlo:
    """Monte Carlo deposition down a 1D slab behind the light-transport seam.

    Each remaining cell of the grid is a layer with its own absorption and
    the scattering, anisotropy and index given here; light enters at the
    crater floor from air (``n_above``), and what leaves the bottom of the
    grid is transmitted.

    Parameters
    ----------
    scattering_coefficient : float
        mu_s of the tissue [1/m].
    anisotropy : float
        Henyey-Greenstein g [-].
    refractive_index : float
        n of the tissue [-].
    n_above, n_below : float
        Indices above the surface and below the grid [-].
    photons, seed, threads
        As in :func:`transport`.

    Attributes
    ----------
    absorptance : numba cfunc
        The Beer-Lambert cell absorptance
        (:func:`~dermalase.physics.transport.beer_lambert.cell_absorptance`),
        the local approximation the solver kernels use inside a pulse.
    """

    absorptance = cell_absorptance

    def __init__(
        self,
        scattering_coefficient: float = 0.0,
        anisotropy: float = 0.0,
        refractive_index: float = 1.0,
        n_above: float = 1.0,
        n_below: float | None = None,
        photons: int = 100_000,
        seed: int = 0,
        threads: int | None = None,
    ):
        self.scattering_coefficient = float(scattering_coefficient)
        self.anisotropy = float(anisotropy)
        self.refractive_index = float(refractive_index)
        self.n_above = float(n_above)
        self.n_below = float(refractive_index if n_below is None else n_below)
        self.photons = int(photons)
        self.seed = int(seed)
        self.threads = threads

    def deposit(self, grid: Grid, absorption, removed, incident) -> Deposition:
        """Deposit a fluence through the remaining tissue of a slab.

        Parameters
        ----------
        grid : Grid
            Cells in depth [m].
        absorption : array_like
            Absorption coefficient per cell [1/m].
        removed : array_like of bool
            Cells already ablated (above the crater floor).
        incident : float
            Fluence at the surface [J/m^2] (or irradiance [W/m^2]).

        Returns
        -------
        Deposition
            ``absorbed`` per cell [J/m^3]; ``transmitted`` through the bottom
            [J/m^2]; ``escaped`` = specular + diffuse reflectance [J/m^2].
        """
        widths = grid.widths
        keep = ~np.asarray(removed, bool)
        mua = np.asarray(absorption, float)[keep]
        cells = int(keep.sum())
        out = transport(
            np.full(cells, self.refractive_index), mua,
            np.full(cells, self.scattering_coefficient), np.full(cells, self.anisotropy),
            widths[keep], n_above=self.n_above, n_below=self.n_below,
            photons=self.photons, seed=self.seed, threads=self.threads,
            radial_bins=1, depth_bins=1,
        )  # fmt: skip
        absorbed = np.zeros(widths.size)
        absorbed[keep] = float(incident) * out.absorbed_per_layer / widths[keep]
        return Deposition(
            absorbed=absorbed,
            transmitted=float(incident) * out.transmittance,
            escaped=float(incident) * (out.specular_reflectance + out.diffuse_reflectance),
        )
