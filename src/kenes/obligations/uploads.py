"""What may be attached to a response or uploaded as evidence, checked by extension AND content.

PDF, PNG, JPEG, DOCX, ODT and plain text; at most ``MAX_UPLOAD_BYTES`` each and ``MAX_ATTACHMENTS``
per response. File names are reduced to a safe slug (no directories, no ``../``). Files are served
only through a view that checks ``obligations.view_obligation`` and sends them as attachments.
"""

import io
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
_SNIFF_BYTES = 8192


def _is_pdf(head: bytes, file: Any) -> bool:
    return head.startswith(b"%PDF-")


def _is_png(head: bytes, file: Any) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(head: bytes, file: Any) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _zip_names(file: Any) -> tuple[list[str], bytes]:
    file.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(file.read())) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
            return names, mimetype
    except (zipfile.BadZipFile, KeyError, OSError):
        return [], b""
    finally:
        file.seek(0)


def _is_docx(head: bytes, file: Any) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    names, _mimetype = _zip_names(file)
    return "[Content_Types].xml" in names and any(name.startswith("word/") for name in names)


def _is_odt(head: bytes, file: Any) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    _names, mimetype = _zip_names(file)
    return mimetype.strip() == b"application/vnd.oasis.opendocument.text"


def _is_text(head: bytes, file: Any) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:  # a multi-byte character cut at the end of the sniffed bytes
        return error.start >= len(head) - 3
    return True


@dataclass(frozen=True)
class FileType:
    content_type: str
    sniff: Callable[[bytes, Any], bool]


FILE_TYPES: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", _is_pdf),
    ".png": FileType("image/png", _is_png),
    ".jpg": FileType("image/jpeg", _is_jpeg),
    ".jpeg": FileType("image/jpeg", _is_jpeg),
    ".docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _is_docx),
    ".odt": FileType("application/vnd.oasis.opendocument.text", _is_odt),
    ".txt": FileType("text/plain", _is_text),
}


def safe_name(name: str) -> str:
    """``../../etc/Отчёт 2026.PDF`` → ``отчёт-2026.pdf``: the last path part, slugified,
    with a lower-case extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, extension = os.path.splitext(base)
    stem = slugify(stem, allow_unicode=True)[:100].strip("-_") or "file"
    extension = extension.lower() if extension.lower() in FILE_TYPES else ""
    return f"{stem}{extension}"


@dataclass(frozen=True)
class CheckedUpload:
    file: Any
    name: str
    size: int
    content_type: str


def check_upload(file: Any) -> CheckedUpload:
    """Refuse a file that is too big, of a type not allowed, or whose content does not match its name."""
    original = getattr(file, "name", "") or ""
    name = safe_name(original)
    extension = os.path.splitext(name)[1]
    file_type = FILE_TYPES.get(extension)
    if file_type is None:
        raise ValidationError(
            _("%(name)s: only PDF, PNG, JPEG, DOCX, ODT and TXT files can be uploaded."),
            code="file_type",
            params={"name": name},
        )
    size = file.size
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB."),
            code="file_size",
            params={"name": name, "limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    if not head or not file_type.sniff(head, file):
        raise ValidationError(
            _("%(name)s does not contain what its name says it is."),
            code="file_content",
            params={"name": name},
        )
    return CheckedUpload(file=file, name=name, size=size, content_type=file_type.content_type)


def check_uploads(files: Sequence[Any], limit: int = MAX_ATTACHMENTS) -> list[CheckedUpload]:
    if len(files) > limit:
        raise ValidationError(
            _("At most %(limit)s files can be attached."), code="file_count", params={"limit": limit}
        )
    return [check_upload(file) for file in files]
