"""Forms of the budgeting pages: the list's filters, a proposal, the review, merging, the three ballots
and the Pabulib comparison upload.

Forms validate input and, for ballots, compute what the voter sees back (total cost, points used,
problems) on the SERVER, so the budget bar works without JavaScript. The services check the rules
again (phase, eligibility, budget) and raise ValidationError, which the views put on the form.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kenes.common.forms import with_blank
from kenes.obligations.uploads import safe_name
from kenes.organizations.forms import TerritoryFilterField

from .models import Process, Proposal

MAX_IMAGES = 3
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PB_BYTES = 20 * 1024 * 1024
IMAGE_SIGNATURES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff"}


class ProcessFilterForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=with_blank(Process.Phase.choices, _("Any phase"))
    )
    territory = TerritoryFilterField(label=_("Territory"), required=False, empty_label=_("Anywhere"))

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"phase": data.get("phase") or None, "territory": data.get("territory")}


# --- proposals ----------------------------------------------------------------------------------


def check_image(upload: Any) -> Any:
    """PNG or JPEG by content (magic bytes), at most 5 MB; the name is reduced to a safe slug."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is larger than 5 MB."), code="image_size")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    extension = next((ext for ext, magic in IMAGE_SIGNATURES.items() if head.startswith(magic)), None)
    if extension is None:
        raise ValidationError(_("Only PNG and JPEG images can be uploaded."), code="image_type")
    stem = os.path.splitext(safe_name(upload.name or "image"))[0] or "image"
    upload.name = f"{stem}{extension}"
    return upload


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("What should be done, where, and who will benefit."),
    )
    estimated_cost = forms.IntegerField(
        label=_("Estimated cost"), min_value=1, help_text=_("In the process's currency, whole units.")
    )
    category = forms.CharField(label=_("Category"), max_length=100, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        decimal_places=6,
        max_digits=9,
        help_text=_("Optional: the place, for example 51.128207."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        decimal_places=6,
        max_digits=9,
        help_text=_("Optional: the place, for example 71.430411."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_IMAGES + 1):
            self.fields[f"image_{n}"] = forms.FileField(
                label=_("Image %(number)s") % {"number": n},
                required=False,
                help_text=_("PNG or JPEG, up to 5 MB."),
                widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
            )
            self.fields[f"image_{n}_description"] = forms.CharField(
                label=_("Description of image %(number)s") % {"number": n},
                required=False,
                max_length=300,
                help_text=_("What the image shows, for people who cannot see it."),
            )
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs["step"] = "any"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, MAX_IMAGES + 1):
            image, description = data.get(f"image_{n}"), data.get(f"image_{n}_description")
            if image:
                try:
                    data[f"image_{n}"] = check_image(image)
                except ValidationError as error:
                    self.add_error(f"image_{n}", error)
                    continue
                if not description:
                    self.add_error(
                        f"image_{n}_description",
                        ValidationError(_("Describe the image for people who cannot see it.")),
                    )
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error(
                "longitude", ValidationError(_("Give both the latitude and the longitude, or neither."))
            )
        return data

    def images(self) -> list[tuple[Any, str]]:
        data = self.cleaned_data
        return [
            (data[f"image_{n}"], data[f"image_{n}_description"])
            for n in range(1, MAX_IMAGES + 1)
            if data.get(f"image_{n}")
        ]

    def image_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"image_{n}"], self[f"image_{n}_description"]) for n in range(1, MAX_IMAGES + 1)]


