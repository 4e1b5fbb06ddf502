from django.urls import path

from . import opendata, views

app_name = "registry"

urlpatterns = [
    path("", views.ngo_list, name="list"),
    path("new/", views.ngo_create, name="create"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.ngo_detail, name="detail"),
    path("<int:pk>/status/", views.ngo_status, name="status"),
    path("<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/action/", views.import_action, name="import_action"),
    path("imports/<int:pk>/bad-rows.csv", views.import_bad_rows, name="import_bad_rows"),
    path("imports/template/<str:kind>.csv", views.import_template, name="import_template"),
    *opendata.urlpatterns,
]
