"""Events in DESIGN.md's gold format, and the evaluation of extracted events against gold:
a predicted event matches a gold event of the same type and actor (case-insensitive), one to
one; gold marked `required: false` neither costs recall when missed nor precision when hit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.events import NegotiationEvent

# The vocabulary of the older spec, read as this one's.
_MODALITY_ALIASES = {"reported": "asserted", "expected": "planned"}


def to_gold(event: NegotiationEvent) -> dict[str, Any]:
    data = event.model_dump(mode="json")
    return {
        "type": data["type"], "actor": data["actor"], "person": data["person"],
        "target": data["target"], "via": data["via"], "location": data["location"],
        "modality": data["modality"], "condition": data["condition"],
        "attribution": data["attribution"], "terms": data["terms"],
        "evidence": data["evidence"], "confidence": data["confidence"],
        "negotiations": data["negotiations"], "occurred": data["occurred"],
        "source_url": data["source_url"],
    }  # fmt: skip


def _key(value: Any) -> str:
    text = str(value or "").strip().casefold()
    return text[4:] if text.startswith("the ") else text


def modality_of(event: dict[str, Any]) -> str:
    value = _key(event.get("modality") or "asserted")
    return _MODALITY_ALIASES.get(value, value)


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    hits: int = 0
    modality_ok: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.hits / self.predicted if self.predicted else 0.0
        r = self.hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    per_type: dict[str, Tally] = field(default_factory=dict)
    misses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (article, gold)
    extras: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (article, pred)
    modality_errors: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)

    def tally(self, type_: str) -> Tally:
        return self.per_type.setdefault(type_, Tally())

    def as_dict(self) -> dict[str, Any]:
        def row(t: Tally) -> dict[str, Any]:
            p, r, f = t.prf()
            acc = t.modality_ok / t.hits if t.hits else None
            return {
                "gold": t.gold, "predicted": t.predicted, "matched": t.hits,
                "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "modality_accuracy": None if acc is None else round(acc, 3),
            }  # fmt: skip

        return {
            "overall": row(self.overall),
            "per_type": {t: row(self.per_type[t]) for t in sorted(self.per_type)},
        }


def score_article(
    report: Report, article_id: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> None:
    used: set[int] = set()
    matched_pred: set[int] = set()
    # Required gold first, so an optional twin cannot take a required event's prediction.
    order = sorted(range(len(gold)), key=lambda i: gold[i].get("required", True) is False)
    for gi in order:
        g = gold[gi]
        required = g.get("required", True) is not False
        hit = next(
            (
                i
                for i, p in enumerate(pred)
                if i not in used
                and p.get("type") == g.get("type")
                and _key(p.get("actor")) == _key(g.get("actor"))
            ),
            None,
        )
        if hit is None:
            if required:
                report.overall.gold += 1
                report.tally(g["type"]).gold += 1
                report.misses.append((article_id, g))
            continue
        used.add(hit)
        matched_pred.add(hit)
        if not required:
            continue  # an optional event found: neither a hit nor a false alarm
        for t in (report.overall, report.tally(g["type"])):
            t.gold += 1
            t.predicted += 1
            t.hits += 1
        if modality_of(pred[hit]) == modality_of(g):
            report.overall.modality_ok += 1
            report.tally(g["type"]).modality_ok += 1
        else:
            report.modality_errors.append((article_id, g, modality_of(pred[hit])))
    for i, p in enumerate(pred):
        if i in matched_pred:
            continue
        report.overall.predicted += 1
        report.tally(str(p.get("type"))).predicted += 1
        report.extras.append((article_id, p))
