from django.http import HttpResponse
from django.urls import path

app_name = "organizations"

urlpatterns = [
    path("", lambda request: HttpResponse("under construction"), name="directory"),
]
