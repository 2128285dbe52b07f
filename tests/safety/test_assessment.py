"""Wiring tests of the device assessment: bundled devices, invariants, beam geometry."""

from __future__ import annotations

import dataclasses

import pytest

from dermalase.devices import bundled_device_files, load_device, read_device_file
from dermalase.exceptions import InputError
from dermalase.safety.assessment import ACCIDENTAL_EXPOSURE, assess_device
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


def test_device_below_1400_nm_refused():
    device = dataclasses.replace(load_device("pulsed_co2"), wavelength=1064e-9)
    with pytest.raises(InputError, match="wavelength"):
        assess_device(device)


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
