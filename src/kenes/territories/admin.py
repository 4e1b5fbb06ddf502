from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from .models import Territory
from .services import EDITABLE_FIELDS, territory_update, validate_parent


class TerritoryAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean_parent(self) -> Territory | None:
        parent: Territory | None = self.cleaned_data.get("parent")
        try:
            validate_parent(self.instance, parent)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["parent"]) from exc
        return parent


@admin.register(Territory)
class TerritoryAdmin(TranslationAdmin):  # type: ignore[type-arg]
    """Edit names, kind, urban flag, population or parent; new units come from `kenes territories load`."""

    form = TerritoryAdminForm
    list_display = ("code", "name", "country", "kind", "level", "urban")
    list_filter = ("country", "kind", "level", "urban")
    search_fields = ("code", "name_kk", "name_ru", "name_ky", "name_en")
    raw_id_fields = ("parent",)
    readonly_fields = ("country", "code", "level", "path")
    fields = ("country", "code", "parent", "level", "kind", "name", "urban", "population", "path")
    ordering = ("country", "path")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # units are created by the classifier loader, which computes their paths

    def save_model(self, request: HttpRequest, obj: Territory, form: Any, change: bool) -> None:
        data = {key: form.cleaned_data[key] for key in form.changed_data if key in EDITABLE_FIELDS}
        if data:
            territory_update(actor=request.user, territory=obj, data=data)
