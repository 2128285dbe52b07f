import numpy as np
import pytest

from dermalase.physics import ablation


def test_blow_off_zero_below_threshold_and_logarithmic_above():
    mu, f_th = 1e5, 1e4
    assert ablation.blow_off_depth(0.5 * f_th, f_th, mu) == 0.0
    d1, d2 = ablation.blow_off_depth([np.e * f_th, np.e**2 * f_th], f_th, mu)
    assert d1 == pytest.approx(1.0 / mu)
    assert d2 == pytest.approx(2.0 / mu)


def test_steady_state_linear_above_threshold():
    depth = ablation.steady_state_depth([1e4, 2e4, 3e4], 1e4, 2e9)
    assert depth[0] == 0.0
    assert depth[2] - depth[1] == pytest.approx(1e4 / 2e9)


def test_erbium_heat_of_ablation_matches_walsh_deutsch():
    # 540 ug/J at 1.1 g/cm3 -> 2.04 kJ/cm3 (Walsh & Deutsch 1989)
    assert ablation.ERBIUM.ablation_enthalpy == pytest.approx(2.04e9, rel=0.01)


def test_vaporisation_enthalpy_water_only():
    # pure water from 37 to 100 degC then boiled: 4.18 MJ/m3K*63 K + 2257 MJ/m3
    e = ablation.vaporisation_enthalpy(1.0, 4.184e6)
    assert e == pytest.approx(2.52e9, rel=0.01)


def test_regime_choice():
    tau = ablation.thermal_relaxation_time(1e5, 1e-7)
    assert tau == pytest.approx(1.0 / (4.0 * 1e-7 * 1e10))
    assert ablation.ablation_regime(0.1 * tau, tau) == "blow_off"
    assert ablation.ablation_regime(10.0 * tau, tau) == "steady_state"


def test_repetition_efficiency_reproduces_kaufmann_hibst_ratio():
    tau = ablation.ERBIUM.recovery_time
    assert ablation.repetition_efficiency(0.1, tau) == pytest.approx(10.0 / 40.0)
    assert ablation.repetition_efficiency(np.inf, tau) == 1.0
    rates = ablation.repetition_efficiency(1.0 / np.array([1.0, 2.0, 5.0, 10.0]), tau)
    assert np.all(np.diff(rates) < 0)


def test_parameters_by_wavelength():
    assert ablation.parameters_for_wavelength(2.94e-6) is ablation.ERBIUM
    assert ablation.parameters_for_wavelength(2.79e-6) is ablation.ERBIUM
    assert ablation.parameters_for_wavelength(10.6e-6) is ablation.CARBON_DIOXIDE
    # Walsh et al. 1989 measured CW CO2 ablation above 13 kW/cm^2
    high = ablation.CARBON_DIOXIDE_HIGH_IRRADIANCE
    assert ablation.parameters_for_wavelength(10.6e-6, 12.9e7) is ablation.CARBON_DIOXIDE
    assert ablation.parameters_for_wavelength(10.6e-6, 13.1e7) is high
    assert ablation.parameters_for_wavelength(2.94e-6, 1e12) is ablation.ERBIUM


def test_high_irradiance_co2_costs_more_than_boiling_the_water():
    # 4.8 kJ/cm^3 measured against ~1.8 kJ/cm^3 to heat dermis to 100 degC and
    # boil its water: the difference heats the plume and the crater wall.
    high = ablation.CARBON_DIOXIDE_HIGH_IRRADIANCE.ablation_enthalpy
    assert high == pytest.approx(4.8e9)
    assert 2.0 < high / ablation.CARBON_DIOXIDE.ablation_enthalpy < 3.0
