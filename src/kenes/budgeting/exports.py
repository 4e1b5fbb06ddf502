"""A person's budgeting data for their export, and what account deletion removes.

The export lists the person's proposals, supports and the processes they voted in — and, since the
export goes only to the person themselves, their own ballot choices. Erasure deletes ballots of
processes not yet counted (a deleted account must not vote) and supports; counted ballots stay
(the published count must remain reproducible) and are not linked to anyone on any page.
"""

from typing import Any

from kenes.audit import services as audit

from .models import Ballot, BallotChoice, Proposal, Support


def export_budgeting(user: Any) -> dict[str, Any]:
    proposals = Proposal.objects.filter(author=user).order_by("pk")
    supports = Support.objects.filter(user=user).order_by("pk")
    ballots = list(Ballot.objects.filter(voter=user).order_by("pk"))
    choices: dict[int, list[dict[str, Any]]] = {}
    for ballot_id, proposal_id, points, rank in (
        BallotChoice.objects.filter(ballot__in=ballots)
        .order_by("ballot_id", "rank", "proposal_id")
        .values_list("ballot_id", "proposal_id", "points", "rank")
    ):
        choices.setdefault(ballot_id, []).append({"proposal": proposal_id, "points": points, "rank": rank})
    return {
        "proposals": [
            {
                "id": p.pk,
                "process": p.process_id,
                "title": p.title,
                "description": p.description,
                "estimated_cost": p.estimated_cost,
                "status": p.status,
                "created_at": p.created_at.isoformat(),
            }
            for p in proposals
        ],
        "supports": [{"proposal": s.proposal_id, "created_at": s.created_at.isoformat()} for s in supports],
        "ballots": [
            {"process": b.process_id, "cast_at": b.updated_at.isoformat(), "choices": choices.get(b.pk, [])}
            for b in ballots
        ],
    }


def erase_budgeting(user: Any) -> None:
    uncounted = Ballot.objects.filter(voter=user, process__counted_at__isnull=True)
    ballots, _rows = uncounted.delete()
    supports, _rows = Support.objects.filter(user=user).delete()
    if ballots or supports:
        audit.record(
            event="budgeting.personal_data.erased",
            actor=None,
            actor_label="account-erasure",
            obj=user,
            data={"ballot_rows": ballots, "support_rows": supports},
        )
