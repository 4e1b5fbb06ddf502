from django.urls import path

from . import views

app_name = "obligations"

urlpatterns = [
    path("", views.register, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/redirect/", views.redirect_to_body, name="redirect"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/contest/", views.contest, name="contest"),
    path("<int:pk>/commitments/new/", views.commitment_create, name="commitment_create"),
    path("commitments/<int:pk>/", views.commitment, name="commitment"),
    path("milestones/<int:pk>/deliver/", views.milestone_deliver, name="milestone_deliver"),
    path("milestones/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("inbox/", views.my_inboxes, name="my_inboxes"),
    path("inbox/<int:organization_pk>/", views.inbox, name="inbox"),
    path(
        "accountability/organizations/<int:pk>/",
        views.accountability_organization,
        name="accountability_organization",
    ),
    path(
        "accountability/territories/<str:code>/",
        views.accountability_territory,
        name="accountability_territory",
    ),
]
