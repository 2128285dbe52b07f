"""The published JSON Schema of a treatment plan (``plan.json``, ``plan --json``)."""

from __future__ import annotations

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
            "wavelength_nm": _NUMBER,
            "ablation_depth_um": _NUMBER,
            "coagulation_depth_um": _NUMBER,
            "coverage_percent": _NUMBER,
            "passes": _INTEGER,
            "device": _STRING,
            "settings": settings,
            "predicted": predicted,
            "deviation_um": _NUMBER,
            "scan": scan,
            "treatment_minutes": _NUMBER,
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


#: Schemas ``dermalase schema NAME`` prints.
SCHEMAS = {"plan": plan_schema}
