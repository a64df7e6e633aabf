"""API tokens in the portal: the owner or an admin makes, names, scopes and revokes them."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from roster.api.models import ApiToken, Scope
from roster.api.tokens import create_token, revoke_token
from roster.orgs.gate import OrgRequest, org_admin_required


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Say what it is for: “Nightly SIS sync”.")
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, label="It may"
    )


@org_admin_required
@require_http_methods(["GET", "POST"])
def tokens(request: OrgRequest) -> HttpResponse:
    """The organization's tokens; a new one's secret is shown on this answer only."""
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        scopes = [Scope(value) for value in form.cleaned_data["scopes"]]
        _token, secret = create_token(request.org, request.user, form.cleaned_data["name"], scopes)
        form = TokenForm()
    context = {
        "nav": "tokens",
        "org": request.org,
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.in_org(request.org)
        .select_related("created_by")
        .order_by("revoked_at", "-created_at"),
        "scope_labels": dict(Scope.choices),
    }
    return render(request, "web/tokens.html", context, status=400 if form.errors else 200)


@org_admin_required
def revoke(request: OrgRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.in_org(request.org), pk=token_id)
    if request.method != "POST":  # found first: another organization's token is 404
        return HttpResponseNotAllowed(["POST"])
    if revoke_token(request.org, token.pk):
        messages.success(request, f"“{token.name}” is revoked: its next call is refused.")
    return redirect("web:api-tokens", slug=request.org.slug)
