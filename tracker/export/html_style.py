"""The stylesheet of the HTML page and the dashboard: the status, the event cards and the
visual timeline (tracker/export/timeline_svg.py), on a screen, a phone and paper."""

from __future__ import annotations

from tracker.export.safe_html import Html

# Event families by the first part of the type: one colour each.
FAMILIES = ("proposal", "response", "talks", "agreement", "demand", "appeal", "threat",
            "military", "support", "opposition")  # fmt: skip

CSS = Html(
    """
:root{--ink:#1d2330;--muted:#5b6472;--line:#d5d9e0;--bg:#fff;--card:#f7f8fa;
--proposal:#1f6feb;--response:#6e40c9;--talks:#0a7f73;--agreement:#1a7f37;--demand:#9a6700;
--appeal:#8250df;--threat:#cf222e;--military:#a40e26;--support:#2da44e;--opposition:#bc4c00}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:var(--bg);overflow-wrap:anywhere}
main{max-width:52rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;
border-bottom:1px solid var(--line)}h3{font-size:1rem;margin:1rem 0 .4rem}
.meta,.muted{color:var(--muted);font-size:.9rem}
.status{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.8rem 1rem}
.phase{display:inline-block;font-weight:700;text-transform:uppercase;letter-spacing:.03em;
background:var(--ink);color:#fff;border-radius:.3rem;padding:.1rem .5rem;font-size:.9rem}
.summary{font-size:1.05rem;margin:.5rem 0 0}
ul.plain{padding-left:1.1rem;margin:.3rem 0}
.resp{font-weight:600}
.resp-accepted{color:var(--agreement)}.resp-rejected{color:var(--threat)}
.resp-countered{color:var(--demand)}.resp-under_review{color:var(--talks)}
.timeline{list-style:none;margin:0;padding:0;border-left:3px solid var(--line)}
.day{margin:0 0 1rem;padding-left:1rem;position:relative}
.day>time{font-weight:700;display:block;margin-bottom:.3rem}
.day::before{content:"";position:absolute;left:-.55rem;top:.35rem;width:.8rem;height:.8rem;
border-radius:50%;background:var(--ink)}
.events{list-style:none;margin:0;padding:0}
.event{background:var(--card);border:2px solid var(--fam,var(--line));border-left-width:.5rem;
border-radius:.4rem;padding:.5rem .7rem;margin:0 0 .6rem;break-inside:avoid}
.event .head{display:flex;flex-wrap:wrap;gap:.3rem .6rem;align-items:baseline}
.badge{font-size:.8rem;font-weight:700;color:#fff;background:var(--fam,var(--muted));
border-radius:.25rem;padding:0 .35rem}
.mod{font-size:.8rem;border:1px solid var(--muted);border-radius:.25rem;padding:0 .35rem}
.mod-asserted{border-style:solid}
.mod-planned{border-style:dashed;background:#fff}
.mod-predicted{border-style:dotted;background:#fff;font-style:italic}
.mod-conditional{border-style:double;border-width:4px;border-left-width:.5rem;background:#fff}
.mod-negated{opacity:.75;
background:repeating-linear-gradient(135deg,#fff 0 8px,var(--card) 8px 16px)}
.mod-negated .what{text-decoration:line-through}
blockquote{margin:.4rem 0 0;padding:.2rem .6rem;border-left:3px solid var(--line);
color:var(--ink);font-size:.95rem;white-space:pre-wrap}
.src{font-size:.85rem;color:var(--muted)}
a{color:var(--proposal)}
.legend{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0 1rem;padding:0;list-style:none}
.legend .event{margin:0;padding:.1rem .5rem;font-size:.85rem}
"""
    + "".join(f".fam-{f}{{--fam:var(--{f})}}" for f in FAMILIES)
    + """
@media (max-width:30rem){body{font-size:15px}main{padding:.6rem}.status{padding:.6rem}}
@media print{
body{font-size:11pt;color:#000}main{max-width:none;padding:0}
.status,.event{background:none}.phase{color:#000;background:none;border:1px solid #000}
.badge{color:#000;background:none;border:1px solid #000}
a[href]::after{content:" (" attr(href) ")";font-size:.8em;word-break:break-all}
h2{break-after:avoid}.day{break-inside:auto}
}
"""
)

# The visual timeline: marks take their family's colour; the shape carries the modality, so
# the marks still read in black and white.
SVG_CSS = Html(
    """
.tl-box{overflow-x:auto;margin:.6rem 0 .2rem;border:1px solid var(--line);border-radius:.4rem;
background:#fff}
svg.tl{display:block;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
svg.tl text{font-size:12px;fill:var(--ink)}
svg.tl .lane-even{fill:#fff}svg.tl .lane-odd{fill:var(--card)}
svg.tl .lane-name{font-weight:600}
svg.tl .day{fill:var(--muted)}svg.tl .year{fill:var(--muted);font-weight:700}
svg.tl .gap{stroke:var(--muted);stroke-dasharray:2 3}
svg.tl .band{fill:var(--ph,#8c959f)}svg.tl .band-name{fill:#fff;font-weight:700}
svg.tl .shape{stroke:var(--fam,var(--muted));stroke-width:2.2}
svg.tl .solid{fill:var(--fam,var(--muted))}
svg.tl .hollow{fill:#fff}svg.tl .inner{fill:var(--fam,var(--muted));stroke:none}
svg.tl .dashed{stroke-dasharray:3.5 2}svg.tl .dotted{stroke-dasharray:1.5 1.8}
svg.tl .strike{stroke:var(--fam,var(--muted));stroke-width:2.2}
svg.tl .ring{fill:none;stroke:#e3a400;stroke-width:3.5}
svg.tl a.mark:focus .shape,svg.tl a.mark:hover .shape{stroke-width:3.5}
.tl-legend{display:flex;flex-wrap:wrap;gap:.3rem .9rem;list-style:none;margin:.2rem 0 1rem;
padding:0;font-size:.85rem;align-items:center}
.tl-legend li{display:flex;align-items:center;gap:.3rem}
.tl-legend svg.icon{flex:none}
.ph-no_talks{--ph:#8c959f}.ph-proposal_pending{--ph:#1f6feb}.ph-negotiating{--ph:#0a7f73}
.ph-agreement_reached{--ph:#1a7f37}.ph-implementing{--ph:#116329}.ph-stalled{--ph:#9a6700}
.ph-collapsed{--ph:#a40e26}
.fam-other{--fam:var(--muted)}
@media print{
.tl-box{overflow:visible;border:none}svg.tl:not(.icon){max-width:100%;height:auto}
svg.tl .band-name{fill:#fff}svg.tl .ring{stroke:#000;stroke-width:2}
.tl-box,.tl-legend{break-inside:avoid}
}
"""
)
