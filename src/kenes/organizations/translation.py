from modeltranslation.translator import TranslationOptions, register

from .models import Organization, Sector, Topic


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name",)
