"""Wiring tests of the device assessment: bundled devices, invariants, beam geometry."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from dermalase.devices import bundled_device_files, load_device, read_device_file
from dermalase.exceptions import InputError
from dermalase.laser import LaserSettings
from dermalase.safety.assessment import (
    ACCIDENTAL_EXPOSURE,
    _assess_pulse,
    assess_device,
    corneal_shield_reason,
    device_pulse_trains,
    eyewear_density,
    hazard_zone,
    planned_pulses,
    worst_case_pulse,
)
from dermalase.safety.repetitive_pulses import pulse_train_mpe

DEVICES = [path.stem for path in bundled_device_files()]


@pytest.mark.parametrize("name", DEVICES)
def test_every_bundled_device_has_beam_geometry_and_figures(name):
    device = load_device(name)
    assert device.beam is not None
    [line] = assess_device(device)
    summary = line.summary()
    for key in (
        "wavelength_nm",
        "exposure_duration_s",
        "mpe_eye_j_m2",
        "mpe_skin_j_m2",
        "nohd_m",
        "nohd_diffuse_m",
        "od_required",
    ):
        assert summary[key] is not None, key
    assert summary["exposure_duration_s"] == ACCIDENTAL_EXPOSURE
    # the collimated arm beam reaches farther than the diverging handpiece beam
    assert line.nohd_delivery_arm > line.nohd > line.nohd_diffuse > 0


@pytest.mark.parametrize("name", DEVICES)
def test_figures_follow_from_the_worst_case_pulse(name):
    device = load_device(name)
    [line] = assess_device(device)
    limit = pulse_train_mpe(
        device.wavelength, line.pulse_duration, line.repetition_rate, ACCIDENTAL_EXPOSURE
    )
    assert line.mpe_eye == limit.radiant_exposure
    assert line.exposure_at_eye * 10**-line.od_required == pytest.approx(line.mpe_eye)


def test_od_monotone_in_pulse_energy_and_nohd_zero_below_the_mpe():
    device = load_device("fractional_co2")
    energies = [1e-9, 1e-6, 1e-3, 1e-2, 4e-2]
    lines = []
    for energy in energies:
        weaker = dataclasses.replace(
            device, energy=dataclasses.replace(device.energy, minimum=energy, maximum=energy)
        )
        [line] = assess_device(weaker)
        lines.append(line)
    densities = [line.od_required for line in lines]
    assert densities == sorted(densities)
    assert lines[0].od_required == 0.0
    assert lines[0].nohd == lines[0].nohd_diffuse == lines[0].nohd_delivery_arm == 0.0


def test_focal_geometry_gives_the_divergence(tmp_path):
    text = load_device("pulsed_co2").path.read_text()
    device = read_device_file(load_device("pulsed_co2").path)
    assert device.beam.handpiece_divergence == pytest.approx(10 / 125)
    bad = tmp_path / "bad.toml"
    both = "lens_beam_diameter_mm = 10\nhandpiece_divergence_mrad = 80"
    bad.write_text(text.replace("lens_beam_diameter_mm = 10", both))
    with pytest.raises(InputError, match="give handpiece_divergence_mrad, or focal_length_mm"):
        read_device_file(bad)


def test_device_outside_the_tables_refused():
    device = dataclasses.replace(load_device("pulsed_co2"), wavelength=170e-9)
    with pytest.raises(InputError, match="wavelength"):
        assess_device(device)


def test_near_infrared_device_is_held_to_the_retinal_limits():
    """The same pulses at 1064 nm reach the retina: the eye's MPE falls far below the
    skin's, and the eyewear must be denser than at 10.6 µm (the average-power limit is
    50 W/m² against 1000 W/m², partly offset by the 7 mm pupil it is averaged over)."""
    co2 = load_device("pulsed_co2")
    [far] = assess_device(co2)
    [near] = assess_device(dataclasses.replace(co2, wavelength=1064e-9))
    assert near.mpe_eye < near.mpe_skin / 100
    assert near.od_required > far.od_required + 1
    assert near.nohd > far.nohd


def test_rate_capped_by_the_pulse_duration():
    device = load_device("tunable_er_yag")
    long_pulses = dataclasses.replace(
        device,
        pulse_modes=tuple(
            dataclasses.replace(
                mode,
                pulse_duration=dataclasses.replace(mode.pulse_duration, minimum=0.05, maximum=0.05),
            )
            for mode in device.pulse_modes
        ),
        average_power_max=None,
    )
    [line] = assess_device(long_pulses)
    assert line.repetition_rate <= 1 / 0.05


# ------------------------------------------------------------------ planned settings


def _microbeam(device, energy, rate):
    """Fractional settings of ``device``: one microbeam of ``energy`` [J] at ``rate`` [Hz]."""
    spot = device.spot_diameter.minimum
    return LaserSettings(
        device.wavelength,
        energy / (math.pi * spot**2 / 4),
        min(mode.pulse_duration.minimum for mode in device.pulse_modes),
        repetition_rate=rate,
        spot_diameter=spot,
        energy=energy,
        coverage=0.2,
        density=1e6,
    )


def test_settings_at_the_worst_case_give_the_device_figures():
    # Two paths to one pulse: the device's worst case and settings that ask for it.
    device = load_device("fractional_co2")
    energy, _, rate, _ = worst_case_pulse(device)
    [worst] = assess_device(device)
    [planned] = assess_device(device, settings=_microbeam(device, energy, rate))
    assert planned == worst


def test_planned_figures_follow_the_planned_pulse():
    device = load_device("fractional_co2")
    weak = _microbeam(device, 5e-3, 100.0)
    strong = _microbeam(device, 40e-3, 100.0)
    [low] = assess_device(device, settings=weak)
    [high] = assess_device(device, settings=strong)
    # eight times the energy in the same beam: log10(8) more OD, same MPE
    assert high.mpe_eye == low.mpe_eye
    assert high.od_required - low.od_required == pytest.approx(math.log10(8))
    assert high.nohd > low.nohd


def test_coagulation_train_assessed_on_its_own():
    # An ablative pulse at 10 Hz followed by a weak coagulation train at 100 Hz: the
    # trains are assessed apart, so the figures are those of the ablative train alone.
    device = load_device("tunable_er_yag")
    spot = 4e-3
    ablative = LaserSettings(2.94e-6, 15e4, 250e-6, repetition_rate=10.0, spot_diameter=spot)
    both = dataclasses.replace(
        ablative,
        coagulation_pulses=4,
        coagulation_fluence=0.5e4,
        coagulation_pulse_duration=500e-6,
        coagulation_repetition_rate=100.0,
    )
    [alone] = assess_device(device, settings=ablative)
    [train] = assess_device(device, settings=both)
    assert train == alone
    assert train.repetition_rate == 10.0
    assert train.pulse_energy == pytest.approx(15e4 * math.pi * spot**2 / 4)


def test_settings_without_a_spot_refused():
    settings = LaserSettings(2.94e-6, 5e4, 250e-6)
    with pytest.raises(InputError, match="spot_diameter"):
        planned_pulses(settings)


@pytest.mark.parametrize("od", [0.0, 0.01, 2.5, 2.92, 4.58, 4.6])
def test_eyewear_density_never_below_the_required_od(od):
    density = eyewear_density(od)
    assert od <= density < od + 0.1 + 1e-12
    assert round(density * 10) == pytest.approx(density * 10)


def test_hazard_zone_names_distance_od_and_wavelength():
    [line] = assess_device(load_device("fractional_co2"))
    text = hazard_zone(line)
    assert f"within {line.nohd:.2f} m" in text
    assert f"OD ≥ {eyewear_density(line.od_required):g} at 10600 nm" in text
    assert "100 s" in text and f"{line.nohd_delivery_arm:.1f} m" in text
    assert f"{line.nohd:.2f} m" in corneal_shield_reason((line,))


def test_hazard_zone_without_a_hazard():
    device = load_device("fractional_co2")
    [line] = assess_device(device, settings=_microbeam(device, 1e-9, 1.0))
    assert line.nohd == 0.0
    assert hazard_zone(line).startswith("No nominal hazard zone at 10600 nm")


# ------------------------------------------------------------------ device worst case


@pytest.mark.parametrize("name", DEVICES)
def test_worst_case_covers_every_train_the_device_fires(name):
    """The device's figures are those of its most hazardous train, and no train the
    device can fire needs denser eyewear."""
    device = load_device(name)
    [worst] = assess_device(device)
    trains = device_pulse_trains(device)
    labels = [label for label, _ in trains]
    assert worst.train in labels
    for label, pulse in trains:
        line = _assess_pulse(device, device.wavelength, pulse, ACCIDENTAL_EXPOSURE, label)
        assert line.od_required <= worst.od_required + 1e-12, label
    if device.coagulation is not None:
        assert "coagulation train" in labels
    modes = {mode.name for mode in device.pulse_modes}
    assert all(any(label.startswith(mode) for label in labels) for mode in modes)


@pytest.mark.parametrize("name", DEVICES)
def test_no_setting_within_the_device_limits_beats_the_worst_case(name):
    """Brute force over each mode's pulse durations, the rate range and the energy range
    (rates capped by one pulse per duration and by the average power): none needs denser
    eyewear than the reported worst case."""
    device = load_device(name)
    [worst] = assess_device(device)
    spot = device.spot_diameter.minimum
    energies = [device.energy] if device.energy is not None else []
    if device.fluence is not None:
        area = math.pi * device.spot_diameter.maximum**2 / 4
        energies.append(
            dataclasses.replace(
                device.fluence,
                minimum=device.fluence.minimum * area,
                maximum=device.fluence.maximum * area,
            )
        )
    low = min(e.minimum for e in energies)
    high = max(e.maximum for e in energies)
    rates = device.repetition_rate
    for mode in device.pulse_modes:
        for duration in np.geomspace(mode.pulse_duration.minimum, mode.pulse_duration.maximum, 4):
            for energy in np.geomspace(low, high, 4):
                for rate in np.geomspace(rates.minimum, rates.maximum, 4):
                    rate = min(rate, 1 / duration)
                    if device.average_power_max is not None:
                        rate = min(rate, device.average_power_max / energy)
                    line = _assess_pulse(
                        device, device.wavelength, (energy, duration, rate, spot), 100.0
                    )
                    assert line.od_required <= worst.od_required + 1e-9, (duration, energy, rate)


def _with_fast_coagulation(rate):
    """tunable_er_yag whose coagulation train runs at ``rate`` [Hz] with its strongest pulses."""
    device = load_device("tunable_er_yag")
    train = dataclasses.replace(device.coagulation, repetition_rate=rate)
    return dataclasses.replace(device, coagulation=train, average_power_max=None)


def test_worst_case_is_the_coagulation_train_when_it_is_faster():
    """Not the default: a 2 kHz coagulation train (one pulse per 500 µs) of 0.126 J pulses
    carries 251 W against 63 W of the ablative 3.1 J pulses at 20 Hz; under the
    average-power rule the denser eyewear follows the power, log10(251 / 63) = 0.6 OD."""
    device = _with_fast_coagulation(2000.0)
    [worst] = assess_device(device)
    assert worst.train == "coagulation train"
    assert worst.repetition_rate == pytest.approx(2000.0)
    assert worst.repetition_rate > device.repetition_rate.maximum
    [default] = assess_device(_with_fast_coagulation(100.0))
    assert default.train.startswith("short pulses")
    assert worst.od_required - default.od_required == pytest.approx(
        math.log10(2000.0 * 0.126 / (20.0 * 3.1416)), abs=0.01
    )
    assert worst.nohd > 0 and worst.nohd_diffuse > 0


def test_average_power_cap_adds_the_fast_weak_train():
    """With a 6.3 W average power, 3.1 J pulses fire at 2 Hz only; weaker pulses of
    6.3 W / 20 Hz = 0.315 J reach the highest rate. Both trains are assessed; where the
    average-power rule decides they need the same eyewear (same power, same MPE(T))."""
    device = dataclasses.replace(
        load_device("tunable_er_yag"), average_power_max=6.3, coagulation=None
    )
    trains = dict(device_pulse_trains(device))
    slow = trains["short pulses of 250 µs"]
    fast = trains["short pulses of 250 µs at the highest rate"]
    assert slow[2] == pytest.approx(6.3 / slow[0])
    assert fast[0] == pytest.approx(0.315) and fast[2] == pytest.approx(20.0)
    lines = [
        _assess_pulse(device, device.wavelength, pulse, ACCIDENTAL_EXPOSURE)
        for pulse in (slow, fast)
    ]
    assert [line.rule for line in lines] == ["average_power", "average_power"]
    assert lines[0].od_required == pytest.approx(lines[1].od_required)
    [worst] = assess_device(device)
    assert worst.od_required == pytest.approx(max(line.od_required for line in lines))
