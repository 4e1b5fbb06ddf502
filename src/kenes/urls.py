from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from kenes.api import api
from kenes.common.views import healthz

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", include("kenes.common.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("kenes.accounts.urls")),
    path("territories/", include("kenes.territories.urls")),
    path("organizations/", include("kenes.organizations.urls")),
    path("audit/", include("kenes.audit.urls")),
    path("obligations/", include("kenes.obligations.urls")),
    path("notifications/", include("kenes.notifications.urls")),
    path("moderation/", include("kenes.moderation.urls")),
    path("budgeting/", include("kenes.budgeting.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
