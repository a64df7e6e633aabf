"""The review's fix file: download the rows to fix as a workbook, upload it back."""

import io
from typing import BinaryIO, cast

from django.contrib import messages
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from roster.audit.log import By
from roster.importing import jobs
from roster.importing.dispatch import refresh_flags
from roster.importing.fix_file import FixFileError, write_fix_file
from roster.importing.jobs.fix_rows import fix_tabs, replace_rows
from roster.importing.models import ImportJob
from roster.importing.report import XLSX
from roster.importing.sources import ReadError, read_file
from roster.importing.upload_limits import upload_limits
from roster.orgs.gate import OrgRequest
from roster.web.views.review import import_view, refused


@import_view()
def download(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """The rows that need attention (?rows=all: every row) as the fix file."""
    every = request.GET.get("rows") == "all"
    data = io.BytesIO()  # XlsxWriter keeps its parts in temporary files until it zips them
    write_fix_file(fix_tabs(job, attention=not every), data)
    response = HttpResponse(data.getvalue(), content_type=XLSX)
    name = f"import-{job.pk}-{'all-rows' if every else 'rows-to-fix'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@import_view(post=True)
def upload(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """A fixed file back into the review: its rows replace those of the same number."""
    back = redirect(reverse("web:import-review", args=[request.org.slug, job.pk]))
    file = request.FILES.get("fix_file")
    if file is None:
        messages.error(request, "Choose the fixed file to upload.")
        return back
    try:
        # A large upload is on disk already (request_limits.ImportFormHandler).
        source = (
            file.temporary_file_path()
            if isinstance(file, TemporaryUploadedFile)
            else cast(BinaryIO, file.file)
        )
        result = read_file(source, file_name=file.name, limits=upload_limits())
        replaced = replace_rows(job, result, by=By.web(request))
    except (ReadError, FixFileError) as error:
        messages.error(request, f"{file.name}: {error.message} Nothing was changed.")
        return back
    except jobs.EditError as error:
        return refused(error)
    job.refresh_from_db()
    refresh_flags(job)
    messages.success(request, _said(replaced))
    return back


def _said(replaced: jobs.Replaced) -> str:
    words = [
        f"{replaced.changed} row{'s' if replaced.changed != 1 else ''} replaced from the fixed file"
    ]
    if replaced.unchanged:
        words.append(f"{replaced.unchanged} sent back unchanged")
    if replaced.gone:
        words.append(f"{replaced.gone} not brought back: deleted from the review since")
    return "; ".join(words) + "."
