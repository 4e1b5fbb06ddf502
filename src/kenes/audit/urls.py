from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.blocks, name="blocks"),
    path("blocks/<int:number>/", views.block, name="block"),
]
