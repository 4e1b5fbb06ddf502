from ninja import Schema


class TerritoryNames(Schema):
    kk: str | None
    ru: str | None
    ky: str | None
    en: str | None


class TerritoryRef(Schema):
    code: str
    name: str


class TerritoryOut(Schema):
    code: str
    country: str
    kind: str
    level: int
    parent_code: str | None
    name: str
    names: TerritoryNames
    urban: bool | None
    population: int | None


class TerritoryDetailOut(TerritoryOut):
    ancestors: list[TerritoryRef]
    children_count: int
