"""Beer-Lambert deposition down a slab (physics.transport.beer_lambert)."""

import numpy as np
import pytest

from dermalase.physics.heat import Grid, make_grid
from dermalase.physics.transport import LightTransport
from dermalase.physics.transport.beer_lambert import BeerLambert, cell_absorptance

# mu_a of skin at 70 % water for CO2 (Hale & Querry 1973 water, 855 /cm)
CO2_SKIN = 0.7 * 85480.0


def test_is_a_light_transport():
    assert isinstance(BeerLambert(), LightTransport)


def test_kernel_absorptance_is_one_minus_the_transmittance():
    # a cell one penetration depth thick keeps 1 - 1/e of what enters it
    assert cell_absorptance(2.0e4, 0.5e-4) == pytest.approx(1.0 - np.exp(-1.0), rel=1e-15)
    assert cell_absorptance(0.0, 1e-3) == 0.0


def test_fluence_falls_to_one_over_e_at_the_penetration_depth():
    # uniform absorber: F(1/mu_a) = F0 / e, F(2/mu_a) = F0 / e^2; faces put
    # exactly at multiples of 1/mu_a / 100 so no interpolation enters
    penetration = 1.0 / CO2_SKIN
    grid = Grid(np.arange(301) * penetration / 100)
    absorption = np.full(300, CO2_SKIN)
    out = BeerLambert().deposit(grid, absorption, np.zeros(300, bool), 1.0)
    passed = 1.0 - np.cumsum(out.absorbed * grid.widths)
    assert passed[99] == pytest.approx(np.exp(-1.0), rel=1e-12)
    assert passed[199] == pytest.approx(np.exp(-2.0), rel=1e-12)
    assert out.transmitted == pytest.approx(np.exp(-3.0), rel=1e-12)


@pytest.mark.parametrize("absorption", [CO2_SKIN, 1e2])
def test_energy_is_conserved(absorption):
    # absorbed + transmitted (+ escaped, none here) = incident, with a crater
    grid = make_grid(100e-6, 1e-6, 500e-6)
    n = grid.widths.size
    removed = np.arange(n) < 20
    mu = np.full(n, absorption) * np.linspace(0.2, 1.0, n)
    out = BeerLambert().deposit(grid, mu, removed, 7e4)
    total = float(np.sum(out.absorbed * grid.widths)) + out.transmitted + out.escaped
    assert total == pytest.approx(7e4, rel=1e-9)
    assert np.all(out.absorbed[removed] == 0.0)
    assert out.transmitted > 0.0


def test_the_crater_moves_the_profile_down():
    # removing the top 20 cells shifts the deposition by 20 cells, unchanged
    grid = Grid(np.linspace(0.0, 100e-6, 101))
    mu = np.full(100, CO2_SKIN)
    intact = BeerLambert().deposit(grid, mu, np.zeros(100, bool), 1.0)
    cratered = BeerLambert().deposit(grid, mu, np.arange(100) < 20, 1.0)
    np.testing.assert_allclose(cratered.absorbed[20:], intact.absorbed[:80], rtol=1e-12)
