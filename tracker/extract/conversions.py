"""The rules of DESIGN.md that turn one reading into another type or modality, shared by the
trigger rules (sentence_events.py) and the parse frames (frame_events.py)."""

from __future__ import annotations

# What a party "should" do, said by another, is that other's appeal.
OWED = {
    "proposal.accepted", "proposal.rejected", "proposal.under_review", "agreement.reached",
    "talks.held", "agreement.implemented",
}  # fmt: skip


def convert(type_: str, modality: str) -> tuple[str, str]:
    """Rules of DESIGN.md that turn a modality into another type."""
    if type_ == "support.expressed" and modality == "negated":
        return "opposition.expressed", "asserted"  # "does not support" is opposition
    if type_ == "proposal.rejected" and modality == "negated":
        return "proposal.under_review", "asserted"  # "has not objected" is under review
    if type_ == "talks.held" and modality in ("planned", "predicted"):
        return "talks.scheduled", "planned"
    if type_ == "talks.scheduled":
        return type_, ("negated" if modality == "negated" else "planned")
    if type_ == "proposal.under_review" and modality == "planned":
        return type_, "asserted"  # "will study the ideas": under review now
    if type_ == "response.delivered" and modality in ("planned", "predicted"):
        return "proposal.under_review", "asserted"  # "will respond" means still reviewing
    if type_ == "military.action" and modality == "conditional":
        return "threat.issued", "conditional"  # "would invade Rafah if ..." is a threat
    if type_ == "opposition.expressed" and modality == "conditional":
        return "threat.issued", "conditional"  # "would block the deal unless ..."
    if type_ == "military.action" and modality == "planned":
        return "threat.issued", "asserted"
    if type_ == "threat.issued" and modality == "planned":
        return type_, "asserted"  # "warned it will ...": the warning itself happened
    return type_, modality


def red_line(type_: str, modality: str) -> tuple[str, str]:
    """ "Would not accept any deal that ...", "will not sign an agreement that ...": a
    condition laid down for any deal, not a refusal of one on the table."""
    if modality == "negated" and type_ in ("proposal.accepted", "agreement.reached"):
        return "demand.made", "asserted"
    return type_, modality
