from django.urls import path

from . import views

app_name = "budgeting"

urlpatterns = [
    path("", views.process_list, name="list"),
    path("compare/", views.compare, name="compare"),
    path("<int:pk>/", views.process_detail, name="detail"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/count/", views.count, name="count"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/export.pb", views.export, name="export"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/support/", views.support, name="support"),
    path("proposals/<int:pk>/merge/", views.merge, name="merge"),
    path("proposals/<int:pk>/images/<int:image_pk>/", views.proposal_image, name="image"),
]
