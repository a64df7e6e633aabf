from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower

from roster.accounts.links import LINK_FIELD_ROLES
from roster.accounts.models import PEOPLE_ROLES, Account, Role, Status
from roster.importing.characters import control_names
from roster.importing.fields import FIELDS, Kind, email_key, fields_for, identity_key, link_values
from roster.importing.issues import DESCRIPTIONS, IssueCode
from roster.importing.jobs import NewSource
from roster.orgs.models import Organization


class LoginForm(forms.Form):
    login = forms.CharField(label="Email or username", max_length=254)
    password = forms.CharField(widget=forms.PasswordInput)


class AccountForm(forms.Form):
    """One person, by hand. Every value goes through the field catalogue, like an import row."""

    role = forms.ChoiceField(choices=[(role.value, role.label) for role in PEOPLE_ROLES])

    def __init__(self, *args: Any, org: Organization, account: Account | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.org = org
        self.account = account
        for field in FIELDS:
            widget = forms.Textarea(attrs={"rows": 2}) if field.kind is Kind.LINKS else None
            self.fields[field.name] = forms.CharField(
                label=field.label,
                required=False,
                help_text=field.help,
                widget=widget,
                max_length=None if field.kind is Kind.LINKS else field.max_length + 50,
            )
        if account is not None:
            self.fields["role"].disabled = True
        self.linked: dict[str, list[Account]] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "role" not in data:
            return data
        role = Role(data["role"])
        for field in FIELDS:
            raw = data.get(field.name, "")
            if role not in field.roles:
                if raw.strip():
                    self.add_error(field.name, f"Only for {', '.join(sorted(field.roles))}s.")
                data[field.name] = ""
            elif field.kind is Kind.LINKS:
                self.linked[field.name] = self._resolve_links(field.name, raw)
            else:
                checked = field.check(raw, region=self.org.default_region)
                data[field.name] = checked.value
                if checked.removed:  # typed by hand: the admin removes them, nothing silently
                    self.add_error(field.name, _controls_message(checked.removed))
                elif checked.issue is not None and checked.issue is not IssueCode.INVALID_PHONE:
                    self.add_error(field.name, _message(checked.issue, checked.detail))
                elif not checked.value and role in field.required_for:
                    self.add_error(field.name, DESCRIPTIONS[IssueCode.MISSING_REQUIRED])
        if role == Role.STUDENT and not data.get("email") and not data.get("username"):
            self.add_error("email", "A student needs an email or a username.")
        needs_parent = role == Role.STUDENT and data.get("username") and not data.get("email")
        if needs_parent and not self.linked.get("parent_emails"):
            self.add_error("parent_emails", DESCRIPTIONS[IssueCode.STUDENT_NEEDS_PARENT])
        self._check_identity_is_free("email", data.get("email", ""))
        self._check_identity_is_free("username", data.get("username", ""))
        return data

    def _others(self) -> Any:
        others = Account.objects.in_org(self.org)
        return others.exclude(pk=self.account.pk) if self.account else others

    def _check_identity_is_free(self, name: str, value: str) -> None:
        if value and self._others().alias(key=Lower(name)).filter(key=identity_key(value)).exists():
            self.add_error(name, f"Another user of your organization already has this {name}.")

    def _resolve_links(self, name: str, raw: str) -> list[Account]:
        keys = {_link_key(value): value for value in link_values(raw)}
        if not keys:
            return []
        found = self._others().alias(e=Lower("email"), u=Lower("username"))
        people = list(found.filter(Q(e__in=keys) | Q(u__in=keys)))
        by_key = {identity_key(p.email): p for p in people if p.email}
        by_key |= {identity_key(p.username): p for p in people if p.username}
        wanted = LINK_FIELD_ROLES[name]
        for key, typed in keys.items():
            person = by_key.get(key)
            if person is None:
                self.add_error(name, f"{typed}: {DESCRIPTIONS[IssueCode.UNKNOWN_ASSOCIATION]}")
            elif person.role != wanted:
                self.add_error(name, f"{typed} is a {person.role}, not a {wanted.value}.")
        return [p for key in keys if (p := by_key.get(key)) is not None and p.role == wanted]


def _controls_message(removed: str) -> str:
    names = control_names(removed)
    return f"This value holds invisible control characters ({names}); please remove them."


def _link_key(value: str) -> str:
    return email_key(value) if "@" in value else identity_key(value)


def _message(code: IssueCode, detail: str) -> str:
    return (
        f"{DESCRIPTIONS[code]} {detail[:1].upper()}{detail[1:]}." if detail else DESCRIPTIONS[code]
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    role = forms.ChoiceField(
        required=False, choices=[("", "All roles")] + [(r.value, r.label) for r in PEOPLE_ROLES]
    )
    status = forms.ChoiceField(required=False, choices=[("", "All statuses"), *Status.choices])


def initial_for(account: Account, linked: dict[str, list[Account]]) -> dict[str, str]:
    values = {
        field.name: str(getattr(account, field.name, ""))
        for field in fields_for(Role(account.role))
    }
    for name, people in linked.items():
        values[name] = "\n".join(person.login_name for person in people)
    values["role"] = account.role
    return values


class ActivationForm(forms.Form):
    """A new password (Django's validators), and for a parent, optionally their students'."""

    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Type it again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, account: Account, students: list[Account], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.account = account
        self.students = students
        for student in students:
            self.fields[f"student_{student.pk}"] = forms.CharField(
                label=f"Password for {student.first_name} {student.last_name} (username {student.username})",
                required=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                help_text="Optional: you can also set it later from your page.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            _validate_password(self, "password1", first, self.account)
        for student in self.students:
            chosen = data.get(f"student_{student.pk}")
            if chosen:
                _validate_password(self, f"student_{student.pk}", chosen, student)
        return data

    def student_passwords(self) -> dict[int, str]:
        return {
            s.pk: self.cleaned_data[f"student_{s.pk}"]
            for s in self.students
            if self.cleaned_data.get(f"student_{s.pk}")
        }


class StudentPasswordForm(forms.Form):
    password = forms.CharField(
        label="New password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, student: Account, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.student = student

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        _validate_password(self, "password", password, self.student)
        return password


def _validate_password(form: forms.Form, field: str, password: str, account: Account) -> None:
    try:
        password_validation.validate_password(password, account)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(field, message)


ACCEPTED_FILES = ".xlsx,.xlsm,.xls,.ods,.csv,.tsv,.txt,.zip"


class FilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files chosen at once (a school system's export), or one; a list of them."""

    widget = FilesInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        given = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(FilesField, self).clean(each, initial) for each in given]


SHOWN_TAB = "shown_tab"  # the tab on screen when Next was pressed (kept by tabs.js)


class AddUsersForm(forms.Form):
    """The Add Multiple Users page: per role tab, a file to upload or text pasted in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role in PEOPLE_ROLES:
            self.fields[f"{role}_file"] = FilesField(
                label="Upload file",
                required=False,
                widget=FilesInput(attrs={"accept": ACCEPTED_FILES}),
            )
            self.fields[f"{role}_text"] = forms.CharField(
                label=f"Or paste or type {role.label.lower()} information",
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given = self.sources()
        if not given:
            raise ValidationError(
                "Upload a file or paste your users’ information (with its header row) on a tab."
            )
        most = settings.DATA_UPLOAD_MAX_NUMBER_FILES or 100
        if sum(new.upload is not None for new in given) > most:
            raise ValidationError(
                f"Upload at most {most} files at once; zip the others, or import them next."
            )
        return cleaned

    def sources(self) -> list[NewSource]:
        """What was given, tab by tab: files (several at once: one import) and pasted text
        may both come on one tab."""
        given: list[NewSource] = []
        for role in PEOPLE_ROLES:
            for upload in self.cleaned_data.get(f"{role}_file") or ():
                given.append(NewSource(role=Role(role), upload=upload))
            text = self.cleaned_data.get(f"{role}_text") or ""
            if text and not text.isspace():  # strip() would copy a pasted 250 MB
                given.append(NewSource(role=Role(role), text=text))
        return given

    def panels(self) -> list[tuple[Role, forms.BoundField, forms.BoundField, bool]]:
        """Per role tab: its file, its text, and whether it is the tab shown (see shown_role)."""
        shown = self.shown_role()
        return [
            (Role(role), self[f"{role}_file"], self[f"{role}_text"], role == shown)
            for role in PEOPLE_ROLES
        ]

    def shown_role(self) -> Role:
        """The tab to show: after an error, the one the admin used, with their text still in
        it. The page says which tab was on screen at Next; a tab left empty yields to the
        first tab given something (the pasted text an error is about)."""
        on_screen = self.data.get(SHOWN_TAB, "")
        given = [role for role in PEOPLE_ROLES if self._given(role)]
        if on_screen in given or (on_screen in PEOPLE_ROLES and not given):
            return Role(on_screen)
        return given[0] if given else PEOPLE_ROLES[0]

    def _given(self, role: Role) -> bool:
        text = self.data.get(f"{role}_text", "")
        return bool(self.files.get(f"{role}_file")) or (bool(text) and not text.isspace())


class ReminderSettingsForm(forms.ModelForm[Organization]):
    """Automatic reminders to people who have not activated (off by default), and how long
    an applied import can be undone."""

    remind_after_days = forms.IntegerField(
        label="Remind after (days without an email)", min_value=1, max_value=90
    )
    remind_at_most = forms.IntegerField(
        label="At most (reminders per person)", min_value=1, max_value=10
    )
    undo_window_days = forms.IntegerField(
        label="Undo an applied import within (days)", min_value=0, max_value=90
    )

    class Meta:
        model = Organization
        fields = ["auto_remind", "remind_after_days", "remind_at_most", "undo_window_days"]
        labels = {"auto_remind": "Remind people who have not activated, automatically"}
