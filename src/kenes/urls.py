from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from kenes.api import api
from kenes.common.views import healthz
from kenes.grants import opendata as grants_opendata

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    # Open data in the sector's standards: one address, no language prefix (docs/grants.md).
    path(
        "open-data/grants.360giving.json", grants_opendata.grants_360giving, name="opendata_grants_360giving"
    ),
    path("open-data/grants.ocds.json", grants_opendata.grants_ocds, name="opendata_grants_ocds"),
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
    path("petitions/", include("kenes.petitions.urls")),
    path("appeals/", include("kenes.appeals.urls")),
    path("grants/", include("kenes.grants.urls")),
    path("registry/", include("kenes.registry.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

# Uploaded files are never served from MEDIA_ROOT, not even in development: every file goes out
# through its module's view, which checks who may see it (attachments, evidence, images).

if settings.KENES_BENCH_ENDPOINTS:  # bench/petitions_bench.py only; off unless the environment says so
    from kenes.petitions.bench_views import bare_insert

    urlpatterns.append(path("bench/bare", bare_insert, name="bench_bare"))
