"""The header rows of the exports admins bring, exactly as those systems write them.

Each case lists the columns that must map; every other column must map to nothing.
"""

import pytest

from roster.accounts.models import Role
from roster.importing.headers import FULL_NAME, ROLE, guess_role, map_headers

ONEROSTER_1_1 = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
)
ONEROSTER_1_2 = (
    "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,"
    "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,"
    "resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,"
    "primaryOrgSourcedId,pronouns"
)
CANVAS = (
    "user_id,integration_id,login_id,password,ssha_password,authentication_provider_id,"
    "first_name,last_name,full_name,sortable_name,short_name,email,status,pronouns,"
    "declared_user_type,canvas_password_notification,home_account"
)
MOODLE = (
    "username,password,firstname,lastname,email,auth,idnumber,institution,department,city,"
    "country,lang,timezone,phone1,phone2,address,description,middlename,alternatename,"
    "firstnamephonetic,lastnamephonetic,course1,role1,group1,sysrole1,cohort1,profile_field_school"
)
GOOGLE_WORKSPACE = (
    "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],"
    "Password Hash Function [UPLOAD ONLY],Org Unit Path [Required],New Primary Email [UPLOAD ONLY],"
    "Recovery Email,Home Secondary Email,Work Secondary Email,"
    "Recovery Phone [MUST BE IN THE E.164 FORMAT],Work Phone,Home Phone,Mobile Phone,"
    "Work Address,Home Address,Employee ID,Employee Type,Employee Title,Manager Email,"
    "Department,Cost Center,Building ID,Floor Name,Floor Section,Change Password at Next Sign-In,"
    "New Status [UPLOAD ONLY],New Licenses [UPLOAD ONLY],Advanced Protection Program enrollment"
)
MICROSOFT_365 = (
    "User Name,First Name,Last Name,Display Name,Job Title,Department,Office Number,"
    "Office Phone,Mobile Phone,Fax,Alternate email address,Address,City,State or Province,"
    "ZIP or Postal Code,Country or Region"
)
ENTRA = (
    "Name [displayName] Required,User name [userPrincipalName] Required,"
    "Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,"
    "First name [givenName],Last name [surname],Job title [jobTitle],Department [department],"
    "Usage location [usageLocation],Street address [streetAddress],State or province [state],"
    "Country or region [country],Office [physicalDeliveryOfficeName],City [city],"
    "ZIP or postal code [postalCode],Office phone [telephoneNumber],Mobile phone [mobile]"
)
CLEVER_STUDENTS = (
    "School_id,Student_id,Student_number,State_id,Last_name,Middle_name,First_name,Grade,"
    "Gender,Graduation_year,DOB,Race,Hispanic_Latino,Home_language,Ell_status,Frl_status,"
    "IEP_status,Student_street,Student_city,Student_state,Student_zip,Student_email,"
    "Contact_relationship,Contact_type,Contact_name,Contact_phone,Contact_email,Contact_sis_id,"
    "Username,Password"
)
CLEVER_TEACHERS = (
    "School_id,Teacher_id,Teacher_number,State_teacher_id,Teacher_email,First_name,"
    "Middle_name,Last_name,Title,Username,Password"
)
POWERSCHOOL_STUDENTS = (
    "Student_Number,SchoolID,EntryDate,ExitDate,First_Name,Middle_Name,Last_Name,LastFirst,"
    "Gender,Grade_Level,Home_Phone,Network_ID,Student_Web_ID,Mother_First,Mother,Mother_Email,"
    "Father_First,Father,Father_Email,Guardianemail"
)
POWERSCHOOL_TEACHERS = "TeacherNumber,First_Name,Last_Name,SchoolID,Email_Addr,[05]TeacherNumber"
GOOGLE_FORM = (
    "Timestamp|Email Address|Student's first name|Student's last name|Parent/Guardian email|"
    "Parent phone number|What grade is your child in?|What is your phone number?|Score"
)

