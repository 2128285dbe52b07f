"""The Monte Carlo photon walk on a CUDA GPU (optional).

The same packet walk as the CPU kernel
(:func:`~dermalase.physics.transport.monte_carlo.make_photon_tracer`, compiled
here as a CUDA device function), the same xorshift64* stream per batch of
photons and the same 64 accumulators. One GPU thread walks one batch; the
batches are small (:data:`GPU_BATCH_SIZE` photons) so that a run keeps
tens of thousands of threads busy.

Tallies are added atomically as 64-bit integers in units of
``2^-32`` of a packet weight (fixed point, rounded to nearest). Integer
addition does not depend on its order, so one seed gives the same bits
whatever the launch configuration, as on the CPU; the rounding is at most
``2^-33 = 1.2e-10`` of a packet per tally, far below the Monte Carlo noise.
An accumulator holds up to ``2^31`` packets of weight, so that a run may
trace some ``64 * 2^31 = 1.4e11`` packets. CUDA's ``log``, ``sin`` and
``cos`` need not round as the CPU's do, so that a GPU run matches a CPU run
of the same batch size within the Monte Carlo error; in numba's CUDA
simulator, which uses the CPU's, they agree to the fixed-point rounding.

Nothing in dermalase needs a GPU: :func:`available` says whether one is
usable, and :func:`~dermalase.physics.transport.monte_carlo.transport` runs
here only when asked (``device="gpu"``) or, with ``device="auto"``, when
one is present. numba's CUDA target (the ``numba-cuda`` package, extra
``gpu``) compiles the kernel on first use.
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np

#: Photons per random stream (and per GPU thread) on the GPU.
GPU_BATCH_SIZE = 16
#: Fixed-point scale of the GPU tallies [1/weight].
FIXED_POINT_SCALE = 2.0**32
#: Threads per block of the launch.
THREADS_PER_BLOCK = 128


@functools.cache
def available() -> bool:
    """Whether a CUDA GPU (or numba's CUDA simulator) can run the walk.

    Returns
    -------
    bool
        False when numba's CUDA target cannot be imported or finds no
        device.
    """
    try:
        from numba import cuda
    except Exception:  # pragma: no cover - no CUDA target, or one that fails to import
        return False
    try:
        return bool(cuda.is_available())
    except Exception:  # pragma: no cover - a broken driver counts as none
        return False


#: numba's CUDA module, imported on first use (:func:`_kernel`). A module
#: global, not a closure variable, because numba's CUDA simulator
#: (``NUMBA_ENABLE_CUDASIM=1``) swaps its own ``cuda`` in for the module's
#: globals while a kernel runs, and only there.
cuda = None


@functools.cache
def _kernel():
    """Compile the CUDA kernel (once per process)."""
    global cuda
    from numba import cuda

    from dermalase.physics.transport import monte_carlo as cpu

    device = cuda.jit(device=True)
    uniform = device(cpu._uniform.py_func)
    fresnel = device(cpu._fresnel.py_func)
    bin_index = device(cpu._bin.py_func)
    stream_state = device(cpu.stream_state.py_func)

    @device
    def to_fixed(value):
        return np.int64(math.floor(value * FIXED_POINT_SCALE + 0.5))

    @device
    def score2(array, i, j, value):
        cuda.atomic.add(array, (i, j), to_fixed(value))

    @device
    def score3(array, i, j, k, value):
        cuda.atomic.add(array, (i, j, k), to_fixed(value))

    trace = cpu.make_photon_tracer(device, uniform, fresnel, bin_index, score2, score3)

    @cuda.jit
    def kernel(
        n, mua, mus, g, top, bottom, n_above, n_below,
        photons, batch_size, seed, beam, beam_radius,
        dr, nr, dz, nz, r_specular,
        a_rz, a_z, a_layer, rd_r, tt_r, moments,
    ):  # fmt: skip
        batches = (photons + batch_size - 1) // batch_size
        slots = a_z.shape[0]
        state = cuda.local.array(1, np.uint64)
        batch = cuda.grid(1)
        while batch < batches:
            # the batch's stream and accumulator, as on the CPU
            slot = batch % slots
            state[0] = stream_state(seed, batch)
            first = batch * batch_size
            last = min(first + batch_size, photons)
            for _ in range(first, last):
                p_rd, p_tt, p_a, specular = trace(
                    state, beam, beam_radius, n, mua, mus, g, top, bottom, n_above, n_below,
                    r_specular, dr, nr, dz, nz, slot, a_rz, a_z, rd_r, tt_r, a_layer, moments,
                    slot,
                )  # fmt: skip
                score2(moments, slot, 0, p_rd)
                score2(moments, slot, 1, p_rd * p_rd)
                score2(moments, slot, 2, p_tt)
                score2(moments, slot, 3, p_tt * p_tt)
                score2(moments, slot, 4, p_a)
                score2(moments, slot, 5, p_a * p_a)
                score2(moments, slot, 7, specular)
            batch += cuda.gridsize(1)

    return kernel


def transport_kernel(
    n, mua, mus, g, top, bottom, n_above, n_below,
    photons, batch_size, seed, beam, beam_radius,
    dr, nr, dz, nz, threads_per_block=None,
):  # fmt: skip
    """Trace ``photons`` packets on the GPU; same arguments and returns as the CPU kernel.

    ``threads_per_block`` defaults to :data:`THREADS_PER_BLOCK` (read at the
    call); it changes the launch, not the result.

    Returns
    -------
    tuple of numpy.ndarray
        The partial sums per accumulator ``(A(r, z), A(z), A per layer,
        Rd(r), Tt(r), moments)``, in packet weight, as float64.
    """
    from numba import cuda

    from dermalase.physics.transport.monte_carlo import ACCUMULATORS

    layers = n.shape[0]
    batches = (photons + batch_size - 1) // batch_size
    slots = min(ACCUMULATORS, batches)
    shapes = [(slots, nr, nz), (slots, nz), (slots, layers), (slots, nr), (slots, nr), (slots, 8)]
    tallies = [cuda.to_device(np.zeros(shape, np.int64)) for shape in shapes]
    r_specular = ((n_above - n[0]) / (n_above + n[0])) ** 2
    if threads_per_block is None:
        threads_per_block = THREADS_PER_BLOCK
    blocks = (batches + threads_per_block - 1) // threads_per_block
    kernel = _kernel()
    with warnings.catch_warnings():
        # a small run fills few blocks; numba-cuda warns of that on every launch
        warnings.filterwarnings("ignore", message="Grid size .* under-utilization")
        kernel[blocks, threads_per_block](
            *(cuda.to_device(np.ascontiguousarray(a)) for a in (n, mua, mus, g, top, bottom)),
            n_above, n_below, photons, batch_size, seed, beam, beam_radius,
            dr, nr, dz, nz, r_specular, *tallies,
        )  # fmt: skip
    return tuple(t.copy_to_host().astype(float) / FIXED_POINT_SCALE for t in tallies)
