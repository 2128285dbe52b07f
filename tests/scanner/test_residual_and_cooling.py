"""Residual heat from the forward model's ledger, and chilled air as a convective surface."""

import math

import numpy as np
import pytest
from scipy import integrate

from dermalase.constants import celsius_zero
from dermalase.devices import load_device
from dermalase.scanner import heating
from dermalase.scanner.plan import scan_area
from dermalase.scanner.residual_heat import (
    ledger_residual,
    residual_heat,
    spot_effect,
    spot_laser_settings,
)
from dermalase.scanner.settings import ScanSettings
from dermalase.tissue.parameters import cold_air, henriques_moritz1947

ALPHA = heating.thermal_diffusivity()
RHO_C = heating.DENSITY * heating.SPECIFIC_HEAT
K = heating.CONDUCTIVITY
H = cold_air.heat_transfer_coefficient


def _settings(modality, wavelength, spot, energy, rate=300.0):
    return ScanSettings(
        modality=modality,
        spot_diameter=spot,
        zone_diameter=spot,
        energy=energy,
        fluence=None if modality == "fractional" else energy / (math.pi * spot**2 / 4),
        repetition_rate=rate,
        scanner_speed=1.0,
        pattern_shape="square",
        pattern_size=12e-3,
        wavelength=wavelength,
    )


# ---------------------------------------------------------------- residual heat


@pytest.mark.parametrize(
    "modality, wavelength, spot, energy, pulse",
    [
        ("fractional", 10.6e-6, 120e-6, 10e-3, 50e-6),  # fractional CO2 column
        ("full_field", 2.94e-6, 4e-3, 5e4 * math.pi * 4e-3**2 / 4, 250e-6),  # Er:YAG 5 J/cm2
    ],
)
def test_residual_is_below_the_pulse_above_zero_and_closes_the_ledger(
    modality, wavelength, spot, energy, pulse
):
    settings = _settings(modality, wavelength, spot, energy)
    effect = spot_effect(spot_laser_settings(settings, pulse), "cheek")
    ledger = effect.energy
    residual = ledger_residual(effect)
    scale = math.pi * spot**2 / 4 if effect.energy_per_area else 1.0
    assert 0.0 < residual * scale < energy
    # what stays plus what left (ablation and plume, the surface, blood) is what
    # was absorbed, to the forward model's own balance error (and 1 % besides)
    out = ledger["removed"] + ledger["surface"] + ledger["perfusion"]
    assert residual + out == pytest.approx(ledger["absorbed"], rel=0.01)


def test_scan_uses_the_ledger_of_the_settings_fired():
    device = load_device("fractional_co2")
    common = {"device": device, "coverage": 0.0905, "order": "raster"}
    low = scan_area("glabella", 120e-6, "fractional", energy=10e-3, **common)
    high = scan_area("glabella", 120e-6, "fractional", energy=30e-3, **common)
    for plan in (low, high):
        assert plan.heat_forward_model == "column_2d"
        assert 0.0 < plan.heat_per_spot < plan.energy_per_spot
    # more energy leaves more heat behind, but a smaller share of it (the ablation
    # takes the rest away)
    assert high.heat_per_spot > low.heat_per_spot
    assert high.heat_per_spot / 30e-3 < low.heat_per_spot / 10e-3
    # a given fraction still overrides the ledger
    given = scan_area(
        "glabella", 120e-6, "fractional", energy=10e-3, residual_heat_fraction=1.0, **common
    )
    assert given.heat_per_spot == 10e-3


