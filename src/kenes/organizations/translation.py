from modeltranslation.translator import TranslationOptions, register

from .models import Organization, Sector


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
