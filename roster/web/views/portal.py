from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static

from roster.accounts.models import PEOPLE_ROLES, Account, Status
from roster.mail.models import OutboxMessage
from roster.orgs.gate import OrgRequest, org_admin_required, org_member_required


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which some browsers and tools ask for whatever the page links."""
    return redirect(static("web/favicon.svg"), permanent=True)


@org_member_required
def dashboard(request: OrgRequest) -> HttpResponse:
    if not request.user.is_org_admin:
        return render(request, "web/welcome.html", {"org": request.org})
    counts = (
        Account.objects.in_org(request.org)
        .people()
        .values("role", "status")
        .annotate(n=Count("id"))
    )
    table = {role.value: dict.fromkeys(Status.values, 0) for role in PEOPLE_ROLES}
    for row in counts:
        table[row["role"]][row["status"]] = row["n"]
    rows = [(role.label + "s", role.value, table[role.value]) for role in PEOPLE_ROLES]
    return render(
        request, "web/dashboard.html", {"org": request.org, "rows": rows, "nav": "dashboard"}
    )


@org_admin_required
def outbox(request: OrgRequest) -> HttpResponse:
    # Not "messages": that name is Django's messages framework, which base.html shows as banners.
    emails = OutboxMessage.objects.filter(organization=request.org)[:200]
    return render(
        request, "web/outbox.html", {"org": request.org, "emails": emails, "nav": "outbox"}
    )


@org_admin_required
def outbox_message(request: OrgRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(
        OutboxMessage.objects.filter(organization=request.org), pk=message_id
    )
    return render(
        request,
        "web/outbox_message.html",
        {"org": request.org, "message": message, "nav": "outbox"},
    )
