"""The plan figures: drawn from real physics and scans, labelled with units, readable in print."""

import re
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.collections import EllipseCollection, PathCollection, QuadMesh
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.text import Text

from dermalase.devices import load_device
from dermalase.dosimetry import dose
from dermalase.forward.fractional import simulate_column
from dermalase.forward.full_field import simulate
from dermalase.prescription import Prescription
from dermalase.report import figures
from dermalase.scanner.areas import template
from dermalase.scanner.plan import scan_area
from dermalase.tissue import skin_model

UNIT = re.compile(r"\[[^\]]+\]")

RECOVERY = {
    # A micro peel: re-epithelialised by day 3, make-up on day 5, erythema two
    # weeks, remodelling four months (the brief's clinically plausible values).
    "reepithelialized_day": 3,
    "makeup_day": 5,
    "erythema_weeks": 2,
    "remodeling_months": 4,
    "swelling_days": 2,
    "sun_avoidance_days": 14,
    "phases": [
        {"day": 0, "phase": "redness"},
        {"day": 1, "phase": "redness"},
        {"day": 2, "phase": "bronzing"},
        {"day": 3, "phase": "dryness"},
        {"day": 4, "phase": "flaking"},
        {"day": 5, "phase": "new skin"},
    ],
}
SINGLE_SESSION = {
    "sessions": 1,
    "interval_weeks": None,
    "dates": ["2026-03-02"],
    "maintenance_months": None,
}
COURSE = {
    "sessions": 3,
    "interval_weeks": 6,
    "dates": ["2026-03-02", "2026-04-13", "2026-05-25"],
    "maintenance_months": 12,
}


@pytest.fixture(scope="module")
def cheek():
    return skin_model("cheek")


@pytest.fixture(scope="module")
def micro_peel(cheek):
    """A 30 µm + 20 µm micro peel on the cheek, solved and run again with snapshots."""
    device = load_device("tunable_er_yag")
    result = dose(
        Prescription(
            area="cheek",
            modality="full_field",
            wavelength=device.wavelength,
            ablation_depth=30e-6,
            coagulation_depth=20e-6,
        ),
        device,
    )
    settings = result.settings
    times = np.array([0.5, 1.0, 3.0, 30.0]) * settings.pulse_duration
    return result, simulate(settings, cheek, snapshot_times=times)


@pytest.fixture(scope="module")
def column(cheek):
    # a CO2 microbeam: its column has a coagulation sleeve (an Er:YAG crater
    # keeps the top-hat spot and leaves almost none)
    return simulate_column(10.6e-6, 10e-3, 120e-6, cheek, pulse_duration=333e-6)


@pytest.fixture(scope="module")
def cheek_scan(micro_peel):
    result, _ = micro_peel
    settings = result.settings
    return scan_area(
        "cheek",
        settings.spot_diameter,
        "full-field",
        overlap=settings.overlap,
        repetition_rate=settings.repetition_rate,
        heat_per_spot=0.05,
    )


def _texts(figure: Figure):
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _numeric(text: str) -> bool:
    """Whether a tick label is a number (also mathtext powers of ten, "$\\mathdefault{10^{6}}$")."""
    plain = re.sub(r"[${}]|\\mathdefault", "", text).replace("\u2212", "-")
    try:
        float(re.sub(r"^10\^", "1e", plain))
    except ValueError:
        return False
    return True


def assert_readable(figure: Figure) -> None:
    """Print size, fonts >= 8 pt, a title, and every quantity axis labelled with its unit."""
    width, height = figure.get_size_inches()
    assert width <= figures.PAGE_WIDTH + 1e-9 and height <= 9.0
    figure.canvas.draw()
    small = [(t.get_text(), t.get_fontsize()) for t in _texts(figure) if t.get_fontsize() < 8]
    assert not small, small
    titled = bool(figure._suptitle and figure._suptitle.get_text())
    for axes in figure.axes:
        titled = titled or bool(axes.get_title())
        for axis, label in ((axes.xaxis, axes.get_xlabel()), (axes.yaxis, axes.get_ylabel())):
            ticks = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
            # Named rows (recovery phases) are categories, not quantities.
            if not axis.get_visible() or not ticks or not all(map(_numeric, ticks)):
                continue
            assert UNIT.search(label), f"axis label {label!r} has no unit in brackets"
    assert titled


