"""Template tags for content pages of other modules::

{% load moderation %}
{% moderation_notice submission %}            {# "Hidden by the moderators", the reason and date #}
{% moderation_report_url submission as url %}  {# the link to the report form ("" if not reportable) #}
"""

from typing import Any

from django import template
from django.urls import reverse

from kenes.moderation import registry, selectors

register = template.Library()


@register.inclusion_tag("moderation/_notice.html", takes_context=True)
def moderation_notice(context: dict[str, Any], content: Any) -> dict[str, Any]:
    """The notice on hidden content; its author also gets the link to appeal."""
    decision = selectors.hidden_notice(content)
    user = context.get("user") or getattr(context.get("request"), "user", None)
    appeal_url = ""
    if decision is not None and user is not None and user.has_perm("moderation.add_appeal", decision):
        appeal_url = reverse("moderation:appeal", args=[decision.pk])
    return {"decision": decision, "appeal_url": appeal_url}


@register.simple_tag
def moderation_report_url(content: Any) -> str:
    if content is None or not registry.is_registered(content):
        return ""
    return reverse("moderation:report", args=[registry.label_of(content), str(content.pk)])
