from modeltranslation.translator import TranslationOptions, register

from .models import Process


@register(Process)
class ProcessTranslationOptions(TranslationOptions):
    fields = ("title", "description")
