import factory

from kenes.territories.models import Territory


class TerritoryFactory(factory.django.DjangoModelFactory):
    """A territory whose materialized path follows its parent's."""

    class Meta:
        model = Territory

    country = "KZ"
    code = factory.Sequence(lambda n: f"{900000000 + n}")
    parent = None
    kind = Territory.Kind.REGION
    name = factory.Sequence(lambda n: f"Region {n}")
    name_en = factory.SelfAttribute("name")
    name_ru = factory.SelfAttribute("name")
    name_kk = factory.SelfAttribute("name")
    name_ky = factory.SelfAttribute("name")
    level = factory.LazyAttribute(lambda o: o.parent.level + 1 if o.parent else 1)
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else '/'}{o.code}/")
