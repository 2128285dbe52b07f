"""``dermalase scan``: lay, order, time and heat-check the spots over one area."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import typer
from rich.console import Console

from dermalase.cli import options
from dermalase.cli.app import (
    SOURCES_HELP,
    app,
    counted,
    device_title,
    emit,
    json_mode,
    key_value_table,
    print_sources,
)
from dermalase.exceptions import InputError
from dermalase.units import (
    J_CM2_PER_J_M2,
    MJ_PER_J,
    MM_PER_M,
    PERCENT_PER_FRACTION,
    UM_PER_M,
    US_PER_S,
    check_range,
    parse_quantity,
)

#: File suffixes read as GeoJSON areas.


def _area(text: str):
    """A built-in template by name, or a GeoJSON file (by suffix or because it exists)."""
    from dermalase.scanner.areas import find_area

    return find_area(text)


def _quantity(text: str | None, unit: str, field: str, **limits) -> float | None:
    """Parse ``text`` into ``unit`` and check its range; None stays None."""
    if text is None:
        return None
    return check_range(parse_quantity(text, unit, field), field, **limits)


def _midpoint(limits) -> float:
    """Middle of a device setting range (the default fluence or energy)."""
    return 0.5 * (limits.minimum + limits.maximum)


@app.command()
def scan(
    area: str = typer.Option(
        ..., help="Area: full_face, a template name (see the areas list), or FILE.geojson in mm."
    ),
    device: str = typer.Option(..., help="Device profile name (see `dermalase devices`)."),
    fractional: bool = typer.Option(
        False, "--fractional", help="Fractional MTZ lattice instead of full-field tiling."
    ),
    coverage: str = typer.Option(
        None, help="Fractional coverage per pass, e.g. 20%; required with --fractional."
    ),
    spot: str = typer.Option(
        None, help="Spot or microbeam diameter, e.g. 250um; default the device's largest."
    ),
    zone: str = typer.Option(
        None,
        help="Fractional: treatment zone (MTZ) diameter each microbeam leaves, e.g. 300um; "
        "coverage and density steps count it. Default: the spot.",
    ),
    overlap: str = typer.Option(
        None,
        help="Full-field overlap, a fraction of the spot diameter, e.g. 10%; default the "
        "device's lowest recommended overlap, else its lowest overlap.",
    ),
    fluence: str = typer.Option(
        None,
        help="Full-field fluence per pulse, e.g. 13J/cm2; default the middle of the device's "
        "fluence range (a placeholder for a prescription, flagged in the output).",
    ),
    energy: str = typer.Option(
        None,
        help="Fractional energy per microbeam, e.g. 10mJ; default the middle of the device's "
        "energy range (flagged in the output).",
    ),
    passes: int = typer.Option(1, help="Passes, each offset by half a lattice spacing."),
    order: str = typer.Option(
        "heat-aware", help="Firing order: raster, heat-aware, interleaved or row-interleaved."
    ),
    lattice: str = typer.Option(
        None,
        help="hexagonal or square (full field), staggered, regular or random (fractional).",
    ),
    rep_rate: str = typer.Option(
        None, help="Repetition rate, e.g. 300Hz; default the device's highest within its power."
    ),
    pattern_shape: str = typer.Option(
        None, help="Scanner pattern shape; default the device's first that tiles an area."
    ),
    pattern_size: str = typer.Option(
        None, help="Scanner pattern size, e.g. 20mm; default the device's largest."
    ),
    move_time: str = typer.Option(
        "1s", help="Time to move the handpiece to the next pattern tile (assumption: 1 s)."
    ),
    pass_time: str = typer.Option(
        "30s", help="Setup time before each pass, e.g. wiping debris (assumption: 30 s)."
    ),
    depth: str = typer.Option(
        None,
        help="Fractional column depth, e.g. 300um: heat as columns to that depth instead of "
        "at the surface.",
    ),
    residual_heat: str = typer.Option(
        None,
        help="Fraction of each spot's energy left as heat, e.g. 30%; default: the forward "
        "model's energy ledger of one spot (or column) at these settings.",
    ),
    pulse: str = typer.Option(
        None,
        help="Pulse duration of the spot simulated for its residual heat, e.g. 250us; "
        "default the shortest of the device's first pulse mode.",
    ),
    chilled_air: bool = typer.Option(
        True,
        "--chilled-air/--no-chilled-air",
        help="Forced chilled-air cooling during the scan (every plan prescribes it); the "
        "epidermal peak is reported with and without it either way.",
    ),
    seed: int = typer.Option(0, help="Seed of the random lattice."),
    png: str = typer.Option(
        None,
        help="Write one PNG with two panels: the spots coloured by firing time, and the "
        "local fluence (full field) or coverage (fractional) map.",
    ),
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Plan the scan of one treatment area: spots, order, time and bulk heating."""
    json_mode(as_json)
    from dermalase.devices import PATTERN_SHAPES, load_device
    from dermalase.scanner.figures import plot_scan
    from dermalase.scanner.order import ORDERS
    from dermalase.scanner.pattern import LATTICES, TILINGS
    from dermalase.scanner.plan import scan_area

    lattices = TILINGS if not fractional else LATTICES

    profile = load_device(device)
    treatment_area = _area(area)
    modality = "fractional" if fractional else "full_field"
    defaults: list[str] = []
    spot_diameter = None if spot is None else options.spot(spot, "--spot", options.SCAN_SPOT_RANGE)
    if spot_diameter is None:
        spot_diameter = profile.spot_diameter.maximum
        defaults.append("spot")
    coverage_value = _quantity(
        coverage,
        "dimensionless",
        "--coverage",
        low=0.0,
        high=1.0,
        shown="%",
        scale=PERCENT_PER_FRACTION,
    )
    overlap_value = _quantity(
        overlap,
        "dimensionless",
        "--overlap",
        low=0.0,
        low_inclusive=True,
        high=0.9,
        shown="%",
        scale=PERCENT_PER_FRACTION,
    )
    if fractional:
        if coverage_value is None:
            raise InputError("--coverage", "missing", "give it with --fractional, e.g. 20%")
        if overlap is not None:
            raise InputError("--overlap", overlap, "applies to full field, not --fractional")
        if fluence is not None:
            raise InputError("--fluence", fluence, "fractional work takes --energy per microbeam")
    elif zone is not None:
        raise InputError("--zone", zone, "applies with --fractional only")
    else:
        if coverage is not None:
            raise InputError("--coverage", coverage, "applies with --fractional only")
        if energy is not None or depth is not None:
            raise InputError(
                "--energy" if energy is not None else "--depth",
                energy if energy is not None else depth,
                "applies with --fractional only; full field takes --fluence",
            )
        if overlap_value is None:
            overlap_value = _default_overlap(profile)
            defaults.append("overlap")
    fluence_value = _quantity(
        fluence, "J/m**2", "--fluence", low=0.0, high=1e7, shown="J/cm2", scale=J_CM2_PER_J_M2
    )
    energy_value = _quantity(
        energy, "J", "--energy", low=0.0, high=10.0, shown="mJ", scale=MJ_PER_J
    )
    if not fractional and fluence_value is None and profile.fluence is not None:
        fluence_value = _midpoint(profile.fluence)
        defaults.append("fluence")
    if fractional and energy_value is None and profile.energy is not None:
        energy_value = _midpoint(profile.energy)
        defaults.append("energy")
    if rep_rate is None:
        defaults.append("rep_rate")
    plan = scan_area(
        treatment_area,
        spot_diameter,
        modality,
        device=profile,
        zone_diameter=(
            None if zone is None else options.spot(zone, "--zone", options.SCAN_SPOT_RANGE)
        ),
        fluence=fluence_value,
        energy=energy_value,
        coverage=coverage_value,
        overlap=overlap_value,
        passes=passes,
        order=options.name(order, ORDERS, "--order"),
        lattice=None if lattice is None else options.name(lattice, lattices, "--lattice"),
        repetition_rate=None if rep_rate is None else options.rate(rep_rate, "--rep-rate"),
        pattern_shape=(
            None
            if pattern_shape is None
            else options.name(pattern_shape, PATTERN_SHAPES, "--pattern-shape")
        ),
        pattern_size=_quantity(
            pattern_size, "m", "--pattern-size", low=0.0, high=1.0, shown="mm", scale=MM_PER_M
        ),
        move_time=_quantity(
            move_time, "s", "--move-time", low=0.0, low_inclusive=True, high=600.0, shown="s"
        ),
        pass_setup_time=_quantity(
            pass_time, "s", "--pass-time", low=0.0, low_inclusive=True, high=3600.0, shown="s"
        ),
        column_depth=_quantity(
            depth, "m", "--depth", low=0.0, high=5e-3, shown="um", scale=UM_PER_M
        ),
        residual_heat_fraction=_quantity(
            residual_heat,
            "dimensionless",
            "--residual-heat",
            low=0.0,
            low_inclusive=True,
            high=1.0,
            shown="%",
            scale=PERCENT_PER_FRACTION,
        ),
        seed=seed,
        pulse_duration=_quantity(
            pulse, "s", "--pulse", low=0.0, high=1.0, shown="us", scale=US_PER_S
        ),
        chilled_air=chilled_air,
    )
    payload = plan.to_dict()
    payload["area_size_source"] = treatment_area.size_source
    payload["settings_from_defaults"] = defaults
    payload["png"] = None
    if png is not None:
        payload["png"] = str(plot_scan(treatment_area, plan, Path(png)))
    emit(payload, as_json, partial(_render_plan, sources=sources))


