"""One class per sheet of the plan-revision summary, in the document's order."""

from dialogue.selectors.plan_summary.sheets.actions import ActionLine, ActionSheet
from dialogue.selectors.plan_summary.sheets.changes import ChangeRow, ChangeSheet
from dialogue.selectors.plan_summary.sheets.chokepoints import ChokepointLine, ChokepointSheet
from dialogue.selectors.plan_summary.sheets.dependencies import DependencyLine, DependencySheet
from dialogue.selectors.plan_summary.sheets.heatmap import HeatmapCell, HeatmapSheet
from dialogue.selectors.plan_summary.sheets.referrals import ReferralRow, ReferralSheet
from dialogue.selectors.plan_summary.sheets.sectors import SectorRow, SectorSheet
from dialogue.selectors.plan_summary.sheets.sources import SourceRow, SourceSheet
from dialogue.selectors.plan_summary.sheets.summary import OverviewSheet, SummaryRow
from dialogue.selectors.plan_summary.sheets.threats import ThreatLine, ThreatSheet

SHEETS = (
    OverviewSheet,
    SectorSheet,
    HeatmapSheet,
    ThreatSheet,
    ChokepointSheet,
    DependencySheet,
    ActionSheet,
    ReferralSheet,
    ChangeSheet,
    SourceSheet,
)

__all__ = [
    "SHEETS",
    "ActionLine",
    "ActionSheet",
    "ChangeRow",
    "ChangeSheet",
    "ChokepointLine",
    "ChokepointSheet",
    "DependencyLine",
    "DependencySheet",
    "HeatmapCell",
    "HeatmapSheet",
    "OverviewSheet",
    "ReferralRow",
    "ReferralSheet",
    "SectorRow",
    "SectorSheet",
    "SourceRow",
    "SourceSheet",
    "SummaryRow",
    "ThreatLine",
    "ThreatSheet",
]
