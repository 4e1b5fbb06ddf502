from django.http import HttpResponse
from django.urls import path

app_name = "territories"

urlpatterns = [
    path("", lambda request: HttpResponse("under construction"), name="list"),
]
