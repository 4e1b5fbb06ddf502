from django.urls import path

from . import opendata, views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.petition_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/held/", views.held, name="held"),
    path("signatures/confirm/<str:token>/", views.signature_confirm, name="signature_confirm"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/edit/", views.petition_edit, name="edit"),
    path("<int:pk>/submit/", views.petition_submit, name="submit"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/signers/", views.signers, name="signers"),
    *opendata.urlpatterns,
]