def test_cross_section_full_field_draws_crater_and_coagulation_to_scale(micro_peel, cheek):
    result, _ = micro_peel
    figure = figures.cross_section_figure(
        cheek,
        "full_field",
        result.ablation_depth,
        result.coagulation_depth,
        ablation_diameter=result.settings.spot_diameter,
    )
    assert_readable(figure)
    axes = figure.axes[0]
    crater, coagulated = (
        next(p for p in axes.patches if isinstance(p, Polygon) and p.get_zorder() == z)
        for z in (3, 2)
    )
    depth_um = result.ablation_depth * 1e6
    total_um = (result.ablation_depth + result.coagulation_depth) * 1e6
    assert crater.get_xy()[:, 1].max() == pytest.approx(depth_um)
    assert coagulated.get_xy()[:, 1].max() == pytest.approx(total_um)
    # The crater spans the spot, in millimetres.
    assert np.ptp(crater.get_xy()[:, 0]) >= result.settings.spot_diameter * 1e3
    # The layers are drawn to scale: the epidermis band ends at its real depth.
    assert axes.get_ylim()[0] > cheek.epidermis_thickness * 1e6
    assert "µm" in axes.get_title()


def test_cross_section_of_a_column_has_its_sleeve_and_floor(column, cheek):
    figure = figures.cross_section_figure(
        cheek,
        "fractional",
        column.ablation_depth,
        column.coagulation_depth,
        ablation_diameter=column.ablation_diameter,
        coagulation_cuff=column.coagulation_cuff,
    )
    assert_readable(figure)
    axes = figure.axes[0]
    void, zone = (
        next(p for p in axes.patches if isinstance(p, Polygon) and p.get_zorder() == z)
        for z in (3, 2)
    )
    depth, below = column.ablation_depth * 1e6, column.coagulation_depth * 1e6
    assert void.get_xy()[:, 1].max() == pytest.approx(depth)
    assert zone.get_xy()[:, 1].max() == pytest.approx(depth + below)
    assert np.ptp(void.get_xy()[:, 0]) == pytest.approx(column.ablation_diameter * 1e6)

    # The sleeve is as thick as the cuff at half the column depth.
    def half_width(patch, z):
        points = patch.get_xy()
        right = points[points[:, 0] >= 0]
        order = np.argsort(right[:, 1])
        return np.interp(z, right[order, 1], right[order, 0])

    sleeve = half_width(zone, depth / 2) - half_width(void, depth / 2)
    assert sleeve == pytest.approx(column.coagulation_cuff * 1e6, rel=0.02)


def test_cross_section_column_width_from_the_mtz(cheek):
    figure = figures.cross_section_figure(
        cheek, "fractional", 300e-6, 40e-6, mtz_diameter=400e-6, coagulation_cuff=50e-6
    )
    void = next(p for p in figure.axes[0].patches if p.get_zorder() == 3)
    assert np.ptp(void.get_xy()[:, 0]) == pytest.approx(300.0)


@pytest.mark.parametrize(
    ("modality", "arguments"),
    [
        ("scalp", {}),
        ("fractional", {}),
        ("full_field", {"ablation_depth": -1e-6}),
    ],
)
def test_cross_section_refuses_what_it_cannot_draw(cheek, modality, arguments):
    depths = {"ablation_depth": 50e-6, "coagulation_depth": 20e-6, **arguments}
    with pytest.raises(ValueError):
        figures.cross_section_figure(cheek, modality, **depths)


def test_thermal_map_of_a_pulse(micro_peel):
    _, effect = micro_peel
    figure = figures.thermal_map_figure(effect)
    assert_readable(figure)
    temperature_axes, damage_axes = figure.axes[:2]
    assert temperature_axes.get_ylabel() == "temperature [°C]"
    snapshots = effect.solution.snapshot_times.size
    profiles = [line for line in temperature_axes.get_lines() if len(line.get_xdata()) > 2]
    assert len(profiles) == snapshots + 1  # one per time, and the peak
    assert damage_axes.get_yscale() == "log"
    omega_one = [line for line in damage_axes.get_lines() if set(line.get_ydata()) == {1.0}]
    assert omega_one, "the Ω = 1 line is missing"
    # Temperatures are drawn in degrees Celsius, between body heat and the
    # 400 degC at which dried tissue decomposes (ablation model 3: dry tissue
    # heats above boiling, as Choi et al. 1999 measured on skin under CO2)
    drawn = np.concatenate([line.get_ydata() for line in profiles])
    assert 36.0 < np.nanmin(drawn) and np.nanmax(drawn) <= 401.0


def test_thermal_map_of_a_column(column):
    figure = figures.thermal_map_figure(column)
    assert_readable(figure)
    maps = [c for axes in figure.axes[:2] for c in axes.collections if isinstance(c, QuadMesh)]
    assert len(maps) == 2
    contours = [c for axes in figure.axes for c in axes.collections if isinstance(c, ContourSet)]
    assert contours, "the Ω = 1 contour is missing"
    labels = {axes.get_xlabel() for axes in figure.axes[:2]}
    assert labels == {"radius from the column axis [µm]"}


