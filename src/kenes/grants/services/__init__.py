"""Every write of grants (the interface in docs/grants.md). Each service checks its permission
(``grants.*`` in rules.py), runs in one transaction, records an audit event ``grants.*`` and tells
the people concerned."""

from .applications import (
    BudgetLineSpec,
    TeamMemberSpec,
    application_document_remove,
    application_save,
    application_submit,
    application_withdraw,
)
from .calls import (
    CriterionSpec,
    IndicatorSpec,
    LotSpec,
    call_close,
    call_create,
    call_publish,
    call_update,
    calls_close_expired,
    programme_plan,
)
from .evaluation import (
    application_rule_eligibility,
    assignment_declare,
    call_award,
    call_rank,
    complaint_file,
    conflict_declare,
    expert_assign,
    expert_unassign,
    sheet_save,
)
from .implementation import (
    MilestoneSpec,
    contract_create,
    final_evaluation_record,
    milestone_add,
    monitoring_note_add,
    report_accept,
    report_return,
    report_submit,
)

__all__ = [
    "BudgetLineSpec",
    "CriterionSpec",
    "IndicatorSpec",
    "LotSpec",
    "MilestoneSpec",
    "TeamMemberSpec",
    "application_document_remove",
    "application_rule_eligibility",
    "application_save",
    "application_submit",
    "application_withdraw",
    "assignment_declare",
    "call_award",
    "call_close",
    "call_create",
    "call_publish",
    "call_rank",
    "call_update",
    "calls_close_expired",
    "complaint_file",
    "conflict_declare",
    "contract_create",
    "expert_assign",
    "expert_unassign",
    "final_evaluation_record",
    "milestone_add",
    "monitoring_note_add",
    "programme_plan",
    "report_accept",
    "report_return",
    "report_submit",
    "sheet_save",
]