def test_full_face_fractional_co2_bulk_rise_is_plausible():
    # The bundled fractional CO2 at density step 9 (650 MTZ/cm², 22.5 % coverage
    # with the 210 um zones its 5 mJ microbeams leave) over the whole face. The
    # whole microbeam energy as heat gave 99-188 K. Published skin surface
    # temperatures of resurfacing scans (Choi et al. 1999, IEEE JSTQE 5:1116,
    # full-field CO2 raster scans in vivo) stay above the starting skin
    # temperature for more than ten seconds, so heat does pile up (> 0.5 K here).
    # Full-face fractional CO2 at these settings leaves no confluent burn between
    # the columns, so the bulk tissue must stay below Henriques & Moritz's
    # epidermal injury (Omega < 1) when held at 37 degC plus the rise for 10 s,
    # the time a pattern tile takes: about 19.6 K. The test fails for the old
    # upper bound.
    device = load_device("fractional_co2")
    plan = scan_area(
        "full_face",
        120e-6,
        "fractional",
        device=device,
        coverage=0.225,
        zone_diameter=210e-6,
        energy=5e-3,
        lattice="random",
        repetition_rate=300.0,
    )
    rise = plan.max_bulk_temperature_rise_c
    temperature = celsius_zero + 37.0 + rise
    omega = (
        henriques_moritz1947.frequency_factor
        * 10.0
        * math.exp(-henriques_moritz1947.activation_energy / (8.314462618 * temperature))
    )
    assert rise > 0.5
    assert omega < 1.0
    assert plan.cooled_max_bulk_temperature_rise_c <= rise
    peak = plan.to_dict()["epidermal_peak_temperature_c"]
    assert peak["with_cooling_c"] <= peak["without_cooling_c"]
    assert peak["applies_c"] == peak["with_cooling_c"]  # chilled air is on by default


def test_skin_before_a_spot_starts_from_the_skin_chilled_air_holds():
    # Chilled air holds facial skin at 17-20 degC (Hammes & Raulin 2005): the
    # skin a spot lands on starts there, not at 37 degC, and the bulk rise
    # comes on top. Chilled air does little to the rise itself (seconds of
    # h = 100 W/(m^2 K)); what it changes is the start.
    device = load_device("fractional_co2")
    plan = scan_area("glabella", 120e-6, "fractional", energy=10e-3, device=device, coverage=0.0905)
    summary = plan.to_dict()
    skin = summary["skin_before_spot_c"]
    # rounded to 0.01 K in the summary
    assert skin["without_cooling_c"] == pytest.approx(
        37.0 + plan.max_bulk_temperature_rise_c, abs=0.01
    )
    cooled_start = cold_air.precooled_skin_temperature - celsius_zero
    assert cooled_start == pytest.approx(20.0)
    assert skin["with_cooling_c"] == pytest.approx(
        cooled_start + plan.cooled_max_bulk_temperature_rise_c, abs=0.01
    )
    assert skin["without_cooling_c"] - skin["with_cooling_c"] >= 17.0
    assert skin["applies_c"] == skin["with_cooling_c"]
    # an ablating column: its epidermal peak is the crust of the crater wall,
    # pinned between boiling and decomposition, not lowered by the cooling
    peak = summary["epidermal_peak_temperature_c"]
    assert peak["set_by_ablation_front"]
    assert peak["single_spot_c"] > 100.0
    assert peak["without_cooling_c"] - peak["with_cooling_c"] < 1.0


def test_a_spot_that_ablates_nothing_peaks_lower_on_precooled_skin():
    # a full-field CO2 pulse of 0.3 J/cm^2 in 1 ms heats the epidermis to
    # ~80 degC without boiling it: on skin held 17 K cooler it peaks 17 K
    # lower (the heat equation is linear below boiling)
    spot = 4e-3
    settings = _settings("full_field", 10.6e-6, spot, 0.3e4 * math.pi * spot**2 / 4)
    heat = residual_heat(settings, pulse_duration=1e-3, area_name="cheek")
    assert not heat.spot_ablates
    assert heat.spot_peak_temperature < 373.15
    shift = 37.0 + celsius_zero - cold_air.precooled_skin_temperature
    drop = heat.spot_peak_temperature - heat.cooled_spot_peak_temperature
    assert drop == pytest.approx(shift, abs=0.5)


# ---------------------------------------------------------------- Robin Green's function


def test_robin_surface_kernel_tends_to_the_insulated_one_as_h_goes_to_zero():
    r, t, z = 200e-6, np.array([1e-3, 0.1, 1.0, 10.0]), 50e-6
    insulated = heating.surface_source_rise(r, t, 1e-3, depth=z, source_width=30e-6)
    previous = None
    for h in (1e2, 1.0, 1e-2, 1e-4):
        cooled = heating.surface_source_rise(
            r, t, 1e-3, depth=z, source_width=30e-6, heat_transfer_coefficient=h
        )
        assert np.all(cooled <= insulated)
        gap = np.max(np.abs(cooled / insulated - 1.0))
        if previous is not None:
            assert gap < previous  # converges, linearly in h
        previous = gap
    assert previous < 1e-5


