"""An account's role and status, apart from the models.

They need no app registry, so the row-check helper (importing/check_helper.py) imports
the checks without setting Django up; models.py re-exports them.
"""

from django.db.models import TextChoices


class Role(TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    STUDENT = "student", "Student"
    INSTRUCTOR = "instructor", "Instructor"
    PARENT = "parent", "Parent"
    # Platform staff: no organization, they use Django's admin only.
    OPERATOR = "operator", "Platform operator"


PEOPLE_ROLES = (Role.STUDENT, Role.INSTRUCTOR, Role.PARENT)
ORG_ADMIN_ROLES = (Role.OWNER, Role.ADMIN)


class Status(TextChoices):
    PENDING = "pending", "Pending"
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    DEACTIVATED = "deactivated", "Deactivated"
