from modeltranslation.translator import TranslationOptions, register

from .models import Territory


@register(Territory)
class TerritoryTranslationOptions(TranslationOptions):
    fields = ("name",)
