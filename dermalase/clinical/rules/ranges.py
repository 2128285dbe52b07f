"""Ranges and limits of a draft: envelopes, positions, steps and the bisection they share.

The drafting of the rules (:mod:`~dermalase.clinical.rules.drafting`) and the check of a
physician's depth (:mod:`~dermalase.clinical.rules.physician`) place a target in the
indicated ranges and round it down to steps that keep it within every limit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from dermalase.clinical.names import (
    rule_name,
)
from dermalase.clinical.rules.findings import Finding
from dermalase.clinical.rules.schema import (
    IndicationRule,
)

# Drafts are rounded down to these steps, so that they stay within every limit.
_DEPTH_STEP = 1e-7  # 0.1 µm
_COVERAGE_STEP = 1e-3  # 0.1 %
_BISECTIONS = 60


def _floor(value: float, step: float) -> float:
    """Round down to a step, tolerating binary representation error."""
    return math.floor(round(value / step, 6)) * step


def _largest_within(function: Callable[[float], float], low: float, high: float, limit: float):
    """Largest x in [low, high] with function(x) <= limit, for a non-decreasing function.

    Returns None when even ``function(low)`` exceeds the limit.
    """
    if function(high) <= limit:
        return high
    if function(low) > limit:
        return None
    for _ in range(_BISECTIONS):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if function(middle) <= limit else (low, middle)
    return low


def _envelope(indications: list[IndicationRule], modality: str, name: str) -> tuple[float, float]:
    """Range of one quantity over the indications offering a modality: (max low, max high)."""
    pairs = [
        getattr(getattr(rule, modality), name)
        for rule in indications
        if getattr(rule, modality) is not None
    ]
    return max(low for low, _ in pairs), max(high for _, high in pairs)


def _position(low: float, high: float, fraction: float) -> float:
    return low + fraction * (high - low)


@dataclass
class _Shaping:
    """Findings and rule ids collected while a draft is shaped."""

    findings: list[Finding] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    def capped(self, rule: str, source_text: str, what: str, target: float, limit: float):
        """Record a cap that binds: ``what`` names the area and quantity, ``"... [µm]"``."""
        if target > limit:
            quantity, _, unit = what.rpartition(" [")
            unit = unit.rstrip("]")
            message = (
                f"{quantity} capped at {limit:.1f} {unit} by the rule "
                f"\u201c{rule_name(rule)}\u201d (indicated {target:.1f} {unit})"
            )
            self.findings.append(Finding(rule, "info", message, source_text))
