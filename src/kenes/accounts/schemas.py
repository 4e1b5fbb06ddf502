from ninja import Schema
from pydantic import Field


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    public_name: str
    language: str
    home_territory: str | None = Field(None, description="Official code of the home territory.")
    verification_level: int


class MePatch(Schema):
    display_name: str | None = Field(None, max_length=150)
    language: str | None = None
    home_territory: str | None = Field(
        None, description="Official code (level 1 or 2); empty string clears it."
    )
