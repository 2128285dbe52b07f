"""The published JSON Schemas: the treatment plan and the consultation.

The plan is ``plan.json`` and ``plan --json``; the consultation is the file a plan
is made from (``dermalase schema consultation``).
"""

from __future__ import annotations

import re

from dermalase.safety.repetitive_pulses import RULES

_NUMBER = {"type": "number"}
_INTEGER = {"type": "integer"}
_STRING = {"type": "string"}
_STRINGS = {"type": "array", "items": _STRING}
_MODALITY = {"enum": ["full_field", "fractional"]}


def _object(properties: dict, required: tuple[str, ...] | None = None, strict=True) -> dict:
    schema: dict[str, object] = {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
    }
    if strict:
        schema["additionalProperties"] = False
    return schema


def plan_schema() -> dict:
    """Return the JSON Schema (draft 2020-12) of the plan object.

    Returns
    -------
    dict
        Strict on every key the plan contract fixes (units in the key names);
        the device settings, scan figures and history stay open to the keys
        of the device kind and the consultation.
    """
    settings = _object(
        {
            "wavelength_nm": _NUMBER,
            "pulse_mode": {"type": ["string", "null"]},
            "pulse_duration_us": _NUMBER,
            "pulses": _INTEGER,
            "passes": _INTEGER,
            "repetition_rate_hz": _NUMBER,
            "spot_diameter_um": {"type": ["number", "null"]},
            "coverage_percent": _NUMBER,
        },
        strict=False,
    )
    predicted = _object(
        {
            "ablation_depth_um": _NUMBER,
            "coagulation_depth_um": _NUMBER,
            "total_depth_um": _NUMBER,
            "coverage_percent": _NUMBER,
            "mtz_diameter_um": _NUMBER,
            "char_thickness_um": {"type": ["number", "null"]},
            "layers_reached": _STRINGS,
        },
        required=(
            "ablation_depth_um",
            "coagulation_depth_um",
            "total_depth_um",
            "coverage_percent",
            "layers_reached",
        ),
    )
    scan = _object(
        {
            "area_cm2": _NUMBER,
            "spots": _INTEGER,
            "passes": _INTEGER,
            "coverage_percent": _NUMBER,
            "firing_seconds": _NUMBER,
            "treatment_minutes": _NUMBER,
            "min_spacing_within_window_mm": {"type": ["number", "null"]},
            "max_bulk_temperature_rise_c": _NUMBER,
            "order": _STRING,
        },
        strict=False,
    )
    area = _object(
        {
            "area": _STRING,
            "modality": _MODALITY,
            "treatment": _STRING,
            "figure_area": _STRING,
            "wavelength_nm": _NUMBER,
            "ablation_depth_um": _NUMBER,
            "coagulation_depth_um": _NUMBER,
            "coverage_percent": _NUMBER,
            "passes": _INTEGER,
            "device": _STRING,
            "device_name": _STRING,
            "settings": settings,
            "predicted": predicted,
            "deviation_um": _NUMBER,
            "scan": scan,
            "treatment_minutes": _NUMBER,
        }
    )
    metres = {"type": ["number", "null"], "minimum": 0}
    wavelength_safety = _object(
        {
            "wavelength_nm": _NUMBER,
            "exposure_duration_s": {"type": "number", "exclusiveMinimum": 0},
            "mpe_eye_j_m2": {"type": "number", "exclusiveMinimum": 0},
            "mpe_skin_j_m2": {"type": "number", "exclusiveMinimum": 0},
            "mpe_rule": {"enum": list(RULES)},
            "nohd_m": metres,
            "nohd_diffuse_m": metres,
            "nohd_delivery_arm_m": metres,
            "od_required": {"type": "number", "minimum": 0},
            "exposure_at_eye_j_m2": _NUMBER,
            "pulse_energy_mj": _NUMBER,
            "pulse_duration_us": _NUMBER,
            "repetition_rate_hz": _NUMBER,
            "hazard_zone": _STRING,
        }
    )
    laser_safety = _object(
        {
            "area": _STRING,
            "device": _STRING,
            "device_name": _STRING,
            "wavelengths": {"type": "array", "items": wavelength_safety, "minItems": 1},
            "corneal_shields": {
                "oneOf": [
                    {"type": "null"},
                    _object({"instruction": _STRING, "reason": _STRING, "source": _STRING}),
                ]
            },
            "sources": _STRINGS,
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "dermalase:plan",
        "title": "dermalase treatment plan",
        **_object(
            {
                "dermalase_version": _STRING,
                "created": _STRING,
                "consultation_file": {"type": ["string", "null"]},
                "patient": _object(
                    {
                        "age": _INTEGER,
                        "skin_type": {"enum": ["I", "II", "III", "IV", "V", "VI"]},
                        "conditions": _STRINGS,
                        "downtime_days": _NUMBER,
                        "correction": {"enum": ["mild", "moderate", "marked"]},
                        "history": {"type": "object"},
                        "areas_requested": _STRINGS,
                        "identifier": _STRING,
                        "notes": _STRING,
                    }
                ),
                "areas": {"type": "array", "items": area, "minItems": 1},
                "treatment_minutes": _NUMBER,
                "session": _object(
                    {
                        "steps": {
                            "type": "array",
                            "items": _object({"step": _STRING, "duration_minutes": _NUMBER}),
                        },
                        "treatment_minutes": _NUMBER,
                        "session_minutes": _NUMBER,
                        "comparison": _STRING,
                        "source": _STRING,
                    }
                ),
                "course": _object(
                    {
                        "sessions": {"type": "integer", "minimum": 1},
                        "interval_weeks": {"type": ["number", "null"]},
                        "dates": {"type": "array", "items": {"type": "string", "format": "date"}},
                        "maintenance_months": {"type": ["number", "null"]},
                    }
                ),
                "anaesthesia": _object(
                    {
                        "method": _STRING,
                        "summary": _STRING,
                        "steps": _STRINGS,
                        "cooling": _STRING,
                        "eye_protection": _STRING,
                        "source": _STRING,
                    }
                ),
                "laser_safety": {"type": "array", "items": laser_safety},
                "recovery": _object(
                    {
                        "reepithelialized_day": _NUMBER,
                        "makeup_day": _NUMBER,
                        "erythema_weeks": _NUMBER,
                        "remodeling_months": _NUMBER,
                        "swelling_days": _NUMBER,
                        "sun_avoidance_days": _NUMBER,
                        "phases": {
                            "type": "array",
                            "items": _object({"day": _INTEGER, "phase": _STRING}),
                        },
                    }
                ),
                "aftercare": {
                    "type": "array",
                    "items": _object({"instruction": _STRING, "when": _STRING, "source": _STRING}),
                },
                "findings": {
                    "type": "array",
                    "items": _object(
                        {
                            "rule": {"type": "string", "minLength": 1},
                            "title": {"type": "string", "minLength": 1},
                            "severity": {"enum": ["refusal", "warning", "info", "override"]},
                            "message": _STRING,
                            "source": {"type": "string", "minLength": 1},
                        }
                    ),
                },
                "overrides": {
                    "type": "array",
                    "items": _object(
                        {"rule": _STRING, "reason": {"type": "string", "minLength": 1}}
                    ),
                },
                "models": {"type": "object", "additionalProperties": _STRING},
                "sources": _STRINGS,
                "secondary_sources": _STRINGS,
                "files": {"type": "object", "additionalProperties": _STRING},
            },
            required=(
                "dermalase_version",
                "created",
                "patient",
                "areas",
                "treatment_minutes",
                "course",
                "anaesthesia",
                "recovery",
                "aftercare",
                "findings",
                "overrides",
                "sources",
            ),
        ),
    }


#: reStructuredText roles and literals in a docstring (``:data:`CONDITIONS` ``, ````"I"````).
_MARKUP = r":\w+:`~?([\w.]+)`|``([^`]*)``"


def _field_descriptions(model) -> dict[str, str]:
    """Each field's description, read from the numpydoc Parameters section of ``model``."""
    text = model.__doc__ or ""
    section = text.split("Parameters\n    ----------\n", 1)[-1]
    descriptions: dict[str, list[str]] = {}
    current = None
    for line in section.splitlines():
        header = re.match(r"^    (\w+) : ", line)
        if header:
            current = header.group(1)
            descriptions[current] = []
        elif current and line.startswith("        "):
            descriptions[current].append(line.strip())
        elif line.strip():
            current = None
    return {
        name: re.sub(_MARKUP, lambda m: m.group(1) or m.group(2), " ".join(words))
        for name, words in descriptions.items()
    }


def _names(canonical, aliases: dict[str, str], what: str) -> dict:
    """A list of names: the canonical ones, then the other spellings the reader accepts."""
    return {
        "enum": [*canonical, *aliases],
        "x-aliases": dict(aliases),
        "description": (
            f"one of the {what}: {', '.join(canonical)}; other spellings accepted: "
            + ", ".join(f"{alias} = {name}" for alias, name in aliases.items())
        ),
    }


def _name_list(names: dict) -> dict:
    return {"type": "array", "items": {"type": "string", **names}, "minItems": 1}


def consultation_schema() -> dict:
    """Return the JSON Schema (draft 2020-12) of a consultation file (TOML or JSON).

    Built from the pydantic model of :class:`~dermalase.clinical.consultation.Consultation`:
    every field with its type, range and default, its description from the model's
    docstring, and the names the reader accepts (conditions, treatment areas with their
    aliases, devices, degrees of correction, skin types).

    Returns
    -------
    dict
        The schema. Names are compared after the reader's spelling rules (case, spaces
        and hyphens ignored: ``"Fine lines"`` is ``fine_lines``); a single name stands
        for a list of one.
    """
    from dermalase.clinical import consultation as reader

    schema = reader.Consultation.model_json_schema()
    history = schema["$defs"]["History"]
    dial = schema["$defs"]["PhysicianDepth"]
    for model, part in (
        (reader.Consultation, schema),
        (reader.History, history),
        (reader.PhysicianDepth, dial),
    ):
        descriptions = _field_descriptions(model)
        for name, field in part["properties"].items():
            field.pop("title", None)
            field["description"] = descriptions.get(name, "")
        part["description"] = (model.__doc__ or "").strip().splitlines()[0]
    fields = schema["properties"]
    spelling = " Case, spaces and hyphens are ignored; a single name counts as a list of one."
    for name, names in (
        ("conditions", _names(reader.CONDITIONS, reader.CONDITION_ALIASES, "conditions")),
        ("areas", _names(reader.TREATMENT_AREAS, reader.AREA_ALIASES, "treatment areas")),
    ):
        listing = names.pop("description")
        fields[name] |= _name_list(names)
        fields[name]["description"] += f" {listing[0].upper()}{listing[1:]}.{spelling}"
    fields["conditions"]["items"]["x-meanings"] = dict(reader.CONDITIONS)
    devices = list(reader.device_names())
    fields["devices"] |= {"items": {"type": "string", "enum": devices}}
    fields["devices"]["description"] += f" Known devices: {', '.join(devices)}."
    fields["correction"] = {
        "enum": list(reader.CORRECTIONS),
        "description": fields["correction"]["description"],
    }
    numerals = list(reader.ROMAN_SKIN_TYPES)
    fields["skin_type"] = {
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": 6},
            {"enum": numerals + [str(number) for number in reader.ROMAN_SKIN_TYPES.values()]},
        ],
        "description": fields["skin_type"]["description"],
    }
    fields["start_date"]["anyOf"][0] |= {
        "formatMinimum": reader.START_DATE_RANGE[0].isoformat(),
        "formatMaximum": reader.START_DATE_RANGE[1].isoformat(),
    }
    return {
        **schema,
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "dermalase:consultation",
        "title": "dermalase consultation",
    }


#: Schemas ``dermalase schema NAME`` prints.
SCHEMAS = {"plan": plan_schema, "consultation": consultation_schema}
