"""Pages of the NGO registry: the public list and NGO page with its reports, a report with its
versions, the report forms for the NGO's head and officers, the staff's status change, the import
pages for staff, and the public statistics.

Every POST view checks the permission, validates a form, calls ONE service, then redirects with a
message or re-renders with what the person typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kenes.common.forms import add_service_errors
from kenes.common.pagination import PageRequest, paginate
from kenes.common.permissions import require_perm
from kenes.common.views import message_refusal

from . import importing, selectors, services
from .forms import ImportForm, NGOFilterForm, NGOForm, ReportForm, StatisticsForm, StatusForm
from .models import PRIVATE_FIELDS, ImportJob, NGOProfile


def _can(request: HttpRequest, perm: str, obj: Any = None) -> bool:
    return bool(request.user.has_perm(perm, obj))


# --- public pages ----------------------------------------------------------------------------------------


@require_GET
def ngo_list(request: HttpRequest) -> HttpResponse:
    form = NGOFilterForm(request.GET)
    page = paginate(selectors.ngo_list(**form.filters()), PageRequest.from_params(request.GET))
    context = {
        "form": form,
        "page": page,
        "can_import": _can(request, "registry.import_importjob"),
        "can_add": _can(request, "registry.add_ngoprofile"),
    }
    return render(request, "registry/list.html", context)


def _detail_context(request: HttpRequest, ngo: NGOProfile) -> dict[str, Any]:
    return {
        "ngo": ngo,
        "organization": ngo.organization,
        "reports": selectors.ngo_reports(ngo),
        "can_submit": _can(request, "registry.submit_annualreport", ngo),
        "can_set_status": _can(request, "registry.set_status_ngoprofile", ngo),
    }


@require_http_methods(["GET", "POST"])
@login_required
def ngo_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "registry.add_ngoprofile")
    form = NGOForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ngo = services.ngo_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The NGO has been entered in the registry."))
            return redirect("registry:detail", pk=ngo.pk)
    return render(request, "registry/ngo_form.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def ngo_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ngo = selectors.ngo_get(pk)
    context = _detail_context(request, ngo)
    if context["can_set_status"]:
        context["status_form"] = StatusForm(initial={"status": ngo.status})
    return render(request, "registry/detail.html", context)


@require_POST
@login_required
def ngo_status(request: HttpRequest, pk: int) -> HttpResponse:
    ngo = selectors.ngo_get(pk)
    require_perm(request.user, "registry.set_status_ngoprofile", ngo)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.ngo_set_status(actor=request.user, ngo=ngo, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The status has been changed."))
            return redirect("registry:detail", pk=ngo.pk)
    context = {**_detail_context(request, ngo), "status_form": form}
    return render(request, "registry/detail.html", context, status=400)


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(pk)
    ngo = report.ngo
    due = services.due_on(report.year)
    context = {
        "report": report,
        "ngo": ngo,
        "versions": selectors.report_versions(report),
        "show_private": _can(request, "registry.view_private_annualreport", ngo),
        "can_correct": report.is_current and _can(request, "registry.submit_annualreport", ngo),
        "late": services.is_late(report, due),
        "due_on": due,
    }
    return render(request, "registry/report_detail.html", context)


# --- report forms ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    ngo = selectors.ngo_get(pk)
    require_perm(request.user, "registry.submit_annualreport", ngo)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(
                actor=request.user, ngo=ngo, year=form.cleaned_data["year"], **form.values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report has been submitted. Thank you."))
            return redirect("registry:report", pk=report.pk)
    context = {"form": form, "ngo": ngo, "private_fields": PRIVATE_FIELDS}
    return render(request, "registry/report_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(pk)
    require_perm(request.user, "registry.submit_annualreport", report.ngo)
    if not report.is_current:
        raise Http404("Only the current version can be corrected.")
    form = ReportForm(request.POST or None, instance=report, correcting=True)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.report_correct(
                actor=request.user, report=report, reason=form.cleaned_data["reason"], **form.values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The corrected version has been published."))
            return redirect("registry:report", pk=new.pk)
    context = {"form": form, "ngo": report.ngo, "report": report, "private_fields": PRIVATE_FIELDS}
    return render(request, "registry/report_form.html", context, status=400 if form.errors else 200)


# --- imports (staff) -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "registry.import_importjob")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["mode"] == "check",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("registry:import", pk=job.pk)
    page = paginate(selectors.import_jobs(), PageRequest.from_params(request.GET))
    context = {"form": form, "page": page, "kinds": ImportJob.Kind.choices, "columns": importing.COLUMNS}
    return render(request, "registry/imports.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "registry.view_importjob")
    job = selectors.import_job_get(pk)
    page = paginate(selectors.import_row_errors(job), PageRequest.from_params(request.GET))
    context = {
        "job": job,
        "page": page,
        "auto_refresh": not job.is_finished and not request.GET.get("static"),
    }
    return render(request, "registry/import_detail.html", context)


@require_GET
@login_required
def import_bad_rows(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "registry.view_importjob")
    job = selectors.import_job_get(pk)
    response = HttpResponse(importing.bad_rows_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-bad-rows.csv"'
    return response


@require_GET
@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    require_perm(request.user, "registry.import_importjob")
    if kind not in ImportJob.Kind.values:
        raise Http404("No such import.")
    response = HttpResponse(importing.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registry-{kind}.csv"'
    return response


@require_POST
@login_required
def import_action(request: HttpRequest, pk: int) -> HttpResponse:
    """``action=import`` imports a checked file; ``action=resume`` resumes a failed import."""
    require_perm(request.user, "registry.import_importjob")
    job = selectors.import_job_get(pk)
    try:
        if request.POST.get("action") == "resume":
            job = services.import_job_resume(actor=request.user, job=job)
        else:
            job = services.import_job_import_checked(actor=request.user, job=job)
    except ValidationError as exc:
        message_refusal(request, exc)
    return redirect("registry:import", pk=job.pk)


# --- statistics ------------------------------------------------------------------------------------------


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET)
    territory = form.cleaned_data.get("territory") if form.is_valid() else None
    context = {"form": form, **selectors.statistics(parent=territory)}
    return render(request, "registry/statistics.html", context)
