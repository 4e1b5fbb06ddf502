from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("", views.call_list, name="calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/apply/", views.apply, name="apply"),
    path("calls/<int:pk>/manage/", views.call_manage, name="call_manage"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/publish/", views.call_publish, name="call_publish"),
    path("calls/<int:pk>/close/", views.call_close, name="call_close"),
    path("calls/<int:pk>/experts/", views.expert_assign, name="expert_assign"),
    path("calls/<int:pk>/rank/", views.call_rank, name="call_rank"),
    path("calls/<int:pk>/award/", views.call_award, name="call_award"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/calls/new/", views.call_new, name="call_new"),
    path("manage/", views.manage, name="manage"),
    path("mine/", views.mine, name="mine"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/eligibility/", views.eligibility, name="eligibility"),
    path("applications/<int:pk>/score/", views.score, name="score"),
    path("applications/<int:pk>/complain/", views.complain, name="complain"),
    path("applications/<int:pk>/contract/", views.contract_new, name="contract_new"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("expert/", views.expert_home, name="expert"),
    path("assignments/<int:pk>/", views.declare, name="declare"),
    path("assignments/<int:pk>/remove/", views.expert_unassign, name="expert_unassign"),
    path("milestones/<int:pk>/report/", views.report_new, name="report_new"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("contracts/<int:pk>/notes/", views.monitoring_note, name="monitoring_note"),
    path("contracts/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("contracts/<int:pk>/evaluation/", views.final_evaluation, name="final_evaluation"),
]