def test_thermal_map_refuses_an_unknown_object():
    with pytest.raises(TypeError, match="carries no temperature or damage maps"):
        figures.thermal_map_figure(SimpleNamespace(ablation_depth=1e-5))


def test_scan_draws_every_spot_over_the_outline(cheek_scan):
    area = template("cheek")
    figure = figures.scan_figure(
        area,
        cheek_scan.x,
        cheek_scan.y,
        cheek_scan.t,
        spot_diameter=cheek_scan.spot_diameter,
        passes=cheek_scan.passes,
    )
    assert_readable(figure)
    axes = figure.axes[0]
    (spots,) = [c for c in axes.collections if isinstance(c, EllipseCollection)]
    assert len(spots.get_offsets()) == cheek_scan.spots
    # Coloured by firing time: the first spot fired has the lowest value.
    assert np.argmin(spots.get_array()) == 0
    assert axes.get_aspect() == 1.0
    assert figure.axes[1].get_ylabel() in {"firing time [s]", "firing time [min]"}
    outline = area.polygon.exterior.xy
    assert any(np.allclose(line.get_xdata(), outline[0]) for line in axes.get_lines()), (
        "the area's outline is not drawn"
    )


def test_scan_enlarges_microscopic_spots():
    area = template("glabella")
    plan = scan_area(
        area, 120e-6, "fractional", coverage=0.1, repetition_rate=300.0, heat_per_spot=2e-3
    )
    figure = figures.scan_figure(area, plan.x, plan.y, plan.t, spot_diameter=120e-6)
    assert_readable(figure)
    (dots,) = [c for c in figure.axes[0].collections if isinstance(c, PathCollection)]
    assert len(dots.get_offsets()) == plan.spots
    assert "dots enlarged" in figure.axes[0].get_title()


def test_scan_needs_one_time_per_spot():
    with pytest.raises(ValueError):
        figures.scan_figure(template("chin"), np.zeros(3), np.zeros(3), np.zeros(2))


def test_recovery_timeline():
    figure = figures.recovery_figure(RECOVERY)
    assert_readable(figure)
    days_axes, weeks_axes = figure.axes[:2]
    assert days_axes.get_xlabel() == "days after treatment [day]"
    assert weeks_axes.get_xlabel() == "weeks after treatment [week]"
    # One bar per run of days in the same phase: redness spans days 0-2.
    bars = [(p.get_x(), p.get_width()) for p in days_axes.patches if p.get_y() < 0]
    assert bars[0] == (0.0, 2.0) and len(bars) == 5
    assert 5.0 in {line.get_xdata()[0] for line in days_axes.get_lines()}  # make-up day
    widths = sorted(p.get_width() for p in weeks_axes.patches)
    assert widths[-1] == pytest.approx(4 * 30.4375 / 7)  # four months of remodelling


@pytest.mark.parametrize(
    "course",
    [COURSE, SINGLE_SESSION],
)
def test_course_calendar(course):
    figure = figures.course_figure(course)
    assert_readable(figure)
    axes = figure.axes[0]
    sessions = axes.collections[0].get_offsets()[:, 0]
    assert len(sessions) == course["sessions"]
    if course["interval_weeks"]:
        assert np.allclose(np.diff(sessions), course["interval_weeks"])
    labels = " ".join(t.get_text() for t in axes.texts)
    for date in course["dates"]:
        assert date in labels


def test_figure_keys_and_png():
    assert figures.figure_key("thermal", "neck") == "thermal/neck"
    assert figures.figure_key("course") == "course"
    with pytest.raises(ValueError):
        figures.figure_key("course", "neck")
    with pytest.raises(ValueError):
        figures.figure_key("scan")
    with pytest.raises(ValueError):
        figures.figure_key("histogram")
    png = figures.figure_png(figures.course_figure(COURSE))
    assert png.startswith(b"\x89PNG")
    # The PNG is as wide as the figure at the report's resolution.
    width = int.from_bytes(png[16:20], "big")
    assert width == pytest.approx(figures.PAGE_WIDTH * figures.DPI, abs=2)


def test_every_recovery_phase_has_its_own_colour():
    # the timeline colours phases by the names the recovery model gives them; a phase
    # missing here would be drawn in a fallback colour (as "flaking/peeling" once was)
    from dermalase.clinical.recovery import phases_by_day
    from dermalase.report.figures.recovery_timeline import PHASE_COLOURS

    names = {phase for _, phase in phases_by_day(10.0)}
    assert names <= set(PHASE_COLOURS), names - set(PHASE_COLOURS)
    assert len(set(PHASE_COLOURS.values())) == len(PHASE_COLOURS)
