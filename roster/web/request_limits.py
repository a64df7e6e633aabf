"""How large a request body Roster reads, and for whom (issue 11, finding 3; issue 16).

Every request may carry a few MB (DATA_UPLOAD_MAX_MEMORY_SIZE). Only an organization's
admin on a page that takes an import (Add Multiple Users, a review's fixed rows) may send up to the import limit,
and that body is parsed by ImportFormHandler: files go straight to disk, pasted text is
decoded as it streams in. Anything larger is answered 413 from its Content-Length alone
(the session's user is looked up, the body is not read), before CSRF or a view could touch
request.POST: an anonymous 250 MB POST costs nothing.
"""

import codecs
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import (
    FIELD,
    FILE,
    ChunkIter,
    LazyStream,
    Parser,
)
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict
from django.utils.encoding import force_str

from roster.accounts.models import Account
from roster.api.uploads import API_UPLOADS, api_may_upload, api_too_large

MB = 1024 * 1024
CHUNK = 64 * 1024
# The pages where an admin uploads a file or pastes text (URL names).
IMPORT_FORMS = {"web:add-users", "web:import-fix-upload"}


def small_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def import_limit() -> int:
    """One import's worth (the readers' own limit) plus the form's other fields."""
    return int(settings.IMPORT_MAX_UPLOAD_MB) * MB + small_limit()


def content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _imports_for(request: HttpRequest) -> bool:
    """Whether this request is an admin's, on an import page of their own organization
    (or the API's upload, with a live token allowed to import)."""
    if request.path_info in API_UPLOADS:
        return api_may_upload(request)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if match.view_name not in IMPORT_FORMS:
        return False
    user = getattr(request, "user", None)
    return (
        isinstance(user, Account)
        and user.is_authenticated
        and user.is_org_admin
        and user.organization is not None
        and user.organization.slug == match.kwargs.get("slug")
    )


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """413 with a page that says what may be sent (rendered without reading the body)."""
    if request.path_info.startswith("/api/"):
        return api_too_large(limit)
    context = {"max_mb": settings.IMPORT_MAX_UPLOAD_MB, "limit_mb": max(1, limit // MB)}
    return render(request, "413.html", context, status=413)


class RequestBodyLimitMiddleware:
    """Refuses a body over the caller's limit before anything reads it.

    Goes after AuthenticationMiddleware (it reads request.user, from the session cookie)
    and runs before every middleware's process_view, so CSRF's check of a form token
    cannot read a body this refuses.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = content_length(request)
        if length > small_limit() or request.method == "POST":
            if _imports_for(request):
                if length > import_limit():
                    return too_large(request, import_limit())
                request.upload_handlers = [ImportFormHandler(request)]
            elif length > small_limit():
                return too_large(request, small_limit())
        return self.get_response(request)


class ImportFormHandler(FileUploadHandler):
    """Parses an import form: every file to a temporary file, every text field decoded as
    it streams in (about twice the text's size at the peak, like Django's parser).

    Django's parser holds text fields to DATA_UPLOAD_MAX_MEMORY_SIZE, one limit for every
    view; this one takes over the whole parse (handle_raw_input), so that limit stays small
    for everyone else. The body's size was checked by the middleware.
    """

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: Any,  # bytes (the stubs say str)
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, Any]]:
        charset = encoding or settings.DEFAULT_CHARSET
        post = QueryDict(mutable=True, encoding=charset)
        files: MultiValueDict[str, Any] = MultiValueDict()
        stream = LazyStream(ChunkIter(input_data, CHUNK))
        most = (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or 1000) + (
            settings.DATA_UPLOAD_MAX_NUMBER_FILES or 100
        )
        for count, (item_type, meta, part) in enumerate(Parser(stream, boundary)):
            if count > most + 2:  # 2: the empty parts before the first and after the last
                raise TooManyFieldsSent("The import form has more fields than it could.")
            disposition = meta.get("content-disposition", ("", {}))[1]
            name = force_str(disposition.get("name", ""), charset, errors="replace").strip()
            if item_type == FIELD and name:
                post.appendlist(name, _decoded(part, charset))
            elif item_type == FILE and name and disposition.get("filename"):
                files.appendlist(name, _to_disk(part, meta, disposition, charset))
            else:
                exhaust(part)
        exhaust(input_data)
        post._mutable = False
        return post, files

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        return raw_data  # never called: handle_raw_input parsed the whole body

    def file_complete(self, file_size: int) -> None:
        return None


def exhaust(stream: Any) -> None:
    for _ in stream:
        pass


def _decoded(part: Any, charset: str) -> str:
    decoder = codecs.getincrementaldecoder(charset)(errors="replace")
    pieces = [decoder.decode(chunk) for chunk in part]
    pieces.append(decoder.decode(b"", final=True))
    return "".join(pieces)


def _to_disk(
    part: Any, meta: dict[str, Any], disposition: dict[str, Any], charset: str
) -> TemporaryUploadedFile:
    raw_name = force_str(disposition["filename"], charset, errors="replace")
    file_name = raw_name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "upload"
    content_type, extra = meta.get("content-type", ("", {}))
    upload = TemporaryUploadedFile(
        file_name, content_type.strip(), 0, extra.get("charset"), content_type_extra=extra
    )
    size = 0
    for chunk in part:
        upload.write(chunk)
        size += len(chunk)
    upload.flush()
    upload.seek(0)
    upload.size = size
    return upload
