from typing import Any

from django import template

from .. import registry, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context: dict[str, Any], subject: Any) -> dict[str, Any]:
    """For the follow button: is ``subject`` followable, and does the signed-in person follow it
    (one query)? ``{% follow_state obj as follow %}`` → ``follow.followable``, ``follow.following``,
    ``follow.content_type`` (``app_label.model``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    followable = registry.is_followable(subject)
    return {
        "followable": followable,
        "content_type": registry.label_of(subject) if followable else "",
        "following": followable and user is not None and selectors.is_following(user, subject),
    }
