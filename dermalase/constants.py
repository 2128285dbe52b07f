"""Physical constants and standard tissue thermodynamics, SI units.

Derived constants are computed from the base ones, never typed in twice.
"""

from __future__ import annotations

#: Molar gas constant [J/(mol K)] (CODATA 2018, exact).
gas_constant = 8.314462618

#: Zero of the Celsius scale [K].
celsius_zero = 273.15

#: Normal core body temperature [K].
body_temperature = celsius_zero + 37.0

#: Boiling point of water at one atmosphere [K].
water_boiling_point = celsius_zero + 100.0

#: Specific latent heat of vaporisation of water at 100 degC [J/kg]
#: (steam tables; 2257 kJ/kg).
water_latent_heat = 2.257e6

#: Specific heat of liquid water near 60 degC [J/(kg K)] (steam tables).
water_specific_heat = 4184.0

#: Density of liquid water [kg/m^3].
water_density = 1000.0


def celsius_to_kelvin(temperature_c):
    """Convert a temperature [degC] to [K]."""
    return temperature_c + celsius_zero


def kelvin_to_celsius(temperature_k):
    """Convert a temperature [K] to [degC]."""
    return temperature_k - celsius_zero
