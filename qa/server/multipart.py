"""Multipart uploads as browsers and HTTP libraries send them, RFC 5987 file names included."""

from __future__ import annotations

import codecs
import re
from urllib.parse import unquote_to_bytes

from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from .errors import APIError

# filename*=UTF-8''%E6%96%B0%E9%97%BB.txt (charset, optional language, percent-encoded name)
_EXTENDED_RE = re.compile(rb"""filename\*\s*=\s*([A-Za-z0-9!#$%&+^_`{}~.-]+)'[^']*'([^;\s]+)""", re.IGNORECASE)
_PLAIN_RE = re.compile(rb"(?:^|;)\s*filename\s*=", re.IGNORECASE)


def plain_filename(disposition: bytes) -> bytes:
    """A Content-Disposition value with `filename="…"` added when it names the file only as
    `filename*=charset''…` (which the multipart parser underneath ignores)."""
    match = _EXTENDED_RE.search(disposition)
    if match is None or _PLAIN_RE.search(disposition):
        return disposition
    charset = match.group(1).decode("ascii")
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    name = unquote_to_bytes(match.group(2)).decode(charset, errors="replace")
    safe = name.replace("\\", "_").replace('"', "_").encode("utf-8")
    return disposition + b'; filename="' + safe + b'"'


class _Parser(MultiPartParser):
    def on_headers_finished(self) -> None:
        self._current_part.content_disposition = plain_filename(self._current_part.content_disposition or b"")
        super().on_headers_finished()


async def read_form(request: Request, max_files: int, max_fields: int, max_part_size: int) -> FormData:
    """The request's multipart form (the caller closes it); APIError 400 for a malformed one."""
    parser = _Parser(request.headers, request.stream(), max_files=max_files, max_fields=max_fields,
                     max_part_size=max_part_size)
    try:
        return await parser.parse()
    except MultiPartException as exc:
        raise APIError(400, f"上传的表单格式不对({exc.message})。", code="invalid_form") from None
