from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("demographics/", views.demographics, name="demographics"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("verify/", views.verify, name="verify"),
]
