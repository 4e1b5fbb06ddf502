from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("", views.territory_list_view, name="list"),
    path("<str:code>/", views.territory_detail_view, name="detail"),
]