def test_robin_surface_kernel_conserves_energy():
    # heat left in the medium (the rise integrated over depth and the surface)
    # plus the heat that left through the surface (h T integrated over the
    # surface and time) is the heat put in; both by independent quadrature.
    heat, h = 1e-3, 2000.0  # a large h so that the loss is a sizeable share
    t_end = 5.0

    def left_in(t):
        depth = integrate.quad(
            lambda z: float(
                heating.surface_source_rise(0.0, t, 1.0, depth=z, heat_transfer_coefficient=h)
            ),
            0.0,
            40 * math.sqrt(ALPHA * t),
        )[0]
        # the lateral Gaussian integrates to 1 over the plane; at r = 0 it is
        # 1 / (2 pi s^2) with s^2 = 2 alpha t
        return heat * depth * RHO_C * (2 * math.pi * 2 * ALPHA * t)

    def surface_flux(t):
        at_surface = float(
            heating.surface_source_rise(0.0, t, 1.0, heat_transfer_coefficient=h)
        ) * (2 * math.pi * 2 * ALPHA * t)
        return h * heat * at_surface

    lost = integrate.quad(surface_flux, 0.0, t_end, limit=200)[0]
    remaining = left_in(t_end)
    assert 0.05 < lost / heat < 0.95
    assert remaining + lost == pytest.approx(heat, rel=1e-4)


def test_robin_column_factor_limits():
    t = np.array([1e-3, 0.1, 1.0])
    column = 300e-6
    insulated = heating.column_axial_factor(t, ALPHA, column)
    assert np.allclose(heating.column_axial_factor(t, ALPHA, column, 1e-9), insulated)
    cooled = heating.column_axial_factor(t, ALPHA, column, H / K)
    assert np.all((cooled < insulated) & (cooled > 0.0))
    # a short column carrying Q' L tends to the surface source of heat Q' L
    short = 1e-9
    t1 = 0.5
    a = math.sqrt(ALPHA * t1)
    line = heating.column_axial_factor(t1, ALPHA, short, H / K) / short
    surface = heating.surface_vertical_factor(0.0, t1, ALPHA, H / K)
    assert line == pytest.approx(surface, rel=1e-4)
    assert surface == pytest.approx(
        1 / (a * math.sqrt(math.pi))
        - (H / K) * float(np.exp((H / K * a) ** 2) * math.erfc(H / K * a))
    )


@pytest.mark.parametrize("source", ["surface", "line"])
def test_sum_matches_the_kernels_and_cooled_is_at_most_uncooled(source):
    rng = np.random.default_rng(3)
    n = 60
    x, y = rng.uniform(0, 3e-3, n), rng.uniform(0, 3e-3, n)
    t = np.sort(rng.uniform(0, 2.0, n))
    depth = 300e-6 if source == "line" else None
    options = {
        "spot_diameter": 120e-6,
        "source": source,
        "column_depth": depth,
        "time_horizon": 5.0,
        "perfusion_rate": 0.0,
    }
    insulated = heating.bulk_temperature_rise(x, y, t, 1e-3, **options)
    cooled = heating.bulk_temperature_rise(x, y, t, 1e-3, **options, heat_transfer_coefficient=H)
    assert np.all(cooled <= insulated + 1e-15)
    assert cooled.max() < insulated.max()
    # the compiled sum against the vectorised kernels, pair by pair
    i = n - 1
    dt = t[i] - t[:i]
    r = np.hypot(x[i] - x[:i], y[i] - y[:i])
    keep = dt > 0
    if source == "surface":
        direct = heating.surface_source_rise(
            r[keep], dt[keep], 1e-3, source_width=30e-6, heat_transfer_coefficient=H
        )
    else:
        direct = heating.line_source_rise(
            r[keep],
            dt[keep],
            1e-3 / depth,
            source_width=30e-6,
            column_depth=depth,
            heat_transfer_coefficient=H,
        )
    assert cooled[i] == pytest.approx(direct.sum(), rel=1e-6)


def test_negative_heat_transfer_coefficient_is_bad_input():
    from dermalase.exceptions import InputError

    with pytest.raises(InputError, match="heat_transfer_coefficient"):
        heating.bulk_temperature_rise(
            [0.0], [0.0], [0.0], 1e-3, spot_diameter=1e-4, heat_transfer_coefficient=-1.0
        )
