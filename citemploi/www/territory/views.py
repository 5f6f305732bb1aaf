"""Territory screens: check an address, check a file, the territory map (and its JSON data)."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from citemploi.core.errors import DomainError
from citemploi.territory import selectors
from citemploi.territory.geocoding import GeocoderError
from citemploi.territory.models import TagJob
from citemploi.territory.permissions import can_check_addresses, can_view_territory_map
from citemploi.territory.services import address_locate
from citemploi.territory.tasks import tag_job_create, tag_jobs_visible_to
from citemploi.www.territory.forms import AddressForm, FileForm


def _require(predicate: object, request: HttpRequest) -> None:
    if not predicate(request.user):  # type: ignore[operator]
        raise PermissionDenied


def address_check(request: HttpRequest) -> HttpResponse:
    _require(can_check_addresses, request)
    form = AddressForm(request.GET or None)
    context: dict[str, object] = {
        "form": form,
        "geo": None,
        "answer": None,
        "unavailable": "",
        "tile_url": settings.MAP_TILE_URL,
    }
    context["threshold"] = f"{settings.QPV_BOUNDARY_METERS:g}"
    if form.is_valid():
        data = form.cleaned_data
        try:
            context["geo"], context["answer"] = address_locate(
                data["address"], postcode=data["postcode"], city=data["city"], commune_first=True
            )
        except GeocoderError as exc:
            context["unavailable"] = str(exc)
    context["status"] = selectors.perimeter_status()
    return render(request, "territory/address_check.html", context)


def file_check(request: HttpRequest) -> HttpResponse:
    _require(can_check_addresses, request)
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload, geocode = form.cleaned_data["file"], form.cleaned_data["geocode"]
            job = tag_job_create(owner=request.user, upload=upload, geocode=geocode)  # type: ignore[arg-type]
        except DomainError as error:  # over the limits, or a check already running: nothing was written
            form.add_error("file", error.message)
        else:
            messages.info(request, _("Fichier reçu : la vérification est lancée."))
            return redirect("territory:file_job", public_id=job.public_id)
    jobs = tag_jobs_visible_to(request.user)[:20]  # type: ignore[arg-type]
    return render(
        request,
        "territory/file_check.html",
        {
            "form": form,
            "jobs": jobs,
            "retention_hours": settings.QPV_FILE_RETENTION_HOURS,
            "max_mb": settings.QPV_FILE_MAX_MB,
        },
    )


def _job(request: HttpRequest, public_id: object) -> TagJob:
    _require(can_check_addresses, request)
    return get_object_or_404(tag_jobs_visible_to(request.user), public_id=public_id)  # type: ignore[arg-type]


def file_job(request: HttpRequest, public_id: object) -> HttpResponse:
    job = _job(request, public_id)
    status_url = reverse("territory:file_job_status", kwargs={"public_id": job.public_id})
    return render(request, "territory/file_job.html", {"job": job, "status_url": status_url})


@require_GET
def file_job_status(request: HttpRequest, public_id: object) -> JsonResponse:
    job = _job(request, public_id)
    download = reverse("territory:file_job_download", kwargs={"public_id": job.public_id}) if job.result else ""
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "percent": job.percent,
            "processed_rows": job.processed_rows,
            "total_rows": job.total_rows,
            "summary": job.summary_lines,
            "error": job.error,
            "download_url": download,
        }
    )


def file_job_download(request: HttpRequest, public_id: object) -> StreamingHttpResponse:
    job = _job(request, public_id)
    if job.status != TagJob.Status.DONE or not job.result:
        raise Http404(_("Le fichier vérifié n'est pas (ou plus) disponible."))
    name = job.result.name.rsplit("/", 1)[-1].split("-", 5)[-1]
    is_xlsx = name.endswith(".xlsx")
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if is_xlsx else "text/csv"
    response = StreamingHttpResponse(_blocks(job), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


def _blocks(job: TagJob) -> Iterator[bytes]:
    """The file is opened only when the response is sent, and closed at its end."""
    with job.result.open("rb") as handle:
        while block := handle.read(1 << 16):
            yield block


def territory_map(request: HttpRequest) -> HttpResponse:
    _require(can_view_territory_map, request)
    context = {
        "communes": selectors.territory_communes(),
        "status": selectors.perimeter_status(),
        "tile_url": settings.MAP_TILE_URL,
    }
    return render(request, "territory/map.html", context)


@require_GET
def qpv_geojson(request: HttpRequest) -> JsonResponse:
    _require(can_view_territory_map, request)
    codes = [c for c in request.GET.get("code", "").split(",") if c][:50]
    return JsonResponse(selectors.qpv_geojson(codes=codes or None))
