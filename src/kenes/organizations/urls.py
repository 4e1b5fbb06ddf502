from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("<int:pk>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "<int:pk>/invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
