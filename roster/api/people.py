"""People through the API: list, read, create, update, deactivate, resend welcome emails.

The same rules and writers as the portal's Add User and edit pages: the single-user
form's checks (roster/web/forms.py AccountForm, the field catalogue's), then
accounts.editing.save_account, all under the organization's lock.
"""

from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from roster.accounts.editing import deactivate_account, save_account
from roster.accounts.links import linked_accounts
from roster.accounts.models import Account, AccountQuerySet
from roster.accounts.resend import resend_welcome_emails
from roster.api.auth import PEOPLE, READ_PEOPLE, by_token, token_of
from roster.api.errors import ApiCode, ApiError, not_found, responses
from roster.api.present import person_out
from roster.api.schemas import PeoplePage, PersonIn, PersonOut, PersonPatch, ResendIn, ResendOut
from roster.orgs.locks import lock_accounts_of
from roster.web.forms import AccountForm, initial_for

router = Router(tags=["people"])
LINKS = ("parent_emails", "instructor_emails", "students")


class PeopleFilter(Schema):
    role: Literal["student", "instructor", "parent"] | None = None
    status: Literal["pending", "invited", "active", "deactivated"] | None = None
    q: str | None = Field(None, max_length=200)
    cursor: int | None = Field(None, ge=0)  # the last id of the previous page
    limit: int = Field(50, ge=1, le=500)


def _people(request: HttpRequest) -> AccountQuerySet:
    return Account.objects.in_org(token_of(request).organization).people()


def _person(request: HttpRequest, account_id: int) -> Account:
    account = _people(request).filter(pk=account_id).first()
    if account is None:
        raise not_found("No such person in your organization.")
    return account


@router.get("/people", response=responses({200: PeoplePage}), auth=READ_PEOPLE)
def list_people(request: HttpRequest, filters: Query[PeopleFilter]) -> Any:
    """Students, instructors and parents by id, `limit` at a time; pass `next_cursor` on."""
    people = _people(request)
    if filters.q and filters.q.strip():
        people = people.search(filters.q.strip(), token_of(request).organization)
    if filters.role:
        people = people.filter(role=filters.role)
    if filters.status:
        people = people.filter(status=filters.status)
    if filters.cursor is not None:
        people = people.filter(pk__gt=filters.cursor)
    page = list(people.order_by("pk")[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {
        "items": [person_out(account) for account in page],
        "next_cursor": str(page[-1].pk) if more else None,
    }


@router.get("/people/{int:account_id}", response=responses({200: PersonOut}), auth=READ_PEOPLE)
def read_person(request: HttpRequest, account_id: int) -> Any:
    return person_out(_person(request, account_id), links=True)


def _form_data(values: dict[str, Any]) -> dict[str, str]:
    return {
        name: "\n".join(value) if isinstance(value, list) else str(value)
        for name, value in values.items()
        if value is not None
    }


def _saved(request: HttpRequest, account: Account | None, data: dict[str, str]) -> Account:
    """Checked and saved under the organization's lock, as the portal's form is."""
    org = token_of(request).organization
    with transaction.atomic():
        lock_accounts_of(org)
        form = AccountForm(data, org=org, account=account, initial=data)
        if not form.is_valid():
            found = [
                (field, str(message))
                for field, messages in form.errors.items()
                for message in messages
            ]
            errors = [{"loc": ["body", field], "msg": message} for field, message in found]
            sentence = "The person was not saved: " + " ".join(message for _, message in found)
            raise ApiError(422, ApiCode.INVALID_PERSON, sentence, errors=errors)
        return save_account(org, account, form.cleaned_data, form.linked, by=by_token(request))


@router.post("/people", response=responses({201: PersonOut}), auth=PEOPLE)
def create_person(request: HttpRequest, body: PersonIn) -> Any:
    """A new person, pending like an imported one (no welcome email until resent)."""
    account = _saved(request, None, _form_data(body.model_dump()))
    return Status(201, person_out(account, links=True))


@router.patch("/people/{int:account_id}", response=responses({200: PersonOut}), auth=PEOPLE)
def update_person(request: HttpRequest, account_id: int, body: PersonPatch) -> Any:
    """Change the fields given; links given replace the person's links of that kind."""
    account = _person(request, account_id)
    linked = linked_accounts(account)
    current = {"parent_emails": linked.parents, "instructor_emails": linked.instructors}
    current["students"] = linked.students
    data = initial_for(account, current) | _form_data(body.model_dump(exclude_unset=True))
    account = _saved(request, account, data)
    return person_out(account, links=True)


@router.post(
    "/people/{int:account_id}/deactivate", response=responses({200: PersonOut}), auth=PEOPLE
)
def deactivate_person(request: HttpRequest, account_id: int) -> Any:
    account = deactivate_account(
        token_of(request).organization, _person(request, account_id), by=by_token(request)
    )
    return person_out(account, links=True)


@router.post("/people/resend", response=responses({200: ResendOut}), auth=PEOPLE)
def resend_welcome(request: HttpRequest, body: ResendIn) -> Any:
    """Queue a new welcome email for each chosen person who can still activate."""
    chosen = _people(request).filter(pk__in=body.ids)
    if chosen.count() != len(set(body.ids)):
        raise not_found("Some of these people are not in your organization.")
    result = resend_welcome_emails(token_of(request).organization, chosen, by=by_token(request))
    return {
        "queued": result.queued,
        "already_active": result.already_active,
        "recently_sent": result.recently_sent,
        "no_email": result.no_email,
    }
