from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("", views.register, name="list"),
    path("new/", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/cosign-link/", views.cosign_link, name="cosign_link"),
    path("<int:pk>/cosign/<str:token>/", views.cosign, name="cosign"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
]
