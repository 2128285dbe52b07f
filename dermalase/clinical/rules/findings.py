"""Findings: what evaluating the rules (or shaping a draft) found, with rule and source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dermalase.clinical.names import rule_name
from dermalase.exceptions import RefusalError

#: Severities of a finding, most severe first.
SEVERITIES = ("refusal", "override", "warning", "info")

#: Rule id of findings about the listed devices (not a clinical rule; not overridable).
DEVICE_RULE = "devices.modality"

#: Rule id of findings where the recovery model limited a draft to the downtime.
DOWNTIME_RULE = "recovery.downtime"

#: Rule id of findings about a depth the physician set (``[depth.AREA]``): the planner
#: checked it instead of choosing it.
PHYSICIAN_RULE = "physician.depth"


@dataclass(frozen=True)
class Finding:
    """One result of evaluating the rules.

    Parameters
    ----------
    rule : str
        Id of the rule (or ``devices.modality``, ``recovery.downtime``).
    severity : str
        ``"refusal"``, ``"override"``, ``"warning"`` or ``"info"``.
    message : str
        Plain-language message with the values that triggered it.
    source : str
        Full references of the rule's sources.
    """

    rule: str
    severity: str
    message: str
    source: str

    def to_dict(self) -> dict:
        """JSON-ready view with the keys of the plan's ``findings``.

        ``title`` is the rule's clinical name, which documents show instead of the id.
        """
        return {
            "rule": self.rule,
            "title": rule_name(self.rule),
            "severity": self.severity,
            "message": self.message,
            "source": self.source,
        }


def raise_for_refusal(findings: Iterable[Finding]) -> None:
    """Raise :class:`~dermalase.exceptions.RefusalError` for the first refusal, if any.

    Parameters
    ----------
    findings : iterable of Finding
        Findings from :func:`~dermalase.clinical.rules.evaluate`.

    Raises
    ------
    RefusalError
        Naming the refusing rule, its message and its source (exit code 3).
    """
    for finding in findings:
        if finding.severity == "refusal":
            raise RefusalError(finding.rule, finding.message, finding.source)
