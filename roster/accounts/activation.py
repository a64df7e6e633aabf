"""Activation links and activating an account (PRODUCT.md, "Invitations").

A link is signed and dated (django.core.signing), names one invitation, and carries a hash
of the account's state: it stops working when it expires, once the account is activated
(status and password change), or once a newer invitation exists for the account.
"""

from collections.abc import Mapping
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from roster.accounts.models import Account, Invitation, Role, Status
from roster.orgs.locks import lock_accounts_of
from roster.orgs.models import Organization

_SALT = "roster.accounts.activation"


class LinkProblem(StrEnum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    SUPERSEDED = "superseded"
    DEACTIVATED = "deactivated"


class ActivationLinkError(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _state(invitation: Invitation) -> str:
    account = invitation.account
    # Not the status itself: sending the email moves it from pending to invited.
    value = f"{account.pk}:{account.is_active}:{account.password}:{invitation.pk}"
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()[:32]


def activation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object(
        {"i": invitation.pk, "s": _state(invitation)}
    )


def activation_url(invitation: Invitation) -> str:
    slug = invitation.account.organization.slug  # type: ignore[union-attr]
    return f"{settings.SITE_URL}/o/{slug}/activate/{activation_token(invitation)}/"


def invitation_for_token(org: Organization, token: str) -> Invitation:
    """The invitation a link names, if the link still works; else ActivationLinkError."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        data = signer.unsign_object(token, max_age=settings.ACTIVATION_LINK_DAYS * 86400)
    except signing.SignatureExpired:
        raise ActivationLinkError(LinkProblem.EXPIRED) from None
    except signing.BadSignature:
        raise ActivationLinkError(LinkProblem.INVALID) from None
    invitation = (
        Invitation.objects.in_org(org).select_related("account").filter(pk=data.get("i")).first()
    )
    if invitation is None:
        raise ActivationLinkError(LinkProblem.INVALID)
    _check_can_activate(invitation.account.status)
    newest = Invitation.objects.in_org(org).filter(account=invitation.account).latest("pk")
    if newest.pk != invitation.pk:
        raise ActivationLinkError(LinkProblem.SUPERSEDED)
    if not constant_time_compare(str(data.get("s")), _state(invitation)):
        raise ActivationLinkError(LinkProblem.INVALID)
    return invitation


def _check_can_activate(status: str) -> None:
    if status == Status.ACTIVE:
        raise ActivationLinkError(LinkProblem.USED)
    if status == Status.DEACTIVATED:
        # The admin closed the account: an old link must not reopen it.
        raise ActivationLinkError(LinkProblem.DEACTIVATED)


def students_to_set_up(parent: Account) -> list[Account]:
    """The parent's linked username-only students who cannot log in yet."""
    if parent.role != Role.PARENT:
        return []
    return list(
        Account.objects.in_org(parent.organization)  # type: ignore[arg-type]
        .filter(role=Role.STUDENT, email="", parent_links__parent=parent)
        .exclude(status__in=[Status.ACTIVE, Status.DEACTIVATED])
        .order_by("first_name", "last_name")
    )


@transaction.atomic
def activate_account(
    account: Account, *, password: str, students: Mapping[int, str] | None = None
) -> None:
    """Set the password and make the account active; a parent may set up their students.

    Raises ActivationLinkError if the account was activated or deactivated meanwhile.
    """
    org_id = account.organization_id
    assert org_id is not None  # operators have no activation link
    lock_accounts_of(org_id)  # first, like every writer (an import may run)
    # Locked and read again: the link was checked before the person chose a password.
    current = (
        Account.objects.select_for_update()
        .only("status")
        .get(organization_id=org_id, pk=account.pk)
    )
    _check_can_activate(current.status)
    account.set_password(password)
    account.status = Status.ACTIVE
    account.activated_at = timezone.now()
    account.save(update_fields=["password", "status", "activated_at", "updated_at"])
    chosen = students or {}
    for student in students_to_set_up(account):
        if chosen.get(student.pk):
            set_up_student(student, password=chosen[student.pk])


def set_up_student(student: Account, *, password: str) -> None:
    """A parent chose their username-only student's password: the student can now log in."""
    assert student.role == Role.STUDENT and not student.email
    student.set_password(password)
    student.status = Status.ACTIVE
    student.activated_at = timezone.now()
    student.save(update_fields=["password", "status", "activated_at", "updated_at"])
