from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/<str:label>/<str:pk>/", views.report, name="report"),
    path("item/<str:label>/<str:pk>/", views.item, name="item"),
    path("appeals/<int:pk>/resolve/", views.appeal_resolve, name="appeal_resolve"),
    path("decisions/<int:pk>/appeal/", views.appeal, name="appeal"),
]
