from ninja import Schema


class TerritoryRef(Schema):
    code: str
    name: str


class Names(Schema):
    kk: str
    ru: str
    ky: str
    en: str


class OrganizationOut(Schema):
    id: int
    kind: str
    name: str
    names: Names
    status: str
    country: str
    registration_number: str
    territory: TerritoryRef
    sectors: list[str]
    is_sample: bool


class MemberOut(Schema):
    name: str
    role: str


class Contacts(Schema):
    website: str
    email: str
    phone: str


class OrganizationDetailOut(OrganizationOut):
    description: str
    supervising_body_id: int | None
    members: list[MemberOut]
    contacts: Contacts
