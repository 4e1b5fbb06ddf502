from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    KZ = "KZ", _("Kazakhstan")
    KG = "KG", _("Kyrgyzstan")


class TerritoryQuerySet(models.QuerySet["Territory"]):
    def subtree(self, territory: "Territory", *, include_self: bool = True) -> "TerritoryQuerySet":
        """The territory and every unit below it, in one query (materialized path)."""
        qs = self.filter(path__startswith=territory.path)
        return qs if include_self else qs.exclude(pk=territory.pk)

    def roots(self) -> "TerritoryQuerySet":
        return self.filter(parent__isnull=True)


class Territory(models.Model):
    """An administrative unit with its official code (KATO in Kazakhstan, SOATE in Kyrgyzstan)."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        CITY_REPUBLICAN = "city_republican", _("City of republican significance")
        DISTRICT = "district", _("District")
        CITY_REGIONAL = "city_regional", _("City of regional significance")
        CITY_DISTRICT = "city_district", _("City district")
        CITY_DISTRICT_ADMINISTRATION = "city_district_administration", _("City district administration")
        CITY_PROPER = "city_proper", _("City")
        TOWN_ADMINISTRATION = "town_administration", _("Town administration")
        CITY_DISTRICT_SIGNIFICANCE = "city_district_significance", _("Town of district significance")
        SETTLEMENT_ADMINISTRATION = "settlement_administration", _("Settlement administration")
        TOWNSHIP = "township", _("Township")
        RURAL_DISTRICT = "rural_district", _("Rural district (ayil aimak)")
        RURAL_ADMINISTRATION = "rural_administration", _("Rural administration")
        SETTLEMENT = "settlement", _("Village or settlement")

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.CharField(_("official code"), max_length=20)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"))
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    urban = models.BooleanField(
        _("urban"), null=True, blank=True, help_text=_("Empty when mixed or not applicable.")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # Materialized path "/<root code>/…/<own code>/": a subtree is one LIKE 'prefix%' query,
    # served on PostgreSQL by the varchar_pattern_ops index Django adds to unique CharFields.
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["country", "code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="territories_unique_country_code"),
            models.CheckConstraint(condition=models.Q(level__gte=1), name="territories_level_positive"),
        ]
        indexes = [
            models.Index(fields=["country", "level"], name="territories_country_level"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes from the root down to the parent, read off the path (no queries)."""
        return [c for c in self.path.split("/") if c][:-1]
