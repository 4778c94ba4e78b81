"""The plan-revision summary: one selector whose document every format is written from.

`plan_revision_summary(revision=…, user=…, max_marking=…)` returns an
`ExportDocument` with these sheets (`sheets/`, one class each: its columns — key,
header, width, value — and its named rows), each produced on demand (a query per
sheet, streamed, whatever the number of lines):

summary · sectors · heatmap (threats by sector × code, with concern counts) ·
threats · chokepoints · actions · changes (since the previous revision) · sources

Pages read the same named rows (`SectorSheet(summary).rows()` …) by field name.

Protection (DOMAIN.md, "Who may see what"):
- lines are the revision's snapshot rows the reader may read
  (`selectors.plans.readable_items`: the line's marking then and its record's
  visibility now), capped at `max_marking`;
- sources are cited only as plan_sources.py allows (no company names, no session
  titles); the changes name other records only as `plan_revision_diff` shows them
  (HIDDEN for a record the reader may not see now, never an id);
- concern counts by sector and code appear only where at least K_ANONYMITY
  distinct organizations stand behind them, otherwise "fewer than 3" (which also
  stands for none, so a cell never tells that a concern exists); per-sector totals
  add up only the cells shown, so no small cell can be worked out by subtraction;
- the document's marking is the highest marking of every line and source in it.
"""

from dialogue.selectors.plan_summary.changes import (
    ChangeLine,
    FieldChange,
    change_order,
    plan_revision_changes,
)
from dialogue.selectors.plan_summary.document import (
    PlanSummary,
    plan_revision_item_count,
    plan_revision_summary,
)
from dialogue.selectors.plan_summary.labels import item_title, local_datetime, marking_label
from dialogue.selectors.plans import allowed_markings

__all__ = [
    "ChangeLine",
    "FieldChange",
    "PlanSummary",
    "allowed_markings",
    "change_order",
    "item_title",
    "local_datetime",
    "marking_label",
    "plan_revision_changes",
    "plan_revision_item_count",
    "plan_revision_summary",
]
