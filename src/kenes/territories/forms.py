"""Forms: a territory select box other apps can import, and the filter of the territory list."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from .models import Country, Territory
from .selectors import territory_choices

INDENT = "\u00a0\u00a0\u00a0"  # no-break spaces: browsers keep them inside <option>


class _ByCountryIterator(ModelChoiceIterator):
    """Options grouped by country (``<optgroup>``), in tree order, each label indented by level."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list[Any]] = {}
        for obj in self.queryset:
            groups.setdefault(obj.country, []).append(self.choice(obj))
        for country, choices in groups.items():
            yield (Country(country).label, choices)


class TerritoryChoiceField(forms.ModelChoiceField):
    """A select box of territories keyed by official code (``?territory=610000000``).

    By default it offers levels 1 and 2 (regions, cities of republican significance, districts and
    cities of regional significance) and accepts only those codes; pass ``max_level=None`` to accept
    any unit (for a hidden or text input).

        home_territory = TerritoryChoiceField(required=False, label=_("Home territory"))
    """

    iterator = _ByCountryIterator

    def __init__(self, *, max_level: int | None = 2, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("All territories"))
        kwargs.setdefault("label", _("Territory"))
        super().__init__(queryset=territory_choices(max_level), to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Territory) -> str:
        return f"{INDENT * (obj.level - 1)}{obj.name}"


LEVEL_CHOICES = [
    ("", _("Any level")),
    (1, _("1 — regions and cities of republican significance")),
    (2, _("2 — districts and cities")),
    (3, _("3 — rural districts, towns, city units")),
    (4, _("4 — villages and settlements")),
]


class TerritoryFilterForm(forms.Form):
    """The GET filter of the territory list. Empty: the page shows the top level of both countries."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A name in any language, or the start of an official code."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Both countries")), *Country.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Territory.Kind.choices]
    )
    level = forms.TypedChoiceField(
        label=_("Level"), required=False, choices=LEVEL_CHOICES, coerce=int, empty_value=None
    )

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for ``territory_list`` (invalid ones are dropped)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        filters = {key: data.get(key) or None for key in ("q", "country", "kind")}
        filters["level"] = data.get("level")
        if not any(filters.values()):
            filters["level"] = 1
        return filters

    def is_default(self) -> bool:
        """True when nothing was filtered, so the page shows the top-level units."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return not any(data.get(key) for key in ("q", "country", "kind", "level"))
