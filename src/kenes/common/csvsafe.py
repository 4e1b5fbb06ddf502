"""CSV that a spreadsheet will not run, for every module's downloads and open data: a text cell
starting like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe, so a file opened in a spreadsheet shows the text instead of running it."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], fields: list[str]) -> str:
    """The whole file as text (header first; keys not in ``fields`` are left out)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return out.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterable[dict[str, Any]], fields: list[str], filename: str) -> StreamingHttpResponse:
    """A download streamed row by row (``rows`` may be a lazy query), as ``filename``."""
    writer = csv.DictWriter(_Echo(), fieldnames=fields, extrasaction="ignore")

    def lines() -> Iterator[str]:
        yield writer.writeheader()
        for row in rows:
            yield writer.writerow({key: safe_cell(value) for key, value in row.items()})

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
