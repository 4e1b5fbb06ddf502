"""A person's part in grants, for their data export.

It lists the applications the person wrote for an NGO, the complaints they filed, the reports they
submitted and, for experts, their declarations and the scores they gave. Nothing is erased with an
account: applications, complaints, reports and score sheets are official records of a public
funding decision that the body must keep; pages name no person anyway (experts appear as
"Expert 1, 2, …", applications under their NGO).
"""

from typing import Any

from .models import Application, Complaint, ExpertAssignment, Report, ScoreSheet


def export_grants(user: Any) -> dict[str, Any]:
    applications = (
        Application.objects.filter(created_by=user).select_related("call", "organization").order_by("pk")
    )
    complaints = Complaint.objects.filter(author=user).select_related("application").order_by("pk")
    reports = Report.objects.filter(submitted_by=user).select_related("milestone").order_by("pk")
    assignments = ExpertAssignment.objects.filter(expert=user).select_related("call").order_by("pk")
    sheets = (
        ScoreSheet.objects.filter(assignment__expert=user)
        .select_related("application")
        .prefetch_related("scores__criterion")
        .order_by("pk")
    )
    return {
        "applications": [
            {
                "call": a.call.title,
                "organization": a.organization.name,
                "title": a.title,
                "state": a.state,
                "created_at": a.created_at.isoformat(),
            }
            for a in applications
        ],
        "complaints": [
            {"application": c.application.title, "text": c.text, "created_at": c.created_at.isoformat()}
            for c in complaints
        ],
        "reports": [
            {"milestone": r.milestone.title, "kind": r.kind, "text": r.text, "state": r.state}
            for r in reports
        ],
        "expert_assignments": [
            {
                "call": a.call.title,
                "declared_at": a.declared_at.isoformat() if a.declared_at else None,
                "declaration": a.declaration,
            }
            for a in assignments
        ],
        "score_sheets": [
            {
                "application": s.application.title,
                "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None,
                "comment": s.comment,
                "scores": [{"criterion": x.criterion.name, "value": str(x.value)} for x in s.scores.all()],
            }
            for s in sheets
        ],
    }
