"""Form helpers shared by every app's views."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: each error on its field when the form has
    that field, otherwise above the form (so the page keeps what was typed and says what is wrong)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def with_blank(choices: Any, label: Any) -> list[tuple[str, Any]]:
    """A choice field's choices after an empty first choice labelled ``label`` ("Any state", …)."""
    return [("", label), *choices]
