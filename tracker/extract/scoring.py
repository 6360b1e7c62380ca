"""Events in DESIGN.md's gold format, and the evaluation of extracted events against gold:
a predicted event matches a gold event of the same type and actor (case-insensitive), one to
one; gold marked `required: false` neither costs recall when missed nor precision when hit.
A strict match (the shared scorer's) also needs the gold's target, when it has one, and the
same modality; it is matched on its own, so a stricter twin can still find its pair."""

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
        "source_url": data["source_url"], "unregistered": list(event.unregistered),
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
    strict: int = 0  # pairs matched on target (when the gold has one) and modality too
    targeted: int = 0  # lenient pairs whose gold has a target
    target_ok: int = 0
    target_empty: int = 0  # ... and the prediction left it empty

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
    # (article, gold, predicted target) for lenient pairs whose target differs from the gold's
    target_errors: list[tuple[str, dict[str, Any], str | None]] = field(default_factory=list)

    def tally(self, type_: str) -> Tally:
        return self.per_type.setdefault(type_, Tally())

    def as_dict(self) -> dict[str, Any]:
        def row(t: Tally) -> dict[str, Any]:
            p, r, f = t.prf()
            acc = t.modality_ok / t.hits if t.hits else None
            tacc = t.target_ok / t.targeted if t.targeted else None
            return {
                "gold": t.gold, "predicted": t.predicted, "matched": t.hits,
                "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "modality_accuracy": None if acc is None else round(acc, 3),
                "target_accuracy": None if tacc is None else round(tacc, 3),
                "target_empty": t.target_empty,
            }  # fmt: skip

        o = self.overall
        sp = o.strict / o.predicted if o.predicted else 0.0
        sr = o.strict / o.gold if o.gold else 0.0
        sf = 2 * sp * sr / (sp + sr) if sp + sr else 0.0
        strict = {
            "gold": o.gold, "predicted": o.predicted, "matched": o.strict,
            "precision": round(sp, 3), "recall": round(sr, 3), "f1": round(sf, 3),
        }  # fmt: skip
        return {
            "overall": row(self.overall),
            "strict": strict,
            "per_type": {t: row(self.per_type[t]) for t in sorted(self.per_type)},
        }


def _same_target(p: dict[str, Any], g: dict[str, Any]) -> bool:
    return not g.get("target") or _key(p.get("target")) == _key(g.get("target"))


def _match(
    gold: list[dict[str, Any]], pred: list[dict[str, Any]], strict: bool
) -> dict[int, int | None]:
    """gold index -> predicted index (or None), required gold first, so an optional twin
    cannot take a required event's prediction."""
    used: set[int] = set()
    pairs: dict[int, int | None] = {}
    order = sorted(range(len(gold)), key=lambda i: gold[i].get("required", True) is False)
    for gi in order:
        g = gold[gi]
        hit = next(
            (
                i
                for i, p in enumerate(pred)
                if i not in used
                and p.get("type") == g.get("type")
                and _key(p.get("actor")) == _key(g.get("actor"))
                and (not strict or (_same_target(p, g) and modality_of(p) == modality_of(g)))
            ),
            None,
        )
        if hit is not None:
            used.add(hit)
        pairs[gi] = hit
    return pairs


def score_article(
    report: Report, article_id: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> None:
    matched_pred: set[int] = set()
    for gi, hit in _match(gold, pred, strict=False).items():
        g = gold[gi]
        required = g.get("required", True) is not False
        if hit is None:
            if required:
                report.overall.gold += 1
                report.tally(g["type"]).gold += 1
                report.misses.append((article_id, g))
            continue
        matched_pred.add(hit)
        if not required:
            continue  # an optional event found: neither a hit nor a false alarm
        tallies = (report.overall, report.tally(g["type"]))
        for t in tallies:
            t.gold += 1
            t.predicted += 1
            t.hits += 1
        if modality_of(pred[hit]) == modality_of(g):
            for t in tallies:
                t.modality_ok += 1
        else:
            report.modality_errors.append((article_id, g, modality_of(pred[hit])))
        if g.get("target"):
            ok = _same_target(pred[hit], g)
            empty = not pred[hit].get("target")
            for t in tallies:
                t.targeted += 1
                t.target_ok += ok
                t.target_empty += empty and not ok
            if not ok:
                report.target_errors.append((article_id, g, pred[hit].get("target")))
    for gi, hit in _match(gold, pred, strict=True).items():
        if hit is not None and gold[gi].get("required", True) is not False:
            report.overall.strict += 1
            report.tally(gold[gi]["type"]).strict += 1
    for i, p in enumerate(pred):
        if i in matched_pred:
            continue
        report.overall.predicted += 1
        report.tally(str(p.get("type"))).predicted += 1
        report.extras.append((article_id, p))
