"""Resending welcome emails (admins) and setting up students' logins (parents)."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from roster.accounts.activation import set_up_student
from roster.accounts.models import Account, Role, Status
from roster.accounts.resend import ResendResult, resend_welcome_emails
from roster.audit.log import By
from roster.orgs.gate import OrgRequest, org_admin_required, org_member_required
from roster.web.forms import StudentPasswordForm
from roster.web.views.users import filtered_people


@org_admin_required
def resend_one(request: OrgRequest, account_id: int) -> HttpResponse:
    people = Account.objects.in_org(request.org).people()
    account = get_object_or_404(people, pk=account_id)  # before the method: 404, not 405
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _report(
        request,
        resend_welcome_emails(request.org, people.filter(pk=account.pk), by=By.web(request)),
    )
    return redirect("web:user-detail", slug=request.org.slug, account_id=account.pk)


@org_admin_required
@require_POST
def resend_many(request: OrgRequest) -> HttpResponse:
    """The selected users, or everyone the current search shows ("scope=all")."""
    if request.POST.get("scope") == "all":
        chosen = filtered_people(request.org, request.POST)
    else:
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        chosen = Account.objects.in_org(request.org).people().filter(pk__in=ids)
    _report(request, resend_welcome_emails(request.org, chosen, by=By.web(request)))
    return redirect(f"{request.path.removesuffix('resend/')}?{request.POST.get('query', '')}")


def _report(request: OrgRequest, result: ResendResult) -> None:
    parts = [f"{result.queued} welcome email{'s' if result.queued != 1 else ''} on the way"]
    if result.already_active:
        parts.append(f"{result.already_active} already active (not sent)")
    if result.recently_sent:
        parts.append(f"{result.recently_sent} sent recently or on the way (not sent again yet)")
    if result.no_email:
        parts.append(f"{result.no_email} without email (their parent sets them up)")
    messages.info(request, "; ".join(parts) + ".")


@org_member_required
def my_students(request: OrgRequest) -> HttpResponse:
    """A parent's page: their username-only students, whose passwords they choose."""
    if request.user.role != Role.PARENT:
        return redirect("web:dashboard", slug=request.org.slug)
    students = list(
        Account.objects.in_org(request.org)
        .filter(role=Role.STUDENT, email="", parent_links__parent=request.user)
        .order_by("first_name")
    )
    return render(request, "web/my_students.html", {"org": request.org, "students": students})


@org_member_required
def set_student_password(request: OrgRequest, account_id: int) -> HttpResponse:
    mine = (
        Account.objects.in_org(request.org)
        .filter(role=Role.STUDENT, email="", parent_links__parent=request.user)
        .exclude(status=Status.DEACTIVATED)
    )
    student = get_object_or_404(mine, pk=account_id)
    form = StudentPasswordForm(request.POST or None, student=student)
    if request.method == "POST" and form.is_valid():
        set_up_student(student, password=form.cleaned_data["password"])
        messages.info(request, f"{student.first_name} can now log in as {student.username}.")
        return redirect("web:my-students", slug=request.org.slug)
    context = {"org": request.org, "form": form, "student": student}
    return render(request, "web/student_password.html", context)
