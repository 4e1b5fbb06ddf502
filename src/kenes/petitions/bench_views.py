"""The benchmark's reference endpoint (bench/petitions_bench.py): the same server, middleware and
database as the signing API, but the view only inserts one row with raw SQL. Mounted at
``/bench/bare`` only when ``settings.KENES_BENCH_ENDPOINTS`` is true (never in production); the
table ``bench_bare`` is created by the benchmark in its own database."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_insert(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (n) VALUES (%s)", [1])
    return HttpResponse(status=201)
