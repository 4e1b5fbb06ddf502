"""Social order and grants (see docs/grants.md): programmes and calls, applications, expert
evaluation and the award, complaints, contracts with milestones and reports."""

from .applications import LIVE_STATES, Application, ApplicationDocument, BudgetLine, TeamMember
from .contracts import (
    Contract,
    ContractMilestone,
    FinalEvaluation,
    MilestoneTarget,
    MonitoringNote,
    Report,
    ReportValue,
)
from .evaluation import (
    Award,
    AwardDecision,
    Complaint,
    ConflictDeclaration,
    ExpertAssignment,
    Score,
    ScoreSheet,
)
from .programmes import Call, Criterion, Currency, Indicator, Lot, Programme, RequiredDocument

__all__ = [
    "LIVE_STATES",
    "Application",
    "ApplicationDocument",
    "Award",
    "AwardDecision",
    "BudgetLine",
    "Call",
    "Complaint",
    "ConflictDeclaration",
    "Contract",
    "ContractMilestone",
    "Criterion",
    "Currency",
    "ExpertAssignment",
    "FinalEvaluation",
    "Indicator",
    "Lot",
    "MilestoneTarget",
    "MonitoringNote",
    "Programme",
    "Report",
    "ReportValue",
    "RequiredDocument",
    "Score",
    "ScoreSheet",
    "TeamMember",
]