CASES = {
    "oneroster-1.1": (
        ONEROSTER_1_1,
        None,
        {"role": ROLE, "username": "username", "givenName": "first_name"}
        | {"familyName": "last_name", "email": "email", "phone": "phone"},
    ),
    "oneroster-1.2-student": (
        ONEROSTER_1_2,
        Role.STUDENT,
        {"username": "username", "givenName": "first_name", "familyName": "last_name"}
        | {"email": "email", "phone": "phone"},
    ),
    "oneroster-1.2-parent": (
        ONEROSTER_1_2,
        Role.PARENT,
        {"givenName": "first_name", "familyName": "last_name", "email": "email", "phone": "phone"},
    ),
    "canvas": (
        CANVAS,
        Role.STUDENT,
        {"login_id": "username", "first_name": "first_name", "last_name": "last_name"}
        | {"email": "email", "full_name": FULL_NAME},
    ),
    "moodle": (
        MOODLE,
        Role.STUDENT,
        {"username": "username", "firstname": "first_name", "lastname": "last_name"}
        | {"email": "email", "phone1": "phone"},
    ),
    "google-workspace": (
        GOOGLE_WORKSPACE,
        Role.INSTRUCTOR,
        {"First Name [Required]": "first_name", "Last Name [Required]": "last_name"}
        | {"Email Address [Required]": "email", "Mobile Phone": "phone"},
    ),
    "microsoft-365": (
        MICROSOFT_365,
        Role.INSTRUCTOR,
        {"User Name": "email", "First Name": "first_name", "Last Name": "last_name"}
        | {"Mobile Phone": "phone", "Display Name": FULL_NAME},
    ),
    "entra": (
        ENTRA,
        Role.PARENT,
        {"User name [userPrincipalName] Required": "email", "First name [givenName]": "first_name"}
        | {"Last name [surname]": "last_name", "Mobile phone [mobile]": "phone"}
        | {"Name [displayName] Required": FULL_NAME},
    ),
    "clever-students": (
        CLEVER_STUDENTS,
        Role.STUDENT,
        {"Last_name": "last_name", "First_name": "first_name", "Student_email": "email"}
        | {"Contact_email": "parent_emails", "Username": "username"},
    ),
    "clever-teachers": (
        CLEVER_TEACHERS,
        Role.INSTRUCTOR,
        {"Teacher_email": "email", "First_name": "first_name", "Last_name": "last_name"},
    ),
    "powerschool-students": (
        POWERSCHOOL_STUDENTS,
        Role.STUDENT,
        {"First_Name": "first_name", "Last_Name": "last_name", "Home_Phone": "phone"}
        | {"Network_ID": "username", "Mother_Email": "parent_emails"}
        | {"Father_Email": "parent_emails", "Guardianemail": "parent_emails"}
        | {"LastFirst": FULL_NAME},
    ),
    "powerschool-teachers": (
        POWERSCHOOL_TEACHERS,
        Role.INSTRUCTOR,
        {"First_Name": "first_name", "Last_Name": "last_name", "Email_Addr": "email"},
    ),
    "google-form": (
        GOOGLE_FORM,
        Role.STUDENT,
        {"Email Address": "email", "Student's first name": "first_name"}
        | {"Student's last name": "last_name", "Parent/Guardian email": "parent_emails"}
        | {"What is your phone number?": "phone"},
    ),
}


def _split(header: str) -> list[str]:
    return header.split("|") if "|" in header else header.split(",")


@pytest.mark.parametrize(("header", "role", "expected"), CASES.values(), ids=CASES.keys())
def test_export_header_maps_right(header: str, role: Role | None, expected: dict[str, str]) -> None:
    columns = _split(header)
    mapped = map_headers(columns, role)
    assert dict(zip(columns, mapped.fields, strict=True)) == {
        column: expected.get(column) for column in columns
    }


@pytest.mark.parametrize(("header", "role", "expected"), CASES.values(), ids=CASES.keys())
def test_export_never_maps_a_lookalike_to_the_own_email(
    header: str, role: Role | None, expected: dict[str, str]
) -> None:
    mapped = map_headers(_split(header), role)
    assert len(mapped.columns_of("email")) <= 1
    for column in mapped.columns_of("email"):
        words = mapped.header[column].lower()
        assert not any(w in words for w in ("recovery", "secondary", "manager", "alternate"))


def test_the_strongest_full_name_column_stays_beside_first_and_last() -> None:
    mapped = map_headers(_split(CANVAS), Role.STUDENT)
    assert [mapped.header[i] for i in mapped.columns_of(FULL_NAME)] == ["full_name"]
    assert mapped.header[mapped.unknown_columns[0]] == "user_id"
    unknown = [mapped.header[i] for i in mapped.unknown_columns]
    assert "sortable_name" in unknown and "short_name" in unknown


@pytest.mark.parametrize(
    ("header", "file_name", "role"),
    [
        (ONEROSTER_1_1, "users.csv", None),  # a role column: each row says its role
        (CANVAS, "users.csv", None),
        (CLEVER_STUDENTS, "students.csv", Role.STUDENT),
        (CLEVER_STUDENTS, "export.csv", Role.STUDENT),
        (CLEVER_TEACHERS, "teachers.csv", Role.INSTRUCTOR),
        (CLEVER_TEACHERS, "export.csv", Role.INSTRUCTOR),
        (POWERSCHOOL_STUDENTS, "export.csv", Role.STUDENT),
        (POWERSCHOOL_TEACHERS, "export.csv", Role.INSTRUCTOR),
        (GOOGLE_FORM, "Registration (Responses).csv", Role.STUDENT),
        (MICROSOFT_365, "users.csv", Role.INSTRUCTOR),  # job titles: staff, not pupils
    ],
)
def test_guess_role_of_export(header: str, file_name: str, role: Role | None) -> None:
    assert guess_role("", file_name, _split(header)) is role