class ReviewForm(forms.Form):
    DECISIONS = [("approve", _("Approve for the ballot")), ("reject", _("Reject as not feasible"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    official_cost = forms.IntegerField(
        label=_("Official cost"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to keep the author's estimate."),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text=_("The author and the public see them; the author can contest the decision."),
    )

    @property
    def approved(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class MergeForm(forms.Form):
    into: forms.ModelChoiceField[Proposal] = forms.ModelChoiceField(
        label=_("Merge into"), queryset=Proposal.objects.none(), empty_label="—"
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text=_("Why these proposals are the same. The author is told."),
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField[Proposal] = self.fields["into"]  # type: ignore[assignment]
        field.queryset = targets


# --- ballots ------------------------------------------------------------------------------------


class BallotForm(forms.Form):
    """Common to the three ballots. ``summary()`` is what the budget bar shows, from the submitted data."""

    def __init__(self, *args: Any, process: Process, proposals: list[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        self.proposals = proposals
        self.by_id = {p.pk: p for p in proposals}
        self.problems: list[str] = []

    def choices(self) -> Any:  # pragma: no cover - each ballot defines it
        raise NotImplementedError

    def chosen_ids(self) -> list[int]:
        raise NotImplementedError  # pragma: no cover

    def _count_problems(self, count: int) -> None:
        process = self.process
        if count < process.min_choices:
            self.problems.append(
                ngettext(
                    "Choose at least %(count)d project.",
                    "Choose at least %(count)d projects.",
                    process.min_choices,
                )
                % {"count": process.min_choices}
            )
        if process.max_choices is not None and count > process.max_choices:
            self.problems.append(
                ngettext(
                    "Choose at most %(count)d project.",
                    "Choose at most %(count)d projects.",
                    process.max_choices,
                )
                % {"count": process.max_choices}
            )

    def summary(self) -> dict[str, Any]:
        chosen = [self.by_id[pk] for pk in self.chosen_ids() if pk in self.by_id]
        total = sum(p.cost for p in chosen)
        budget = self.process.budget
        return {
            "count": len(chosen),
            "total": total,
            "budget": budget,
            "left": budget - total,
            "over_budget": total > budget,
            "percent": min(100, round(100 * total / budget)) if budget else 0,
        }


class ApprovalBallotForm(BallotForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"] = forms.TypedMultipleChoiceField(
            label=_("Projects you support"),
            required=False,
            coerce=int,
            choices=[(p.pk, p.title) for p in self.proposals],
            widget=forms.CheckboxSelectMultiple,
        )

    def chosen_ids(self) -> list[int]:
        data = getattr(self, "cleaned_data", None)
        if data is not None and "projects" in data:
            return list(data["projects"])
        raw = (
            self.data.getlist(self.add_prefix("projects"))  # type: ignore[attr-defined]
            if self.is_bound
            else self.initial.get("projects", [])
        )
        return [int(v) for v in raw if str(v).isdigit()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("projects") or []
        self._count_problems(len(chosen))
        summary = self.summary()
        if summary["over_budget"]:
            self.problems.append(
                str(_("The projects you chose cost more than the budget: remove some to fit it."))
            )
        for problem in self.problems:
            self.add_error("projects", problem)
        return data

    def choices(self) -> list[int]:
        return list(self.cleaned_data["projects"])

    def rows(self) -> list[dict[str, Any]]:
        chosen = set(self.chosen_ids())
        return [
            {"proposal": p, "checked": p.pk in chosen, "id": f"id_projects_{i}"}
            for i, p in enumerate(self.proposals)
        ]


class CumulativeBallotForm(BallotForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = self.process.max_points or 1000
        for p in self.proposals:
            self.fields[f"points_{p.pk}"] = forms.IntegerField(
                label=p.title, required=False, min_value=0, max_value=limit, initial=0
            )

    def _points(self) -> dict[int, int]:
        data = getattr(self, "cleaned_data", None)
        points: dict[int, int] = {}
        for p in self.proposals:
            key = f"points_{p.pk}"
            value: Any = (
                data.get(key)
                if data is not None
                else (self.data.get(key) if self.is_bound else self.initial.get(key))
            )
            try:
                number = int(value or 0)
            except (TypeError, ValueError):
                number = 0
            if number > 0:
                points[p.pk] = number
        return points

    def chosen_ids(self) -> list[int]:
        return list(self._points())

    def summary(self) -> dict[str, Any]:
        used = sum(self._points().values())
        limit = self.process.max_points or 0
        return {
            **super().summary(),
            "points_used": used,
            "points_max": limit,
            "points_left": limit - used,
            "over_points": bool(limit) and used > limit,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._count_problems(len(self._points()))
        summary = self.summary()
        if summary["over_points"]:
            self.problems.append(
                _("You gave %(used)d points but have only %(max)d.")
                % {"used": summary["points_used"], "max": summary["points_max"]}
            )
        for problem in self.problems:
            self.add_error(None, problem)
        return data

    def choices(self) -> dict[int, int]:
        return self._points()

    def point_fields(self) -> list[tuple[Proposal, Any]]:
        return [(p, self[f"points_{p.pk}"]) for p in self.proposals]


class OrdinalBallotForm(BallotForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        positions = min(self.process.max_choices or len(self.proposals), len(self.proposals))
        options = [("", _("(nothing)")), *((p.pk, p.title) for p in self.proposals)]
        for rank in range(1, positions + 1):
            self.fields[f"rank_{rank}"] = forms.TypedChoiceField(
                label=_("Choice number %(rank)d") % {"rank": rank},
                required=False,
                coerce=int,
                empty_value=None,
                choices=options,
            )
        self.positions = positions

    def _ranked(self) -> list[int]:
        data = getattr(self, "cleaned_data", None)
        ranked: list[int] = []
        for rank in range(1, self.positions + 1):
            key = f"rank_{rank}"
            value: Any = (
                data.get(key)
                if data is not None
                else (self.data.get(key) if self.is_bound else self.initial.get(key))
            )
            if value not in (None, "") and str(value).isdigit():
                ranked.append(int(value))
        return ranked

    def chosen_ids(self) -> list[int]:
        return self._ranked()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ranked = self._ranked()
        self._count_problems(len(ranked))
        if len(set(ranked)) != len(ranked):
            self.problems.append(str(_("Each project can be ranked only once.")))
        for problem in self.problems:
            self.add_error(None, problem)
        return data

    def choices(self) -> list[int]:
        return self._ranked()

    def rank_fields(self) -> list[Any]:
        return [self[f"rank_{rank}"] for rank in range(1, self.positions + 1)]


BALLOT_FORMS: dict[str, type[BallotForm]] = {
    Process.BallotType.APPROVAL: ApprovalBallotForm,
    Process.BallotType.CUMULATIVE: CumulativeBallotForm,
    Process.BallotType.ORDINAL: OrdinalBallotForm,
}


def ballot_initial(process: Process, existing: dict[int, Any] | None) -> dict[str, Any]:
    """The voter's saved ballot as the form's initial data."""
    if not existing:
        return {}
    if process.ballot_type == Process.BallotType.CUMULATIVE:
        return {f"points_{pk}": choice.points for pk, choice in existing.items()}
    if process.ballot_type == Process.BallotType.ORDINAL:
        ordered = sorted(existing.values(), key=lambda c: c.rank or 0)
        return {f"rank_{i}": c.proposal_id for i, c in enumerate(ordered, 1)}
    return {"projects": list(existing)}


# --- Pabulib ------------------------------------------------------------------------------------


class CompareForm(forms.Form):
    file = forms.FileField(
        label=_("Pabulib file (.pb)"), help_text=_("A file from pabulib.org with a `selected` column.")
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".pb"):
            raise ValidationError(_("Choose a .pb file."))
        if upload.size > MAX_PB_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file is not UTF-8 text.")) from error