def _default_overlap(profile) -> float:
    """The device's lowest recommended overlap, else its lowest overlap, else none [-]."""
    scanner = profile.scanner
    if scanner is None or scanner.overlap is None:
        return 0.0
    if scanner.overlap_recommended is not None:
        return scanner.overlap_recommended.minimum
    return scanner.overlap.minimum


def _render_plan(result: dict, sources: bool = False) -> None:
    from dermalase.clinical.names import area_name, modality_name

    console = Console()
    table = key_value_table(
        f"{modality_name(result['modality']).capitalize()} of the "
        f"{area_name(result['area'])} with {device_title(result['device'])}"
    )
    table.add_row("Area", f"{result['area_cm2']:.1f} cm²")
    table.add_row("Spots", f"{result['spots']:,} in {counted(result['passes'], 'pass', 'passes')}")
    table.add_row("Spot diameter", f"{result['spot_diameter_um']:g} µm")
    if result["zone_diameter_um"] != result["spot_diameter_um"]:
        table.add_row("Zone diameter", f"{result['zone_diameter_um']:g} µm")
    table.add_row("Coverage per pass", f"{result['coverage_percent']:.1f} %")
    if result["fluence_min_j_cm2"] is not None:
        table.add_row(
            "Local fluence, one pass",
            f"{result['fluence_min_j_cm2']:g}-{result['fluence_max_j_cm2']:g} J/cm² "
            f"(pulse {result['fluence_j_cm2']:g} J/cm²)",
        )
    if result["energy_per_spot_mj"] is not None:
        table.add_row("Energy per spot", f"{result['energy_per_spot_mj']:g} mJ")
    table.add_row(
        "Pattern",
        f"{result['pattern_shape']} {result['pattern_size_mm']:g} mm, "
        f"{result['tiles']} tiles, {result['repetition_rate_hz']:g} Hz",
    )
    table.add_row("Firing time", f"{result['firing_seconds']:.0f} s")
    table.add_row("Treatment time", f"{result['treatment_minutes']:.1f} min")
    versus = result["versus_raster"]
    spacing = result["min_spacing_within_window_mm"]
    table.add_row(
        f"Closest spots within {result['thermal_window_s'] * 1e3:.0f} ms",
        "none" if spacing is None else f"{spacing:.3f} mm",
    )
    residual = result["residual_heat"]
    table.add_row(
        "Residual heat per spot",
        f"{residual['per_spot_mj']:.4g} mJ ({residual['model']})",
    )
    table.add_row("Peak bulk temperature rise", f"{result['max_bulk_temperature_rise_c']:.2f} °C")
    cooling = result["cooling"]
    table.add_row(
        "With chilled air",
        f"{cooling['max_bulk_temperature_rise_c']:.2f} °C "
        f"(h {cooling['heat_transfer_coefficient_w_m2k']:g} W/(m² K)"
        f"{'' if cooling['chilled_air'] else ', not prescribed'})",
    )
    peak = result["epidermal_peak_temperature_c"]
    if peak["without_cooling_c"] is not None:
        if peak["set_by_ablation_front"]:
            table.add_row(
                "Hottest tissue",
                f"{peak['without_cooling_c']:.1f} °C at the ablation front "
                f"(one spot {peak['single_spot_c']:.1f} °C + bulk rise; cooling does not "
                "lower it)",
            )
        else:
            table.add_row(
                "Epidermal peak",
                f"{peak['without_cooling_c']:.1f} °C without cooling, "
                f"{peak['with_cooling_c']:.1f} °C with chilled air "
                f"(one spot {peak['single_spot_c']:.1f} °C + bulk rise)",
            )
    skin = result["skin_before_spot_c"]
    table.add_row(
        "Skin before a spot fires",
        f"{skin['without_cooling_c']:.1f} °C without cooling, "
        f"{skin['with_cooling_c']:.1f} °C with chilled air "
        f"(skin held at {cooling['skin_temperature_c']:g} °C)",
    )
    table.add_row("Order", result["order"])
    if result["order"] != "raster":
        raster_spacing = versus["raster_min_spacing_within_window_mm"]
        table.add_row(
            "Raster order for comparison",
            f"{'none' if raster_spacing is None else f'{raster_spacing:.3f} mm'}, "
            f"{versus['raster_max_bulk_temperature_rise_c']:.2f} °C "
            f"({versus['temperature_reduction_c']:.2f} °C cooler)",
        )
    if result["settings_from_defaults"]:
        table.add_row("Taken from defaults", ", ".join(result["settings_from_defaults"]))
    if result["png"]:
        table.add_row("Picture", result["png"])
    console.print(table)
    print_sources(console, result["sources"], sources)
