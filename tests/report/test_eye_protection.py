"""The plan's eye-protection section: laser-safety figures carried once, drawn by HTML and PDF."""

import copy
import io
import re

import jsonschema
import pytest
from pypdf import PdfReader

from dermalase.clinical import Consultation
from dermalase.clinical.planner import TreatmentPlanner
from dermalase.report import plan_schema, render_html, write_report
from dermalase.safety.assessment import assess_device

from .conftest import MICRO_PEEL

#: Treatment areas inside the orbital rim, where eyewear cannot be worn (comfort.toml).
INSIDE_ORBITAL_RIM = {"full_face", "periorbital"}


def test_plan_figures_are_those_of_assess_device_for_the_planned_settings(planned):
    plan, data, _ = planned
    assert len(data["laser_safety"]) == len(plan.areas)
    for area, entry in zip(plan.areas, data["laser_safety"], strict=True):
        expected = assess_device(area.device, settings=area.dose.settings)
        assert entry["area"] == area.prescription.area
        assert entry["device"] == area.device.name
        for line, shown in zip(expected, entry["wavelengths"], strict=True):
            assert {key: shown[key] for key in line.summary()} == line.summary()
        # the planned pulse is the one the device is told
        settings = area.dose.settings
        assert shown["pulse_duration_us"] == pytest.approx(settings.pulse_duration * 1e6)
        assert shown["wavelength_nm"] == pytest.approx(settings.wavelength * 1e9)


def test_planned_settings_never_need_more_than_the_device_worst_case(planned):
    # Settings within the device's limits: no larger pulse, no shorter one, no faster
    # rate, no smaller spot than the worst case, so no denser eyewear, no longer NOHD.
    plan, _, _ = planned
    for area in plan.areas:
        [worst] = assess_device(area.device)
        for line in area.laser_safety:
            assert line.od_required <= worst.od_required
            assert line.nohd <= worst.nohd
            assert line.nohd_delivery_arm <= worst.nohd_delivery_arm


def test_corneal_shields_inside_the_orbital_rim_only(planned):
    _, data, _ = planned
    for entry in data["laser_safety"]:
        shields = entry["corneal_shields"]
        if entry["area"] in INSIDE_ORBITAL_RIM:
            assert "corneal" in shields["instruction"] and "orbital rim" in shields["reason"]
            assert "Blanco" in shields["source"]
        else:
            assert shields is None


def test_neck_only_plan_names_no_corneal_shields():
    neck = TreatmentPlanner().plan(
        Consultation(**(MICRO_PEEL | {"areas": ["neck"]})), start_date="2026-03-02"
    )
    data = neck.to_dict()
    [entry] = data["laser_safety"]
    assert entry["area"] == "neck" and entry["corneal_shields"] is None
    assert "corneal" not in data["anaesthesia"]["eye_protection"]


def _numbers(data):
    """The OD and NOHD figures as the section prints them."""
    for entry in data["laser_safety"]:
        for line in entry["wavelengths"]:
            yield f"{line['od_required']:.2f}"
            yield f"{line['exposure_duration_s']:g} s"
            yield f"{line['nohd_m']:.2f} m"
            yield f"{line['nohd_diffuse_m']:.2f} m"
            yield f"{line['wavelength_nm']:g} nm"


def test_html_and_pdf_show_the_od_and_nohd(planned, tmp_path):
    _, data, figures = planned
    html = render_html(data, figures)
    paths = write_report(data, figures, tmp_path / "out")
    reader = PdfReader(io.BytesIO(paths["pdf"].read_bytes()))
    pdf = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    section = html[html.index('id="laser-safety"') :]
    for number in _numbers(data):
        assert number in section, number
        assert number in pdf, number
    for entry in data["laser_safety"]:
        for line in entry["wavelengths"]:
            assert " ".join(line["hazard_zone"].split())[:60] in pdf
            assert re.search(r"wears OD ≥ [\d.]+ at [\d.]+ nm eyewear", line["hazard_zone"])
        if entry["corneal_shields"]:
            assert "Corneal shields" in section and "Corneal shields" in pdf


def test_schema_validates_laser_safety_and_rejects_a_negative_od(planned):
    _, data, _ = planned
    jsonschema.validate(data, plan_schema())
    broken = copy.deepcopy(data)
    broken["laser_safety"][0]["wavelengths"][0]["od_required"] = -1.0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, plan_schema())
    renamed = copy.deepcopy(data)
    line = renamed["laser_safety"][0]["wavelengths"][0]
    line["nohd"] = line.pop("nohd_m")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(renamed, plan_schema())
